"""What one MIME part of an inbound message is, and its text, as the standard library reads
them: its content type, boundary and disposition from its header block, and a kept part's body
decoded in its declared charset.

The library's readers are not all linear: a part whose content headers are too long, or that
the library cannot read, is described as nothing (the walk leaves it out and counts it), and a
charset whose decoder no mail should need reads as UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32

# The library reads Content-Type and Content-Disposition parameters in time that grows with
# their length times their semicolons (email.message._parseparam: 4 KiB of ';' took 33 ms a
# part): a value longer, or with more parameters, makes its part opaque. A long RFC 2231
# filename takes a dozen continuations.
_MAX_CONTENT_HEADER_CHARS = 4096
_MAX_PARAMETERS = 64
# RFC 2046 5.1.1: a boundary is 1 to 70 characters. Each set of open boundaries is compiled
# into the reader's delimiter matcher, at a cost in Python per character: 70 nested multiparts
# of distinct 1000-character boundaries took 7 s. A longer one is no boundary.
MAX_BOUNDARY_CHARS = 70
# Text codecs that no mail should declare, and whose decoders are not all linear.
_REFUSED_CODECS = frozenset(("idna", "punycode", "unicode-escape", "raw-unicode-escape"))


@dataclass(frozen=True, slots=True)
class Part:
    content_type: str
    boundary: str | None
    # No disposition but inline, and no filename (in Content-Disposition or Content-Type).
    inline: bool


def describe(headers: Message) -> Part | None:
    """The part's type, boundary and whether it is inline; None for a part whose content
    headers are too long or that the library cannot read."""
    for name in ("Content-Type", "Content-Disposition"):
        for value in map(str, headers.get_all(name, [])):
            if len(value) > _MAX_CONTENT_HEADER_CHARS or value.count(";") > _MAX_PARAMETERS:
                return None
    try:
        disposition = headers.get_content_disposition()
        boundary = headers.get_boundary()
        return Part(
            content_type=headers.get_content_type(),
            boundary=boundary if boundary and len(boundary) <= MAX_BOUNDARY_CHARS else None,
            inline=disposition in (None, "inline") and headers.get_filename() is None,
        )
    except (ValueError, LookupError, IndexError, TypeError, AttributeError):
        # RFC 2231 parameters in hostile forms have made the library raise each of these.
        return None


def decode_text(block: bytes, body: bytes) -> tuple[str, bool]:
    """The text of a part with this header block and body, and whether its transfer encoding
    decoded cleanly: a small message of the two, read by the library."""
    if block and not block.endswith((b"\r", b"\n")):
        block += b"\r\n"
    part = BytesParser(policy=compat32).parsebytes(block + b"\r\n" + body)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return "", False
    return _text_of(payload, part.get_content_charset("us-ascii")), not part.defects


def _text_of(payload: bytes, charset: str) -> str:
    """The payload in its declared charset, errors replaced; UTF-8 for a charset Python lacks or
    one no mail should declare."""
    try:
        codec = codecs.lookup(charset).name
    except (LookupError, ValueError, TypeError):
        codec = "utf-8"
    if codec in _REFUSED_CODECS:
        codec = "utf-8"
    try:
        text = payload.decode(codec, "replace")
    except LookupError:  # a codec that is not a text encoding (base64, zlib...)
        text = payload.decode("utf-8", "replace")
    # Some decoders (UTF-7) can produce lone surrogates: U+FFFD instead.
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
