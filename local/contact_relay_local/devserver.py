"""`contact-relay dev`: the relay, its demo page and a local outbox, on one loopback port.

API requests are turned into API Gateway proxy events and handed to the same `lambda_handler`
that runs in AWS, in one warm execution environment (`environments.py`), one request at a time,
as one Lambda instance takes them; `POST /_local/cold-start` replaces that environment.
"""

from __future__ import annotations

import binascii
import html
import json
import sys
import time
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, ClassVar
from urllib.parse import urlsplit

from contact_relay_local.environments import Invocation, WarmFunction
from contact_relay_local.gateway import HttpAnswer, http_answer, proxy_event
from contact_relay_local.stack import LocalAWS

COLD_START_PATH = "/_local/cold-start"
# API Gateway's own ceiling for a request body; the relay answers 413 far below it.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
_ASSETS = {
    "/assets/contact-form.js": "application/javascript; charset=utf-8",
    "/assets/contact-form.css": "text/css; charset=utf-8",
}


class DevServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        aws: LocalAWS,
        default_seller: str,
        function: WarmFunction,
    ) -> None:
        super().__init__(address, _RequestHandler)
        self.aws = aws
        self.default_seller = default_seller
        self.function = function
        self.quiet = False

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.function.close()


class _RequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    _LOCAL_GET: ClassVar[set[str]] = {
        "/",
        "/index.html",
        "/openapi.json",
        "/_local/outbox",
        *_ASSETS,
    }

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == COLD_START_PATH:
            self._cold_start()
        elif path in self._LOCAL_GET:
            self._serve_local(path)
        else:
            self._invoke()

    def do_POST(self) -> None:
        if urlsplit(self.path).path == COLD_START_PATH:
            self._cold_start()
        else:
            self._invoke()

    def __getattr__(self, name: str) -> Any:
        # Every other method (PUT, DELETE, TRACE, ...) goes to the API too, which answers 405
        # on a known path and 404 elsewhere, as API Gateway would.
        if name.startswith("do_"):
            return self._invoke
        raise AttributeError(name)

    def _cold_start(self) -> None:
        started = time.perf_counter()
        if self.command != "POST":
            body = {"error": {"code": "method_not_allowed", "message": "Use POST."}}
            self._send(405, "application/json", json.dumps(body), allow="POST")
            self._log_line(405, started)
            return
        self.server.function.cold_start()
        self._send(200, "application/json", json.dumps({"coldStart": [self.server.function.name]}))
        self._log_line(200, started)

    def _serve_local(self, path: str) -> None:
        started = time.perf_counter()
        if path == "/_local/outbox":
            messages = [message.to_json() for message in self.server.aws.outbox()]
            self._send(
                200, "application/json", json.dumps({"messages": messages}, ensure_ascii=False)
            )
        elif path == "/openapi.json":
            self._send(200, "application/json", _api_document())
        elif path in _ASSETS:
            self._send(200, _ASSETS[path], _static(path.rsplit("/", 1)[-1]))
        else:
            page = _static("index.html").replace(
                "{{DEFAULT_SELLER}}", html.escape(self.server.default_seller, quote=True)
            )
            self._send(200, "text/html; charset=utf-8", page)
        self._log_line(200, started)

    def _invoke(self) -> None:
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            body = {"error": {"code": "payload_too_large", "message": "The body is too large."}}
            self._send(413, "application/json", json.dumps(body), close=True)
            self._log_line(413, started)
            return
        raw_body = self.rfile.read(length) if length else b""
        event = proxy_event(
            self.command, self.path, self.headers.items(), raw_body, self.client_address[0]
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
            text = json.dumps({"error": {"code": "bad_gateway", "message": "The function failed."}})
            answer = HttpAnswer(502, [("Content-Type", "application/json")], text.encode())
        notes = []
        if invocation.init_ms is not None:
            notes.append(f"cold start, init {invocation.init_ms:.0f} ms")
        if invocation.failure is not None:
            notes.append(f"{self.server.function.name}: {invocation.failure}")
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)
        self._log_line(answer.status, started, notes)

    def _send(
        self,
        status: int,
        content_type: str,
        text: str,
        close: bool = False,
        allow: str | None = None,
    ) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if allow is not None:
            self.send_header("Allow", allow)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _log_line(self, status: int, started: float, notes: list[str] | None = None) -> None:
        if self.server.quiet:
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        path = urlsplit(self.path).path
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        suffix = "".join(f" ({note})" for note in notes or [])
        print(
            f"{self.command} {path} {status} {reason} {elapsed_ms:.1f} ms{suffix}",
            file=sys.stderr,
            flush=True,
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's own log; `_log_line` writes one line per request instead."""


@lru_cache(maxsize=1)
def _api_document() -> str:
    """The document of the relay this stack runs, whose configuration (MAX_MESSAGE_CHARS,
    MARKETPLACE_NAME) it reflects. Generated once: a resolver takes ~0.1 s to build."""
    from contact_relay.handlers.app import api_document
    from contact_relay.settings import load_settings

    return api_document(load_settings())


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


def first_active_seller(sellers: list[dict[str, str]]) -> str:
    for seller in sellers:
        if seller.get("status") == "active" and seller.get("replyToEmail"):
            return seller["sellerId"]
    return sellers[0]["sellerId"] if sellers else ""
