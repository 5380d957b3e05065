"""Read an inbound message, as SES receiving stores it, in bounded memory and linear time.

`read_mail` streams the raw RFC 5322 message line by line (`inbound_lines`) and walks its MIME
structure itself. It keeps only what a relayed reply needs: the top header block, each part's
header block (both capped) and the bodies of the first inline text/plain part and the first
inline text/html part (each capped). Every other part (attachments, inline images, other types,
`message/rfc822`, a part with a filename or a disposition other than inline) is counted and its
lines discarded as they stream past: no attachment is ever in memory. What a part is and its text
are the standard library's reading (`inbound_parts`).

Knows nothing of Lambda, S3 or boto3: the caller passes anything with `read(size)`, such as the
`StreamingBody` of an S3 GetObject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from email.message import Message
from functools import lru_cache

from contact_relay.inbound_headers import HeaderFields, header_fields, parse_header_block
from contact_relay.inbound_lines import ByteStream, Line, LineReader, WantedLines
from contact_relay.inbound_parts import decode_text, describe

MAX_TOP_HEADER_BYTES = 256 * 1024
MAX_PART_HEADER_BYTES = 16 * 1024
# RFC 5322 allows 998; longer lines are kept, in pieces of this length.
MAX_LINE_BYTES = 8 * 1024
MAX_DEPTH = 8
MAX_PARTS = 200
# Encoded text is longer than what it decodes to: quoted-printable UTF-8 takes up to nine bytes
# and a soft line break for a character.
_RAW_BYTES_PER_CHAR = 10
# The library's own test for a header line (email.feedparser.headerRE).
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[\t ]")
_LINE_END = re.compile(rb"(?:\r\n|\r|\n)\Z")


@dataclass(frozen=True, slots=True)
class InboundMail(HeaderFields):
    """The message as the relay keeps it: its top header block's fields, then its body's."""

    # The first inline text/plain and text/html parts, decoded; None when absent or too large.
    text: str | None
    html: str | None
    # The parts left out: every part but those two (a multipart is not a part, its parts are).
    attachments: int
    # A kept part was cut at its cap (`max_text_chars` characters).
    truncated: bool
    # The message is over `max_bytes`: nothing of its body is kept.
    too_large: bool
    # The reader met something it had to guess at or cut: a line in a header block that is
    # no header, a header block or a Content-Type over its cap, a multipart without a boundary
    # or whose boundary never closes, nesting deeper than MAX_DEPTH, more than MAX_PARTS parts,
    # a kept part whose transfer encoding did not decode cleanly.
    malformed: bool


def read_mail(stream: ByteStream, *, max_bytes: int, max_text_chars: int) -> InboundMail:
    """Read the message from `stream` (anything with `read(size) -> bytes`), at most
    `max_bytes` of it, keeping at most `max_text_chars` characters of each kept part. Nothing in
    the message makes it raise; what the stream raises (a broken S3 download) passes through,
    for the caller's adapter to name."""
    lines = LineReader(stream, max_bytes=max_bytes, max_line=MAX_LINE_BYTES)
    reading = _Reading(lines, max_text_chars=max_text_chars)
    block, _ = reading.header_block(MAX_TOP_HEADER_BYTES)
    headers = parse_header_block(block)
    said = header_fields(headers)
    reading.entity(block, headers, depth=0, ended=None)
    too_large = reading.lines.too_large
    if _content_type(headers) == "multipart/report":
        said = replace(said, automatic_markers=(*said.automatic_markers, "multipart/report"))
    return InboundMail(
        # An InboundMail is a HeaderFields: what the header block said passes on as read.
        **{field.name: getattr(said, field.name) for field in fields(HeaderFields)},
        text=None if too_large else reading.text,
        html=None if too_large else reading.html,
        attachments=reading.attachments,
        truncated=reading.truncated,
        too_large=too_large,
        malformed=reading.malformed,
    )


@dataclass(frozen=True, slots=True)
class _Boundary:
    # Which open multipart's boundary the line is (0 the outermost), and whether it closes it.
    level: int
    closing: bool


class _Reading:
    """The walk's state: the open multiparts' boundaries, what is kept, what is counted."""

    def __init__(self, lines: LineReader, *, max_text_chars: int) -> None:
        self.lines = lines
        self.max_text_chars = max_text_chars
        self.boundaries: list[bytes] = []
        self.pending: Line | None = None
        self.text: str | None = None
        self.html: str | None = None
        self.attachments = 0
        self.parts = 0
        self.truncated = False
        self.malformed = False

    def next_line(self) -> Line | None:
        line, self.pending = self.pending, None
        return line if line is not None else self.lines.next_line()

    def boundary(self, line: Line) -> _Boundary | None:
        """The open multipart whose delimiter the line is, innermost first, as the library
        reads one: `--boundary`, `--` after it to close, then only spaces and tabs."""
        if not (line.starts_line and line.content.startswith(b"--")):
            return None
        stripped = line.content.rstrip(b" \t")
        for level in range(len(self.boundaries) - 1, -1, -1):
            delimiter = self.boundaries[level]
            if stripped == delimiter or stripped == delimiter + b"--":
                return _Boundary(level, closing=stripped != delimiter)
        return None

    def skip(self) -> _Boundary | None:
        """Discard lines up to a delimiter of an open multipart (returned) or the end."""
        while True:
            if self.pending is None:
                self.lines.skip_to(_delimiter_lines(tuple(self.boundaries)))
            line = self.next_line()
            if line is None:
                return None
            found = self.boundary(line)
            if found is not None:
                return found

    def header_block(self, limit: int) -> tuple[bytes, _Boundary | None]:
        """A header block up to its blank line (consumed), its first line that is no header
        (left for the body) or a delimiter (returned: the part has no body)."""
        block = bytearray()
        while (line := self.next_line()) is not None:
            if line.starts_line:
                found = self.boundary(line)
                if found is not None:
                    return bytes(block), found
                if not line.content:
                    break
                if not _HEADER_LINE.match(line.content):
                    self.malformed = True
                    self.pending = line
                    break
            if len(block) + len(line.content) + len(line.end) > limit:
                self.malformed = True
            else:
                block += line.content + line.end
        return bytes(block), None

    def entity(
        self, block: bytes, headers: Message, *, depth: int, ended: _Boundary | None
    ) -> _Boundary | None:
        """Read the body of the entity whose header block was just read; return the delimiter
        that ended it, or None at the end of the message."""
        part = describe(headers)
        if part is None:
            self.malformed = True
        elif part.content_type.startswith("multipart/"):
            if part.boundary and depth < MAX_DEPTH and ended is None:
                digest = part.content_type == "multipart/digest"
                return self.multipart(part.boundary, digest=digest, depth=depth)
            self.malformed = True
        elif part.inline and part.content_type == "text/plain" and self.text is None:
            self.text, found = self.kept(block, ended)
            return found
        elif part.inline and part.content_type == "text/html" and self.html is None:
            self.html, found = self.kept(block, ended)
            return found
        self.attachments += 1
        return ended if ended is not None else self.skip()

    def multipart(self, boundary: str, *, digest: bool, depth: int) -> _Boundary | None:
        self.boundaries.append(b"--" + boundary.encode("utf-8"))
        level = len(self.boundaries) - 1
        try:
            found = self.skip()  # the preamble
            while found is not None and found.level == level and not found.closing:
                self.parts += 1
                if self.parts > MAX_PARTS:
                    self.malformed = True
                    self.attachments += 1
                    found = self.skip()
                    continue
                block, ended = self.header_block(MAX_PART_HEADER_BYTES)
                headers = parse_header_block(block)
                if digest:
                    headers.set_default_type("message/rfc822")
                found = self.entity(block, headers, depth=depth + 1, ended=ended)
            if found is None or found.level != level:
                # The end of the message, or an enclosing multipart's delimiter: this one
                # never closed.
                self.malformed = True
                return found
        finally:
            self.boundaries.pop()
        return self.skip()  # the epilogue

    def kept(self, block: bytes, ended: _Boundary | None) -> tuple[str, _Boundary | None]:
        """A kept part's body (up to its cap; the rest streams past), decoded."""
        body = bytearray()
        cap = self.max_text_chars * _RAW_BYTES_PER_CHAR + 4096
        found = ended
        while found is None and (line := self.next_line()) is not None:
            found = self.boundary(line)
            if found is not None:
                # The line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
                body = bytearray(_LINE_END.sub(b"", bytes(body)))
            elif len(body) + len(line.content) + len(line.end) > cap:
                self.truncated = True
                found = self.skip()
                break
            else:
                body += line.content + line.end
        text, clean = decode_text(block, bytes(body))
        self.malformed = self.malformed or not clean
        if len(text) > self.max_text_chars:
            self.truncated = True
            text = text[: self.max_text_chars]
        return text, found


@lru_cache(maxsize=64)
def _delimiter_lines(delimiters: tuple[bytes, ...]) -> WantedLines | None:
    """The lines that may be a delimiter of an open multipart; None when none is open."""
    if not delimiters:
        return None
    alternatives = b"|".join(re.escape(delimiter) for delimiter in delimiters)
    return WantedLines.starting(
        rb"(?:" + alternatives + rb")(?:--)?[ \t]*(?:[\r\n]|\Z)",
        longest=max(len(delimiter) for delimiter in delimiters) + 2,
    )


def _content_type(headers: Message) -> str | None:
    part = describe(headers)
    return part.content_type if part else None
