"""Compose the email a seller receives: one text/plain UTF-8 part.

Every header value here is either configuration validated at cold start, a subject from the topic
table, or an address that passed `email_address.normalise_email_address`; the buyer's free text
only ever reaches the body, and only as the service reduced it (the name on one line). The
`email` package encodes the headers that may hold non-ASCII (From's display name and Subject,
RFC 2047) and the body; nothing is encoded by hand. Those two headers depend only on
configuration and topic, so they are rendered once and kept: folding headers through the library
costs about a millisecond a message. The rest are ASCII addresses, ids and a date, written as
they are after a check that they are one line of printable ASCII.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.quoprimime import body_encode as quoted_printable
from email.utils import format_datetime, make_msgid, quote
from functools import lru_cache

from contact_relay.text_rules import has_forbidden_single_line_character
from contact_relay.topics import Topic

CRLF = "\r\n"
# RFC 2045: encoded body lines of at most 76 characters.
_BODY_LINE_LENGTH = 76

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
    sender_domain = email.sender_address.rpartition("@")[2]
    content_transfer_encoding, body = _encoded_body(body_text(email))
    headers = [
        _from_and_subject(email.marketplace, email.sender_address, email.topic),
        _ascii_header("To", email.seller_address),
        _ascii_header("Reply-To", email.buyer_address),
        _ascii_header("Message-ID", make_msgid(idstring=email.message_id, domain=sender_domain)),
        _ascii_header("Date", format_datetime(sent_at)),
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


def _ascii_header(name: str, value: str) -> str:
    # The values are validated long before here; this is the last line of defence for headers.
    if not (value.isascii() and value.isprintable()):
        raise ValueError(f"{name} must be one line of printable ASCII")
    return f"{name}: {value}{CRLF}"


def _encoded_body(text: str) -> tuple[str, str]:
    """The body in the shorter of quoted-printable and base64, with CRLF line ends: mostly
    ASCII text stays readable, Japanese is not tripled. Both encodings are the library's."""
    data = b"\r\n".join(text.encode("utf-8").splitlines()) + b"\r\n"
    quoted = quoted_printable(data.decode("latin-1"), maxlinelen=_BODY_LINE_LENGTH, eol=CRLF)
    encoded = base64.encodebytes(data).decode("ascii").replace("\n", CRLF)
    if len(quoted) <= len(encoded):
        return "quoted-printable", quoted if quoted.endswith(CRLF) else quoted + CRLF
    return "base64", encoded


def body_text(email: SellerEmail) -> str:
    # The name shares its line with our own words; a second line would be text we seem to write.
    # The service makes it one line; this is the last line of defence, like `_ascii_header`.
    if has_forbidden_single_line_character(email.buyer_name):
        raise ValueError("the buyer's name must be one line without control characters")
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
