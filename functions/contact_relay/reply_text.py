"""The text a received reply relays, read from the message itself, or why it is not relayed.

The last checks of a reply, made on the raw message once it is read (`inbound_reading`): its own
headers and structure must not be a machine's, its header From must be the sender the receipt
named, and something must be left of its text once reduced as a buyer's message is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from contact_relay.errors import MessageEmpty
from contact_relay.inbound_checks import is_automatic, same_address
from contact_relay.inbound_mail import InboundMail
from contact_relay.message_text import reduce_message
from contact_relay.plaintext import PlainText

ReplyTextRefusal = Literal["auto_reply", "sender_not_authorised", "empty"]
TRUNCATED_NOTE = "[The rest of this message was longer than the relay forwards, and was cut.]"


def reply_text(read: InboundMail, sender: str | None) -> PlainText | ReplyTextRefusal:
    """The text to relay, reduced, or why the message is not relayed."""
    if read.automatic_markers or is_automatic(read.auto_submitted, read.precedence):
        # The message's own headers, in case SES cut them from the event, and the other
        # signs of a machine (a delivery report, a list's headers).
        return "auto_reply"
    if not (sender and read.from_address and same_address(sender, read.from_address)):
        return "sender_not_authorised"
    try:
        # LINK_POLICY=reject is for the form, whose writer gets a 422 and can write again;
        # a dropped reply cannot be answered (no backscatter), and every quoted reply holds
        # our own stop link. A reply's links are removed, whatever the policy.
        text = reduce_message(read.text or read.html or "", "remove")
    except MessageEmpty:
        return "empty"
    if read.truncated:
        return replace(text, text=f"{text.text}\n\n{TRUNCATED_NOTE}")
    return text
