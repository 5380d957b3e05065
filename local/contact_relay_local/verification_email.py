"""The email that asks a seller to confirm their reply-to address: one text/plain UTF-8 part
with the single-use link, built by the standard library's `email` package."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from contact_relay.verification import TOKEN_LIFETIME

SUBJECT = "Confirm your reply-to address for buyers' messages"
BODY = """\
Buyers' messages for {display_name} will be sent to this address once you confirm it.

Open this link and press "Confirm this address":

{link}

The link works once, for {hours} hours. Opening it confirms nothing until you press the button.
If you did not expect this email, ignore it: nothing will be sent to this address.
"""


def compose_verification_email(
    *, sender_address: str, to_address: str, display_name: str, link: str, sent_at: datetime
) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender_address
    message["To"] = to_address
    message["Subject"] = SUBJECT
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    hours = int(TOKEN_LIFETIME.total_seconds() // 3600)
    message.set_content(BODY.format(display_name=display_name, link=link, hours=hours))
    return message.as_bytes()
