"""What an inbound message's header block says: who wrote it, its subject, its place in a
thread, and whether a machine sent it.

Every value is read from a block the reader has already bounded (`inbound_mail`), and each one
a library parser reads is bounded again before it is parsed: the standard library's structured
header parsers are not all linear in their input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32

from contact_relay.inbound_checks import sole_sender

# Decoding costs about 3 ms a KiB of encoded words; a subject is cut to 200 characters later.
_MAX_SUBJECT_CHARS = 8 * 1024
# Enough of a thread for `reply_email.our_references`, which keeps 20.
MAX_IDS = 100
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
# Values kept of a header that may repeat: more would say nothing more.
_MAX_VALUES = 10
_MAX_VALUE_CHARS = 200
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Headers that say a machine or a list sent the message, besides Auto-Submitted (RFC 3834) and
# Precedence: the vacation programs' X-Autoreply and X-Autorespond, and a list's List-Id
# (RFC 2919) or X-Mailing-List. A person's reply carries none of them.
AUTOMATIC_HEADERS = ("x-autoreply", "x-autorespond", "list-id", "x-mailing-list")
_REGISTRY = HeaderRegistry()


@dataclass(frozen=True, slots=True)
class HeaderFields:
    """What the top header block says; `inbound_mail.InboundMail` is these and the body."""

    # The header From's single address, normalised; None when missing, several or malformed.
    from_address: str | None
    # Decoded (RFC 2047) and otherwise raw: it may hold line breaks. "" without a Subject.
    subject: str
    message_id: str | None
    # `<...>` ids as written (at most 100 each); `reply_email.our_references` filters them.
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    # Each Auto-Submitted and Precedence value as written (at most 10, of 200 characters):
    # `inbound_checks.is_automatic` says what they mean, for these and the SES event's alike.
    auto_submitted: tuple[str, ...]
    precedence: tuple[str, ...]
    # Other signs of a machine: AUTOMATIC_HEADERS present, lower case, and, in an InboundMail,
    # "multipart/report" for a delivery or read report (RFC 6522). A person's reply has none.
    automatic_markers: tuple[str, ...]


def parse_header_block(block: bytes) -> Message:
    """The block as the library's header parser reads it (RFC 6532 allows UTF-8 in headers;
    bytes that are not UTF-8 become U+FFFD)."""
    return HeaderParser(policy=compat32).parsestr(block.decode("utf-8", "replace"))


def header_fields(headers: Message) -> HeaderFields:
    references = _ids(headers, "References")
    if len(references) > MAX_IDS:
        references = references[:1] + references[-(MAX_IDS - 1) :]
    message_ids = _ids(headers, "Message-ID")
    return HeaderFields(
        from_address=_from_address(headers),
        subject=_subject(headers),
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=_ids(headers, "In-Reply-To")[:MAX_IDS],
        references=references,
        auto_submitted=_few(headers, "Auto-Submitted"),
        precedence=_few(headers, "Precedence"),
        automatic_markers=tuple(name for name in AUTOMATIC_HEADERS if name in headers),
    )


def _values(headers: Message, name: str) -> list[str]:
    """Each value of the header, unfolded (RFC 5322 2.2.3: the line breaks go, the space stays)."""
    return [_LINE_BREAK.sub("", str(value)) for value in headers.get_all(name, [])]


def _from_address(headers: Message) -> str | None:
    """The one address of the From headers, by the rule the SES event's From is read with
    (`inbound_checks.sole_sender`, which also refuses a From longer than any person's)."""
    return sole_sender(_values(headers, "From"))


def _subject(headers: Message) -> str:
    """The first Subject, its RFC 2047 encoded words decoded; as written otherwise (line breaks
    an encoded word held included: `reply_email.clean_subject` makes it one line)."""
    values = _values(headers, "Subject")
    if not values:
        return ""
    # No lone surrogate comes out: the registry turns those an encoded word decodes to into
    # U+FFFD (email.utils._sanitize) or raises (UnicodeEncodeError, a ValueError), and the
    # value as written was decoded from bytes with errors replaced (parse_header_block).
    try:
        subject = str(_REGISTRY("subject", values[0][:_MAX_SUBJECT_CHARS]))
    except (ValueError, IndexError, TypeError, AttributeError, LookupError):
        subject = values[0][:_MAX_SUBJECT_CHARS]
    return subject


def _ids(headers: Message, name: str) -> tuple[str, ...]:
    return tuple(
        message_id for value in _values(headers, name) for message_id in _MESSAGE_ID.findall(value)
    )


def _few(headers: Message, name: str) -> tuple[str, ...]:
    """The header's values as written (unfolded), a few and each cut short: what
    `inbound_checks.is_automatic` reads of Auto-Submitted and Precedence."""
    return tuple(value[:_MAX_VALUE_CHARS] for value in _values(headers, name)[:_MAX_VALUES])
