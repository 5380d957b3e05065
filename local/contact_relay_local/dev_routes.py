"""What the dev server answers on each path: the API, through the contact function's warm
environment; `/_local/cold-start`, `/_local/inbound` and `/_local/outbox`; the demo page, its
assets and the OpenAPI document. After an answer that sent email, SES's events for it go to the
delivery events function."""

from __future__ import annotations

import binascii
import html
import json
import sys
from functools import lru_cache
from importlib import resources
from typing import ClassVar
from urllib.parse import urlsplit

from contact_relay_local.connection_handler import ConnectionHandler
from contact_relay_local.edge import error_envelope
from contact_relay_local.environments import Invocation
from contact_relay_local.gateway import HttpAnswer, http_answer, proxy_event
from contact_relay_local.local_inbound import INBOUND_PATH

COLD_START_PATH = "/_local/cold-start"
_ASSETS = {
    "/assets/contact-form.js": "application/javascript; charset=utf-8",
    "/assets/contact-form.css": "text/css; charset=utf-8",
}


class RouteHandler(ConnectionHandler):
    _LOCAL_GET: ClassVar[set[str]] = {
        "/",
        "/index.html",
        "/openapi.json",
        "/_local/outbox",
        *_ASSETS,
    }

    def answer(self, body: bytes) -> None:
        path = urlsplit(self.path).path
        if path == COLD_START_PATH:
            self._cold_start()
        elif path == INBOUND_PATH and self.server.inbound is not None:
            self._receive(body)
        elif self.command == "GET" and path in self._LOCAL_GET:
            self._serve_local(path)
        else:
            self._invoke(body)

    def _only_post(self) -> bool:
        if self.command != "POST":
            self._send_json(
                405,
                error_envelope("method_not_allowed", "Use POST."),
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
        notes = _invocation_notes(answer.init_ms, answer.failure)
        self._send_json(answer.status, answer.body, notes=notes)
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
            text = json.dumps(error_envelope("bad_gateway", "The function failed."))
            answer = HttpAnswer(502, [("Content-Type", "application/json")], text.encode())
        failure = invocation.failure
        if failure is not None:
            failure = f"{self.server.function.name}: {failure}"
        notes = _invocation_notes(invocation.init_ms, failure)
        self._respond(answer.status, answer.headers, answer.body, notes=notes)
        self._publish_delivery_events()


def _invocation_notes(init_ms: float | None, failure: str | None) -> list[str]:
    """What the request's log line adds: a cold start's init time, and why a function gave no
    usable answer."""
    notes = []
    if init_ms is not None:
        notes.append(f"cold start, init {init_ms:.0f} ms")
    if failure is not None:
        notes.append(failure)
    return notes


@lru_cache(maxsize=1)
def _api_document() -> str:
    """The document of the relay this stack runs, whose configuration (MAX_MESSAGE_CHARS,
    MARKETPLACE_NAME) it reflects. Generated once: a resolver takes ~0.1 s to build."""
    from contact_relay.handlers.openapi_document import api_document
    from contact_relay.settings import load_settings

    return api_document(load_settings())


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")
