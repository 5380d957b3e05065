"""The local outbox: every email the embedded moto's SES accepted, read back as `/_local/outbox`
and `contact-relay invoke` show it (from, to, replyTo, subject and the decoded body)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_string
from email.policy import default as default_policy
from email.utils import getaddresses, quote
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends


def sent_emails(region: str) -> list[OutboxMessage]:
    """Every email moto accepted in `region`, oldest first."""
    backend = ses_backends[DEFAULT_ACCOUNT_ID][region]
    return [
        parse_outbox_message(message.raw_data)
        for message in backend.sent_messages
        if hasattr(message, "raw_data")
    ]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    sender: str
    to: list[str]
    reply_to: list[str]
    subject: str
    body: str

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.sender,
            "to": self.to,
            "replyTo": self.reply_to,
            "subject": self.subject,
            "body": self.body,
        }


def parse_outbox_message(raw: str) -> OutboxMessage:
    mail = message_from_string(raw, policy=default_policy)
    payload = mail.get_payload(decode=True)
    body = (
        payload.decode(mail.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""
    )
    return OutboxMessage(
        sender=_sender(mail),
        to=_addresses(mail.get_all("To", [])),
        reply_to=_addresses(mail.get_all("Reply-To", [])),
        subject=str(mail.get("Subject", "")),
        body=body.replace("\r\n", "\n"),
    )


def _sender(mail: Any) -> str:
    """`"Display Name" <address>`, decoded, as DESIGN.md writes the From header."""
    header = mail.get("From")
    if header is None or not header.addresses:
        return ""
    address = header.addresses[0]
    if not address.display_name:
        return str(address.addr_spec)
    return f'"{quote(address.display_name)}" <{address.addr_spec}>'


def _addresses(values: Iterable[Any]) -> list[str]:
    return [address for _, address in getaddresses([str(value) for value in values]) if address]
