"""`contact-relay dev`: the relay, its demo page and a local outbox, on one port.

API requests are turned into API Gateway proxy events and handed to the same `lambda_handler`
that runs in AWS, in one warm execution environment (`environments.py`), one request at a time,
as one Lambda instance takes them; `POST /_local/cold-start` replaces that environment.
Once an invocation's answer is sent, the SES events its emails would cause (`ses_event_publishing`)
go to the delivery events function, in its own warm environment, as EventBridge would invoke it.
`POST /_local/inbound` receives a raw message as SES receiving would, and hands it to the inbound
function in its own warm environment (`local_inbound.py`).
Every request first passes the edge (`edge.py`): addressed to this server, with a body of a
declared and bounded length; its head and body must each arrive within a deadline, and its head
within a ceiling (`request_io.py`).
"""

from __future__ import annotations

import binascii
import html
import json
import socket
import sys
import threading
import time
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, ClassVar
from urllib.parse import urlsplit

from contact_relay_local.edge import HostCheck, Refusal, body_length, host_refusal
from contact_relay_local.environments import Invocation, WarmFunction
from contact_relay_local.gateway import HttpAnswer, http_answer, proxy_event
from contact_relay_local.local_inbound import INBOUND_PATH, MAX_INBOUND_BYTES, LocalInbound
from contact_relay_local.request_io import DeadlineReader, HeadTooLarge, RequestReader
from contact_relay_local.stack import LocalAWS

COLD_START_PATH = "/_local/cold-start"
# A request's line and headers (or a kept-alive connection's wait for its next request), then
# its body, must each arrive within these; a response must be taken within WRITE_SECONDS.
HEAD_SECONDS = 5.0
# The request line and headers together; a browser's own stay far below (API Gateway takes 10 KiB
# of header values, but a laptop's localhost cookies, shared by every local server, can be more).
MAX_HEAD_BYTES = 64 * 1024
BODY_SECONDS = 10.0
WRITE_SECONDS = 10.0
# Connections served at once; more are closed as soon as they are accepted.
MAX_CONNECTIONS = 128
# After refusing a request whose body was not read: how much of it to swallow before closing,
# so the client reads the refusal instead of a reset connection.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1024 * 1024
_ASSETS = {
    "/assets/contact-form.js": "application/javascript; charset=utf-8",
    "/assets/contact-form.css": "text/css; charset=utf-8",
}


def base_url(host: str, port: int) -> str:
    """The stack's own URL: the API's base, as PUBLIC_API_URL and the printed address say it."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class DevServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        aws: LocalAWS,
        default_seller: str,
        function: WarmFunction,
        events_function: WarmFunction | None = None,
        inbound: LocalInbound | None = None,
    ) -> None:
        host = address[0]
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__(address, _RequestHandler)
        self.aws = aws
        self.default_seller = default_seller
        self.function = function
        self.events_function = events_function
        self.inbound = inbound
        self.host_check = HostCheck(host, self.port)
        self.quiet = False
        # A line per SES event handed to the events function: only with --verbose, since by
        # default the stack prints one line per request and nothing else.
        self.announce_events = False
        self._connections = threading.BoundedSemaphore(MAX_CONNECTIONS)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return base_url(str(self.server_address[0]), self.port)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._connections.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that resets or drops its connection is its own business, not a traceback.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.function.close()
        if self.events_function is not None:
            self.events_function.close()
        if self.inbound is not None and self.inbound.function is not None:
            self.inbound.function.close()

    @property
    def functions(self) -> list[WarmFunction]:
        inbound = self.inbound.function if self.inbound is not None else None
        return [f for f in (self.function, self.events_function, inbound) if f is not None]

    def publish_delivery_events(self) -> list[str]:
        """Hand the delivery events function every SES event of the emails sent since the last
        call, oldest first; a line for each, as the stack prints for a request."""
        lines = []
        for event in self.aws.delivery_events():
            if self.events_function is None:
                break
            started = time.perf_counter()
            invocation = self.events_function.invoke(event)
            outcome = (invocation.response or {}).get("outcome", invocation.failure)
            elapsed_ms = (time.perf_counter() - started) * 1000
            lines.append(
                f"SES {event['detail-type']} -> {self.events_function.name}: {outcome}"
                f" {elapsed_ms:.1f} ms"
            )
        return lines


class _RequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    # Answer what cannot be parsed with a status line and headers, never as HTTP/0.9 (a bare body).
    default_request_version = "HTTP/1.0"
    # Set on the socket by `setup`: every write; reads have the deadlines of `DeadlineReader`.
    timeout = WRITE_SECONDS
    _LOCAL_GET: ClassVar[set[str]] = {
        "/",
        "/index.html",
        "/openapi.json",
        "/_local/outbox",
        *_ASSETS,
    }

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
        # Every other method (PUT, DELETE, TRACE, ...) goes to the API too, which answers 405
        # on a known path and 404 elsewhere, as API Gateway would.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        path = urlsplit(self.path).path
        if path == COLD_START_PATH:
            self._cold_start()
        elif path == INBOUND_PATH and self.server.inbound is not None:
            self._receive(body)
        elif self.command == "GET" and path in self._LOCAL_GET:
            self._serve_local(path)
        else:
            self._invoke(body)

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

    def _only_post(self) -> bool:
        if self.command != "POST":
            self._send_json(
                405,
                _envelope("method_not_allowed", "Use POST."),
                extra_headers=[("Allow", "POST")],
            )
        return self.command == "POST"

    def _cold_start(self) -> None:
        if not self._only_post():
            return
        for function in self.server.functions:
            function.cold_start()
        self._send_json(200, {"coldStart": [function.name for function in self.server.functions]})

    def _receive(self, body: bytes) -> None:
        assert self.server.inbound is not None
        if not self._only_post():
            return
        answer = self.server.inbound.receive(self.headers, body)
        notes = []
        if answer.init_ms is not None:
            notes.append(f"cold start, init {answer.init_ms:.0f} ms")
        if answer.failure is not None:
            notes.append(answer.failure)
        text = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
        self._respond(answer.status, headers, text, notes=notes)
        self._publish_delivery_events()

    def _publish_delivery_events(self) -> None:
        # After the answer, as SES publishes after SendEmail has returned.
        for line in self.server.publish_delivery_events():
            if self.server.announce_events and not self.server.quiet:
                print(line, file=sys.stderr, flush=True)

    def _serve_local(self, path: str) -> None:
        if path == "/_local/outbox":
            messages = [message.to_json() for message in self.server.aws.outbox()]
            self._send_json(200, {"messages": messages})
        elif path == "/openapi.json":
            self._send(200, "application/json", _api_document())
        elif path in _ASSETS:
            self._send(200, _ASSETS[path], _static(path.rsplit("/", 1)[-1]))
        else:
            page = _static("index.html").replace(
                "{{DEFAULT_SELLER}}", html.escape(self.server.default_seller, quote=True)
            )
            self._send(200, "text/html; charset=utf-8", page)

    def _invoke(self, body: bytes) -> None:
        event = proxy_event(
            self.command, self.path, self.headers.items(), body, self.client_address[0]
        )
        invocation = self.server.function.invoke(event)
        answer = None
        if invocation.response is not None:
            try:
                answer = http_answer(invocation.response)
            except (KeyError, TypeError, ValueError, binascii.Error):
                invocation = Invocation(None, "not a proxy result", invocation.init_ms)
        if answer is None:
            # API Gateway's answer to a failed integration, in the relay's error envelope.
            text = json.dumps(_envelope("bad_gateway", "The function failed."))
            answer = HttpAnswer(502, [("Content-Type", "application/json")], text.encode())
        notes = []
        if invocation.init_ms is not None:
            notes.append(f"cold start, init {invocation.init_ms:.0f} ms")
        if invocation.failure is not None:
            notes.append(f"{self.server.function.name}: {invocation.failure}")
        self._respond(answer.status, answer.headers, answer.body, notes=notes)
        self._publish_delivery_events()

    def _refuse(self, refusal: Refusal) -> None:
        # The body, if any, stays unread: the connection cannot carry another request.
        self._linger = True
        self._send_json(refusal.status, _envelope(refusal.code, refusal.message), close=True)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, too many or too long headers)
        in the error envelope, never repeating what the client sent."""
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        error_code = "_".join(phrase.lower().replace("-", " ").split())
        self._linger = True
        self._send_json(code, _envelope(error_code, f"{phrase}."), close=True)

    def _send_json(
        self,
        status: int,
        value: Any,
        close: bool = False,
        extra_headers: list[tuple[str, str]] | None = None,
    ) -> None:
        self._send(
            status,
            "application/json",
            json.dumps(value, ensure_ascii=False),
            close=close,
            extra_headers=extra_headers,
        )

    def _send(
        self,
        status: int,
        content_type: str,
        text: str,
        close: bool = False,
        extra_headers: list[tuple[str, str]] | None = None,
    ) -> None:
        headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
        self._respond(status, headers + (extra_headers or []), text.encode("utf-8"), close=close)

    def _respond(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        close: bool = False,
        notes: list[str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._log_line(status, notes or [])

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
        print(
            f"{self.command or '-'} {path or '-'} {status} {reason} {elapsed_ms:.1f} ms{suffix}",
            file=sys.stderr,
            flush=True,
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's own log; `_log_line` writes one line per request instead."""


def _envelope(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


@lru_cache(maxsize=1)
def _api_document() -> str:
    """The document of the relay this stack runs, whose configuration (MAX_MESSAGE_CHARS,
    MARKETPLACE_NAME) it reflects. Generated once: a resolver takes ~0.1 s to build."""
    from contact_relay.handlers.openapi_document import api_document
    from contact_relay.settings import load_settings

    return api_document(load_settings())


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


def first_active_seller(sellers: list[dict[str, str]]) -> str:
    for seller in sellers:
        if seller.get("status") == "active" and seller.get("replyToEmail"):
            return seller["sellerId"]
    return sellers[0]["sellerId"] if sellers else ""
