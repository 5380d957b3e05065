"""A WSGI layer in front of the local stack's moto that keeps every SESv2 SendEmail moto
accepted, as SES itself keeps it for event publishing: the request's configuration set and
EmailTags (which moto drops), the raw message and the message id SES answered with.

It only reads: requests and answers pass through unchanged.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from contact_relay_local.ses_event_publishing import SentEmail

SEND_EMAIL_PATH = "/v2/email/outbound-emails"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SendEmailTap:
    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._sent: list[SentEmail] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != SEND_EMAIL_PATH:
            return self._app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(request)
        status: list[str] = []

        def keep_status(code: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(code)
            return start_response(code, headers, exc_info)

        answer = b"".join(self._app(environ, keep_status))
        if status and status[0].startswith("200"):
            self._keep(request, answer)
        return [answer]

    def _keep(self, request: bytes, answer: bytes) -> None:
        params = json.loads(request)
        raw = params.get("Content", {}).get("Raw")
        if raw is None:  # the relay sends raw MIME only; nothing else is emulated
            return
        sent = SentEmail(
            ses_message_id=str(json.loads(answer)["MessageId"]),
            source=str(params.get("FromEmailAddress", "")),
            raw_message=base64.b64decode(raw["Data"]),
            configuration_set=params.get("ConfigurationSetName"),
            tags={tag["Name"]: tag["Value"] for tag in params.get("EmailTags", [])},
        )
        with self._lock:
            self._sent.append(sent)

    def take(self) -> list[SentEmail]:
        """The emails sent since the last call, oldest first."""
        with self._lock:
            sent, self._sent = self._sent, []
        return sent
