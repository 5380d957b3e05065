"""A writer's text as it is delivered: reduced to plain text, and refused when the link policy
forbids what it held or nothing is left of it.

One reduction for both ways of the relay: a buyer's message and name from the form
(`service.ContactRelay.prepare`) and a reply relayed either way (`reply_text`).
"""

from __future__ import annotations

from typing import Literal

from contact_relay.errors import BuyerNameEmpty, LinksNotAllowed, MessageEmpty
from contact_relay.links import LINK_PLACEHOLDER
from contact_relay.plaintext import PlainText, reduce_to_plain_text

LinkPolicy = Literal["remove", "reject"]


def reduce_message(message: str, link_policy: LinkPolicy) -> PlainText:
    """A message as it will be delivered, a buyer's from the form or a reply relayed either way:
    reduced to plain text and stripped. Raises MessageEmpty when nothing is left, and
    LinksNotAllowed when the policy is `reject` and it held a link."""
    reduced = reduce_to_plain_text(message)
    text = reduced.text.strip()
    if not text:
        raise MessageEmpty
    if reduced.links_removed and link_policy == "reject":
        raise LinksNotAllowed("message")
    return PlainText(text, reduced.links_removed, reduced.markup_removed)


def reduce_buyer_name(name: str, link_policy: LinkPolicy) -> str:
    """The buyer's name as the seller reads it: held to the message's rules, on one line.

    The name reaches a person too, above a footer that promises no links: it is reduced
    like the message, and refused when nothing but markup or removed links is left of it.
    """
    reduced = reduce_to_plain_text(name)
    if reduced.links_removed and link_policy == "reject":
        raise LinksNotAllowed("buyer_name")
    # Decoded references can hold line breaks (`&#10;`): the name stays one line of the body.
    one_line = " ".join(reduced.text.split())
    if not one_line.replace(LINK_PLACEHOLDER, "").strip():
        raise BuyerNameEmpty
    return one_line
