"""Read a raw message's lines from a byte stream, in bounded memory and linear time.

What the caller passes is anything with `read(size) -> bytes` (an open binary file,
`io.BytesIO`, botocore's `StreamingBody`): it is read in chunks of 64 KiB, never whole. A line
ends at CR LF, LF or a lone CR, as the standard library's parser reads them. A line longer than
`max_line` comes in pieces of at most that length: only the first piece starts a line, so no
other can be a MIME boundary or a header. Reading stops at `max_bytes`: past it the stream
reads as ended, and `too_large` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

_CHUNK_BYTES = 64 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class WantedLines:
    """Lines worth a look: `line` matches at the start of one, however it continues, and
    none is longer than `longest` bytes up to where `line` stops looking."""

    line: re.Pattern[bytes]
    after_line_end: re.Pattern[bytes]
    longest: int

    @classmethod
    def starting(cls, pattern: bytes, longest: int) -> WantedLines:
        return cls(re.compile(pattern), re.compile(rb"[\r\n](?=" + pattern + rb")"), longest)


class ByteStream(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Line:
    # Without its line end; a piece of a long line has none.
    content: bytes
    end: bytes
    # False for every piece of a long line but the first.
    starts_line: bool


class LineReader:
    def __init__(self, stream: ByteStream, *, max_bytes: int, max_line: int) -> None:
        self._stream = stream
        self._max_bytes = max_bytes
        self._max_line = max_line
        self._buffer = b""
        self._position = 0
        self._at_line_start = True
        self._ended = False
        self.bytes_read = 0
        self.too_large = False

    def next_line(self) -> Line | None:
        """The next line or piece of one, or None at the end of the stream."""
        while True:
            window_end = min(len(self._buffer), self._position + self._max_line + 1)
            match = _LINE_END.search(self._buffer, self._position, window_end)
            if match is not None and not self._may_continue(match):
                end = match.group()
                if end == b"\r" and self._buffer[match.end() : match.end() + 1] == b"\n":
                    end = b"\r\n"
                line = Line(self._buffer[self._position : match.start()], end, self._at_line_start)
                self._position = match.start() + len(end)
                self._at_line_start = True
                return line
            if len(self._buffer) - self._position > self._max_line:
                return self._piece(self._max_line)
            if self._ended:
                if self._position < len(self._buffer):
                    return self._piece(len(self._buffer) - self._position)
                return None
            self._fill()

    def skip_to(self, wanted: WantedLines | None) -> None:
        """Move to the start of the next line `wanted` may match (or to the end), without
        reading the lines in between: how a part that is not kept streams past. The search
        runs in the regular-expression engine, so no line costs a step in Python unless it
        looks wanted; the caller reads it and decides."""
        while True:
            if wanted is None:
                self._position = len(self._buffer)
            elif self._at_line_start and wanted.line.match(self._buffer, self._position):
                return
            else:
                found = wanted.after_line_end.search(self._buffer, self._position)
                if found is not None:
                    self._position = found.start() + 1
                    self._at_line_start = True
                    return
                # Keep the tail a wanted line (and the line end before it) may begin in.
                keep = max(self._position, len(self._buffer) - wanted.longest - 1)
                if keep > self._position:
                    self._position = keep
                    self._at_line_start = False
            if self._ended:
                self._position = len(self._buffer)
                return
            self._fill()

    def _may_continue(self, match: re.Match[bytes]) -> bool:
        # A CR at the end of what we have may be the first half of a CR LF.
        return match.group() == b"\r" and match.end() == len(self._buffer) and not self._ended

    def _piece(self, length: int) -> Line:
        piece = Line(
            self._buffer[self._position : self._position + length], b"", self._at_line_start
        )
        self._position += length
        self._at_line_start = False
        return piece

    def _fill(self) -> None:
        chunk = self._stream.read(_CHUNK_BYTES)
        if not chunk:
            self._ended = True
            return
        room = self._max_bytes - self.bytes_read
        self.bytes_read += len(chunk)
        if len(chunk) > room:
            self.too_large = True
            self._ended = True
            chunk = chunk[: max(room, 0)]
        self._buffer = self._buffer[self._position :] + chunk
        self._position = 0
