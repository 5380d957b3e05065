"""The raw inbound message, read from its store at most once, or why it cannot be relayed.

A message with several recipients at the reply domain is read for the first that passes every
check before the read, and the answer serves the rest. Size is bounded twice: the store refuses
an object larger than the cap before reading it, and `inbound_mail.read_mail` stops at the cap
while streaming (and keeps at most `max_text_chars` of text).
"""

from __future__ import annotations

from typing import Literal

from contact_relay.errors import InboundMessageMissing, InboundMessageTooLarge
from contact_relay.inbound_mail import InboundMail, read_mail
from contact_relay.ports import InboundMessageStore

MessageReading = Literal["message_missing", "too_large", "malformed"]
# The raw message's size cap and how much of each kept part's text is read, where
# INBOUND_MAX_BYTES and INBOUND_MAX_TEXT_CHARS do not say otherwise.
DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_TEXT_CHARS = 16_000


class OnceRead:
    def __init__(
        self,
        store: InboundMessageStore,
        ses_message_id: str,
        max_bytes: int,
        max_text_chars: int,
    ) -> None:
        self._store = store
        self._ses_message_id = ses_message_id
        self._max_bytes = max_bytes
        self._max_text_chars = max_text_chars
        self._result: InboundMail | MessageReading | None = None

    def get(self) -> InboundMail | MessageReading:
        """The message, or why it cannot be relayed. Raises DependencyUnavailable (and reads
        again on the next call) when the store cannot answer."""
        if self._result is None:
            self._result = self._read()
        return self._result

    def _read(self) -> InboundMail | MessageReading:
        try:
            with self._store.open(self._ses_message_id, self._max_bytes) as stream:
                mail = read_mail(
                    stream, max_bytes=self._max_bytes, max_text_chars=self._max_text_chars
                )
        except InboundMessageMissing:
            return "message_missing"
        except InboundMessageTooLarge:
            return "too_large"
        if mail.too_large:
            return "too_large"
        # A structure the reader had to guess at (a boundary that never closes, base64 that
        # does not decode cleanly, parts past the cap) still relays the text it read: that
        # text is reduced like any other, and dropping it would lose a person's reply.
        if mail.malformed and mail.text is None and mail.html is None:
            return "malformed"
        return mail
