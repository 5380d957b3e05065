"""What SES receiving makes of a message sent to the relay's domain, emulated for the local stack:
the message as its receipt rule's S3 action stores it, and the event its Lambda action hands the
function (`Records[0].ses.mail` and `.receipt`, as the SES developer guide's "Sample incoming
email event" and "Contents of notifications for Amazon SES email receiving" describe them).

SES accepts mail only for the addresses its receipt rule names: here, those at REPLY_DOMAIN. A
message for none of them would never reach the function; `receive` refuses it.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import format_datetime, getaddresses
from typing import Any

from contact_relay_local.receipt_verdicts import Verdicts

# SES cuts the event's header list when the headers pass 10 KB ("headersTruncated").
HEADERS_LIMIT = 10 * 1024
_FOLD = re.compile(r"\r?\n(?=[ \t])")
# commonHeaders' keys, and the header each is read from (every occurrence, unfolded).
_COMMON_LISTS = {
    "from": "From",
    "to": "To",
    "cc": "Cc",
    "bcc": "Bcc",
    "sender": "Sender",
    "replyTo": "Reply-To",
}


class NoRecipientAtReplyDomain(ValueError):
    """No To or Cc address of the message is at REPLY_DOMAIN: SES would not have taken it."""


@dataclass(frozen=True, slots=True)
class ReceivedMail:
    # SES's id of the message, the key of the stored object after the rule's prefix.
    message_id: str
    # The message as the S3 action stores it: what was sent, under the headers SES adds.
    stored: bytes
    event: dict[str, Any]


def new_message_id() -> str:
    """An id of SES's kind: lower-case letters and digits, nothing about the message."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()


def receive(
    raw: bytes,
    *,
    reply_domain: str,
    verdicts: Verdicts,
    function_arn: str,
    received_at: datetime,
    invoked_at: datetime,
    message_id: str,
) -> ReceivedMail:
    """Raises NoRecipientAtReplyDomain."""
    sent = BytesHeaderParser(policy=compat32).parsebytes(raw)
    destination = _unique(_addresses(sent, "To", "Cc"))
    domain = reply_domain.lower()
    recipients = [address for address in destination if _domain(address) == domain and domain]
    if not recipients:
        raise NoRecipientAtReplyDomain(
            f"no To or Cc address of the message is at the reply domain "
            f"({reply_domain or 'REPLY_DOMAIN is empty'})"
        )
    source = _first(_addresses(sent, "Return-Path")) or _first(_addresses(sent, "From")) or ""
    stored = _with_receipt_headers(raw, sent, source, verdicts)
    headers = _header_list(BytesHeaderParser(policy=compat32).parsebytes(stored))
    kept, truncated = _truncated(headers)
    elapsed_ms = int((invoked_at - received_at).total_seconds() * 1000)
    mail = {
        "timestamp": _iso(received_at),
        "source": source,
        "messageId": message_id,
        "destination": destination,
        "headersTruncated": truncated,
        "headers": kept,
        "commonHeaders": _common_headers(sent, source, received_at),
    }
    receipt = {
        "timestamp": _iso(invoked_at),
        # Powertools' SesReceipt takes a positive number, as SES always gives.
        "processingTimeMillis": max(1, elapsed_ms),
        "recipients": recipients,
        **verdicts.receipt_fields(),
        "action": {"type": "Lambda", "functionArn": function_arn, "invocationType": "Event"},
    }
    event = {
        "Records": [
            {
                "eventSource": "aws:ses",
                "eventVersion": "1.0",
                "ses": {"mail": mail, "receipt": receipt},
            }
        ]
    }
    return ReceivedMail(message_id, stored, event)


def _with_receipt_headers(raw: bytes, sent: Message, source: str, verdicts: Verdicts) -> bytes:
    """SES writes the envelope sender (when the message has no Return-Path) and its spam and
    virus verdicts above the message's own headers."""
    newline = b"\r\n" if raw.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
    added = []
    if sent.get("Return-Path") is None and source:
        added.append(f"Return-Path: <{source}>")
    added.append(f"X-SES-Spam-Verdict: {verdicts.spam}")
    added.append(f"X-SES-Virus-Verdict: {verdicts.virus}")
    return b"".join(line.encode("ascii") + newline for line in added) + raw


def _common_headers(sent: Message, source: str, received_at: datetime) -> dict[str, Any]:
    common: dict[str, Any] = {"returnPath": source}
    for key, name in _COMMON_LISTS.items():
        values = _values(sent, name)
        if values:
            common[key] = values
    common["date"] = _first(_values(sent, "Date")) or format_datetime(received_at)
    for key, name in (("messageId", "Message-ID"), ("subject", "Subject")):
        value = _first(_values(sent, name))
        if value is not None:
            common[key] = value
    return common


def _header_list(message: Message) -> list[dict[str, str]]:
    return [{"name": name, "value": _text(value)} for name, value in message.raw_items()]


def _truncated(headers: list[dict[str, str]]) -> tuple[list[dict[str, str]], bool]:
    kept: list[dict[str, str]] = []
    size = 0
    for header in headers:
        size += len(header["name"]) + len(header["value"]) + 4
        if size > HEADERS_LIMIT:
            return kept, True
        kept.append(header)
    return kept, False


def _values(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [_text(value) for key, value in message.raw_items() if key.lower() == wanted]


def _addresses(message: Message, *names: str) -> list[str]:
    values = [value for name in names for value in _values(message, name)]
    return [address for _, address in getaddresses(values) if "@" in address]


def _unique(addresses: Iterable[str]) -> list[str]:
    """Each address once; a domain's letter case does not matter, a local part's may."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for address in addresses:
        local, _, domain = address.rpartition("@")
        if (local, domain.lower()) not in seen:
            seen.add((local, domain.lower()))
            unique.append(address)
    return unique


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _text(value: str) -> str:
    """A header's value as written, unfolded; raw 8-bit bytes (which the parser keeps as
    surrogates) read as UTF-8, as SES gives an internationalised header."""
    written = value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    return _FOLD.sub("", written).strip()


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
