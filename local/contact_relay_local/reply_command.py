"""`contact-relay reply`: answer an email of the local stack's outbox as its recipient would, so a
person can play the seller (or the buyer) of a conversation from the command line.

The reply goes from the email's recipient (`to[0]`) to the alias it came with: its Reply-To when
that is an alias (the seller answering a buyer's form message), else its From (an answer to a
relayed reply). It is built with the `email` package and posted to `/_local/inbound`, where the
stack receives it as SES receiving would and hands it to the inbound function.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from contact_relay.conversations import is_alias
from contact_relay_local.local_inbound import CONTENT_TYPE, INBOUND_PATH
from contact_relay_local.receipt_verdicts import VERDICTS_HEADER

DEFAULT_URL = "http://127.0.0.1:3000"
_TIMEOUT_SECONDS = 30


class ReplyError(Exception):
    """Why no reply was sent, in one line for the person at the terminal."""


@dataclass(frozen=True, slots=True)
class Reply:
    sender: str
    alias: str
    subject: str
    raw: bytes


def alias_of(address: str) -> str | None:
    """The address itself when its local part is an alias's, else None."""
    _, addr = parseaddr(address)
    local, at, _domain = addr.rpartition("@")
    return addr if at and is_alias(local) else None


def compose(email: dict[str, Any], text: str, number: int) -> Reply:
    """The reply to one outbox email (`number` as the person named it, for messages)."""
    recipients = email.get("to") or []
    if not recipients:
        raise ReplyError(f"outbox message {number} has no recipient to reply as")
    alias = next(
        (found for found in map(alias_of, email.get("replyTo") or []) if found), None
    ) or alias_of(str(email.get("from", "")))
    if alias is None:
        raise ReplyError(
            f"outbox message {number} came with no alias to reply to (its Reply-To and From "
            "are real addresses: was it sent with REPLY_DOMAIN empty, or is it a "
            "verification email?)"
        )
    subject = str(email.get("subject", ""))
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    message = EmailMessage()
    try:
        message["From"] = recipients[0]
        message["To"] = alias
        message["Subject"] = subject
    except ValueError as exc:  # a CR or LF in what the outbox holds
        raise ReplyError(f"outbox message {number} cannot be answered: {exc}") from None
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=recipients[0].rpartition("@")[2] or None)
    message.set_content(text)
    return Reply(recipients[0], alias, subject, message.as_bytes(policy=SMTP))


def send_reply(url: str, to_message: int | None, text: str, verdicts: str | None) -> dict[str, Any]:
    """Reply to outbox message `to_message` (1 is the oldest; None, the newest); the stack's
    answer to the inbound post. Raises ReplyError."""
    if not re.fullmatch(r"https?://[^\s/]+/?", url):
        raise ReplyError(f"--url must be the stack's http address, e.g. {DEFAULT_URL}")
    base = url.rstrip("/")
    # S310: `base` is an http(s) URL, checked above.
    outbox_request = urllib.request.Request(f"{base}/_local/outbox")  # noqa: S310
    outbox = _exchange(outbox_request, base)["messages"]
    if not outbox:
        raise ReplyError("the outbox is empty: send a message first (the demo page, or curl)")
    number = len(outbox) if to_message is None else to_message
    if not 1 <= number <= len(outbox):
        raise ReplyError(f"--to-message must be 1 to {len(outbox)} (the outbox, oldest first)")
    reply = compose(outbox[number - 1], text, number)
    headers = {"Content-Type": CONTENT_TYPE}
    if verdicts is not None:
        headers[VERDICTS_HEADER] = verdicts
    request = urllib.request.Request(  # noqa: S310
        base + INBOUND_PATH, data=reply.raw, headers=headers, method="POST"
    )
    answer = _exchange(request, base)
    return {"from": reply.sender, "to": reply.alias, "subject": reply.subject, **answer}


def run_reply(arguments: argparse.Namespace) -> int:
    text = arguments.text if arguments.text is not None else sys.stdin.read()
    if not text.strip():
        raise ValueError("no text to send: give --text, or write it on stdin")
    answer = send_reply(arguments.url, arguments.to_message, text, arguments.verdicts)
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0


def _exchange(request: urllib.request.Request, base: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as error:
        raise ReplyError(f"the stack answered {error.code}: {_error_message(error)}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ReplyError(
            f"no local stack answers at {base} ({reason}); start one with `contact-relay dev`, "
            "or give its address with --url"
        ) from None


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read())["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return error.reason or "no error message"
