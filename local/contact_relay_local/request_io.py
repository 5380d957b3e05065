"""Reading a request off a socket within bounds: a deadline, and a ceiling on its head.

A timeout on each `recv` alone lets a client that sends a byte every few seconds keep a request
open for ever (slowloris): here every read of one part of a request, however many, shares one
deadline. http.server bounds each header line (64 KiB) and their number (100), which still
allows 6 MiB of headers: here the request line and headers together have a ceiling too.
"""

from __future__ import annotations

import io
import math
import socket
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


class HeadTooLarge(Exception):
    """The request line and headers went past their ceiling."""


class DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, write_timeout: float) -> None:
        super().__init__()
        self._sock = sock
        # Writes share the socket: they get their own timeout back after every read.
        self._write_timeout = write_timeout
        self._deadline = math.inf

    def start(self, seconds: float) -> None:
        """Every read from now on must be done within `seconds`."""
        self._deadline = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the client took too long to send its request")
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv_into(buffer)
        finally:
            self._sock.settimeout(self._write_timeout)


class RequestReader(io.BufferedReader):
    """Lines (the request line and headers) count against the head's ceiling; a body is read
    with `read` and counts against nothing here (its length was checked before)."""

    def __init__(self, raw: DeadlineReader) -> None:
        super().__init__(raw)
        self.deadlines = raw
        self._head_left = math.inf

    def start_head(self, seconds: float, max_bytes: int) -> None:
        self.deadlines.start(seconds)
        self._head_left = max_bytes

    def start_body(self, seconds: float) -> None:
        self.deadlines.start(seconds)

    def readline(self, size: int | None = -1, /) -> bytes:
        line = super().readline(size)
        self._head_left -= len(line)
        if self._head_left < 0:
            raise HeadTooLarge
        return line
