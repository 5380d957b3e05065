"""Compose the email a seller receives: one text/plain UTF-8 part, built by the standard library.

Every header value here is either configuration validated at cold start, a subject from the topic
table, or an address that passed `email_address.normalise_email_address`; the buyer's free text
only ever reaches the body. The `email` package does all header encoding (RFC 2047 for non-ASCII
names and subjects); nothing is encoded by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, quote

from contact_relay.topics import Topic

SAFETY_ADVICE = (
    "Messages from buyers hold plain text only: links and markup are removed before delivery.\n"
    "Do not follow links or open attachments in an email that claims to come from {marketplace}."
)


@dataclass(frozen=True, slots=True)
class SellerEmail:
    message_id: str
    topic: Topic
    marketplace: str
    sender_address: str
    seller_address: str
    buyer_address: str
    buyer_name: str
    order_id: str | None
    text: str


def compose(email: SellerEmail, *, sent_at: datetime) -> bytes:
    """Return the message as RFC 5322 bytes with CRLF line ends, ready for SES Content.Raw."""
    message = EmailMessage(policy=SMTP)
    sender_domain = email.sender_address.rpartition("@")[2]
    # `"Amazon Messaging" <noreply@...>`, quoted as DESIGN.md writes it; a non-ASCII name is
    # turned into an encoded word by the library when it folds the header.
    message["From"] = f'"{quote(email.marketplace)} Messaging" <{email.sender_address}>'

    message["To"] = email.seller_address
    message["Reply-To"] = email.buyer_address
    message["Subject"] = email.topic.subject(email.marketplace)
    message["Message-ID"] = make_msgid(idstring=email.message_id, domain=sender_domain)
    message["Date"] = format_datetime(sent_at)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(body_text(email), subtype="plain", charset="utf-8")
    return message.as_bytes()


def body_text(email: SellerEmail) -> str:
    lines = [f"Topic: {email.topic.label}"]
    if email.order_id:
        lines.append(f"Order ID: {email.order_id}")
    lines += [
        f"From: {email.buyer_name} (reply to this email to answer the buyer)",
        "",
        email.text,
        "",
        "--",
        f"Message ID: {email.message_id}",
        SAFETY_ADVICE.format(marketplace=email.marketplace),
        "",
    ]
    return "\n".join(lines)
