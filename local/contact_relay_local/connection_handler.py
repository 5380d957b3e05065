"""One client connection of the dev server, in HTTP/1.1: each request admitted at the edge
(`edge.py`) and read within its deadlines and ceiling (`request_io.py`), each answer written with
one log line, and every refusal in the error envelope. What a request is answered is the
routes' (`dev_routes.py`)."""

from __future__ import annotations

import json
import socket
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contact_relay_local.edge import Refusal, body_length, error_envelope, host_refusal
from contact_relay_local.local_inbound import INBOUND_PATH, MAX_INBOUND_BYTES
from contact_relay_local.request_io import DeadlineReader, HeadTooLarge, RequestReader

if TYPE_CHECKING:
    from contact_relay_local.devserver import DevServer

# A request's line and headers (or a kept-alive connection's wait for its next request), then
# its body, must each arrive within these; a response must be taken within WRITE_SECONDS.
HEAD_SECONDS = 5.0
# The request line and headers together; a browser's own stay far below (API Gateway takes 10 KiB
# of header values, but a laptop's localhost cookies, shared by every local server, can be more).
MAX_HEAD_BYTES = 64 * 1024
BODY_SECONDS = 10.0
WRITE_SECONDS = 10.0
# After refusing a request whose body was not read: how much of it to swallow before closing,
# so the client reads the refusal instead of a reset connection.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1024 * 1024


class ConnectionHandler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    # Answer what cannot be parsed with a status line and headers, never as HTTP/0.9 (a bare body).
    default_request_version = "HTTP/1.0"
    # Set on the socket by `setup`: every write; reads have the deadlines of `DeadlineReader`.
    timeout = WRITE_SECONDS

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = self._reader = RequestReader(DeadlineReader(self.connection, WRITE_SECONDS))
        self._body_length = 0
        self._linger = False
        self._started = time.perf_counter()

    def handle_one_request(self) -> None:
        self._reader.start_head(HEAD_SECONDS, MAX_HEAD_BYTES)
        self._started = time.perf_counter()
        # What a refusal needs, should one come before the request line is parsed.
        self.raw_requestline, self.requestline = b"", ""
        self.command, self.path, self.request_version = "", "", self.default_request_version
        try:
            super().handle_one_request()
        except HeadTooLarge:
            self.send_error(
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                if self.raw_requestline
                else HTTPStatus.REQUEST_URI_TOO_LONG
            )

    def parse_request(self) -> bool:
        return super().parse_request() and self._admit()

    def handle_expect_100(self) -> bool:
        # Refuse before inviting the body with `100 Continue`.
        return self._admit() and super().handle_expect_100()

    def _admit(self) -> bool:
        refusal = host_refusal(self.headers, self.server.host_check)
        if urlsplit(self.path).path == INBOUND_PATH:
            length = body_length(self.headers, MAX_INBOUND_BYTES, MAX_INBOUND_BYTES)
        else:
            length = body_length(self.headers)
        if refusal is None and isinstance(length, Refusal):
            refusal = length
        if refusal is not None:
            self._refuse(refusal)
            return False
        assert isinstance(length, int)
        self._body_length = length
        return True

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def __getattr__(self, name: str) -> Any:
        # Every other method (PUT, DELETE, TRACE, ...) is answered too: the routes hand it to the
        # API, which answers 405 on a known path and 404 elsewhere, as API Gateway would.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        body = self._read_body()
        if body is not None:
            self.answer(body)

    def answer(self, body: bytes) -> None:
        """Answer the admitted request, whose whole body is `body`: the server's routes."""
        raise NotImplementedError

    def _read_body(self) -> bytes | None:
        if not self._body_length:
            return b""
        self._reader.start_body(BODY_SECONDS)
        try:
            body = self.rfile.read(self._body_length)
        except TimeoutError:
            self._refuse(Refusal(408, "request_timeout", "The body did not arrive in time."))
            return None
        if len(body) < self._body_length:
            self.close_connection = True
            return None
        return body

    def _refuse(self, refusal: Refusal) -> None:
        # The body, if any, stays unread: the connection cannot carry another request.
        self._linger = True
        self._send_json(refusal.status, error_envelope(refusal.code, refusal.message), close=True)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, too many or too long headers)
        in the error envelope, never repeating what the client sent."""
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        error_code = "_".join(phrase.lower().replace("-", " ").split())
        self._linger = True
        self._send_json(code, error_envelope(error_code, f"{phrase}."), close=True)

    def _send_json(
        self,
        status: int,
        value: Any,
        close: bool = False,
        extra_headers: list[tuple[str, str]] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        self._send(
            status,
            "application/json",
            json.dumps(value, ensure_ascii=False),
            close=close,
            extra_headers=extra_headers,
            notes=notes,
        )

    def _send(
        self,
        status: int,
        content_type: str,
        text: str,
        close: bool = False,
        extra_headers: list[tuple[str, str]] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
        body = text.encode("utf-8")
        self._respond(status, headers + (extra_headers or []), body, close=close, notes=notes)

    def _respond(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        close: bool = False,
        notes: list[str] | None = None,
    ) -> None:
        # Logged before the answer goes out: once the client has it, its next request may be
        # logged, and the lines would no longer come in the order the requests were answered.
        self._log_line(status, notes or [])
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self._linger:
                self._swallow_unread_body()

    def _swallow_unread_body(self) -> None:
        """Half-close, then read what the client still sends (bounded) before the close: closing
        a socket with unread data resets it, and the client may lose the answer."""
        try:
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_SECONDS
            budget = LINGER_BYTES
            while budget > 0 and (remaining := deadline - time.monotonic()) > 0:
                self.connection.settimeout(remaining)
                chunk = self.connection.recv(min(budget, 64 * 1024))
                if not chunk:
                    break
                budget -= len(chunk)
        except OSError:
            pass

    def _log_line(self, status: int, notes: list[str]) -> None:
        if self.server.quiet:
            return
        elapsed_ms = (time.perf_counter() - self._started) * 1000
        path = urlsplit(getattr(self, "path", "")).path
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        suffix = "".join(f" ({note})" for note in notes)
        line = f"{self.command or '-'} {path or '-'} {status} {reason} {elapsed_ms:.1f} ms{suffix}"
        # One write, the line break included: print() writes it apart, and the lines of two
        # threads could run together.
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's own log; `_log_line` writes one line per request instead."""
