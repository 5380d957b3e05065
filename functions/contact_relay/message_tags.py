"""The SES message tags that tie a sent email, and every event SES later publishes about it, to
our own message and seller.

SES copies a send's `EmailTags` into the `mail.tags` of each event it publishes through the
configuration set, so an event names our message directly: no lookup of SES's message id is
needed (no index on the messages table, no read permission), and a message whose send answer
was lost (`unconfirmed`, no SES id recorded) is still found. SES allows tag values of ASCII
letters, digits, `_` and `-`: our message ids (UUIDs) and seller ids (SELLER_ID_PATTERN) fit.
"""

from __future__ import annotations

from collections.abc import Mapping

from contact_relay.conversations import Direction

MESSAGE_ID_TAG = "relayMessageId"
SELLER_ID_TAG = "relaySellerId"


def message_tags(message_id: str, seller_id: str) -> dict[str, str]:
    return {MESSAGE_ID_TAG: message_id, SELLER_ID_TAG: seller_id}


def relayed_message_tags(message_id: str, seller_id: str, direction: Direction) -> dict[str, str]:
    """A relayed reply's tags. Mail to a buyer carries no seller id: SES's events about it (the
    buyer's address bouncing, the buyer's complaint) say nothing of the seller's address, and
    the delivery events function marks a seller bouncing only by this tag."""
    if direction == "seller_to_buyer":
        return {MESSAGE_ID_TAG: message_id}
    return message_tags(message_id, seller_id)


def tag_value(tags: Mapping[str, list[str]], name: str) -> str | None:
    """One tag of an SES event's `mail.tags` (SES gives each tag as a list of values)."""
    values = tags.get(name) or []
    return values[0] if values else None
