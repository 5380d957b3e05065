"""Reading the raw inbound message once: the message, or the reason it cannot be relayed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from contact_relay.inbound_mail import InboundMail
from contact_relay.inbound_reading import OnceRead
from contact_relay.ports import ByteStream
from tests.inbound_builders import raw_reply


class UnsizedStore:
    """A store that cannot tell a message's size before it is read (S3 answering without a
    ContentLength): only the streaming reader's cap holds."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    @contextmanager
    def open(self, ses_message_id: str, max_bytes: int) -> Iterator[ByteStream]:
        yield io.BytesIO(self.raw)


def test_a_message_that_streams_past_the_cap_is_too_large() -> None:
    raw = raw_reply(text="x" * 5000)

    reading = OnceRead(UnsizedStore(raw), "ses-1", max_bytes=2048, max_text_chars=16_000)

    assert reading.get() == "too_large"


def test_a_message_within_the_cap_is_read() -> None:
    raw = raw_reply(text="Thank you, that helps.")

    mail = OnceRead(UnsizedStore(raw), "ses-1", max_bytes=len(raw), max_text_chars=16_000).get()

    assert isinstance(mail, InboundMail)
    assert mail.text is not None
    assert "Thank you, that helps." in mail.text
