"""Compose the email a seller receives: one text/plain UTF-8 part.

Every header value here is either configuration validated at cold start, a subject from the topic
table, an address that passed `email_address.normalise_email_address`, or a conversation's alias
(random, at the validated REPLY_DOMAIN; then nothing of the buyer is in the email but the name
and the message they wrote for the seller, the Message-ID included); the buyer's free text
only ever reaches the body, and only as the service reduced it (the name on one line). The
`email` package encodes the headers that may hold non-ASCII (From's display name and Subject,
RFC 2047) and the body; nothing is encoded by hand. Those two headers depend only on
configuration and topic, so they are rendered once and kept: folding headers through the library
costs about a millisecond a message. The rest are ASCII addresses, ids and a date, written as
they are after a check that they are one line of printable ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, quote
from functools import lru_cache

from contact_relay.mail_format import (
    CRLF,
    STOP_LINE,
    ascii_header,
    encoded_body,
    safety_advice,
)
from contact_relay.text_rules import has_forbidden_single_line_character
from contact_relay.topics import Topic

REPLIES = "reply to this email to answer the buyer"
NO_REPLIES = "this conversation was stopped: a reply to this email does not reach the buyer"


@dataclass(frozen=True, slots=True)
class SellerEmail:
    message_id: str
    topic: Topic
    marketplace: str
    sender_address: str
    seller_address: str
    # Where the seller's replies go: the buyer, or the buyer alias of their conversation; None in
    # a stopped conversation, whose replies reach no one (the body says so).
    reply_to: str | None
    buyer_name: str
    order_id: str | None
    text: str
    # Our own link that stops the conversation, in the footer; None without one.
    stop_link: str | None = None


def compose(email: SellerEmail, *, sent_at: datetime) -> bytes:
    """Return the message as RFC 5322 bytes with CRLF line ends, ready for SES Content.Raw."""
    sender_domain = email.sender_address.rpartition("@")[2]
    content_transfer_encoding, body = encoded_body(body_text(email))
    headers = [
        _from_and_subject(email.marketplace, email.sender_address, email.topic),
        ascii_header("To", email.seller_address),
        *([ascii_header("Reply-To", email.reply_to)] if email.reply_to else []),
        ascii_header("Message-ID", make_msgid(idstring=email.message_id, domain=sender_domain)),
        ascii_header("Date", format_datetime(sent_at)),
        "Auto-Submitted: auto-generated" + CRLF,
        "X-Auto-Response-Suppress: All" + CRLF,
        'Content-Type: text/plain; charset="utf-8"' + CRLF,
        f"Content-Transfer-Encoding: {content_transfer_encoding}" + CRLF,
        "MIME-Version: 1.0" + CRLF,
    ]
    return ("".join(headers) + CRLF + body).encode("ascii")


@lru_cache(maxsize=64)
def _from_and_subject(marketplace: str, sender_address: str, topic: Topic) -> str:
    """From and Subject, folded and encoded by the library: they hold configuration only."""
    message = EmailMessage(policy=SMTP)
    # `"Amazon Messaging" <noreply@...>`, quoted as DESIGN.md writes it; a non-ASCII name is
    # turned into an encoded word by the library when it folds the header.
    message["From"] = f'"{quote(marketplace)} Messaging" <{sender_address}>'
    message["Subject"] = topic.subject(marketplace)
    return message.as_string().removesuffix(CRLF)


def body_text(email: SellerEmail) -> str:
    # The name shares its line with our own words; a second line would be text we seem to write.
    # The service makes it one line; this is the last line of defence, like `ascii_header`.
    if has_forbidden_single_line_character(email.buyer_name):
        raise ValueError("the buyer's name must be one line without control characters")
    lines = [f"Topic: {email.topic.label}"]
    if email.order_id:
        lines.append(f"Order ID: {email.order_id}")
    replies = REPLIES if email.reply_to else NO_REPLIES
    lines += [f"From: {email.buyer_name} ({replies})", "", email.text, "", "--"]
    lines.append(f"Message ID: {email.message_id}")
    if email.stop_link:
        lines.append(STOP_LINE.format(link=email.stop_link))
    lines += [safety_advice("Messages from buyers", email.marketplace), ""]
    return "\n".join(lines)
