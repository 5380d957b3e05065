"""The HTTP server of `contact-relay dev`: the relay, its demo page and a local outbox, on one port.

API requests are turned into API Gateway proxy events and handed to the same `lambda_handler`
that runs in AWS, in one warm execution environment (`environments.py`), one request at a time,
as one Lambda instance takes them; `POST /_local/cold-start` replaces that environment.
Once an invocation's answer is sent, the SES events its emails would cause (`ses_event_publishing`)
go to the delivery events function, in its own warm environment, as EventBridge would invoke it.
`POST /_local/inbound` receives a raw message as SES receiving would, and hands it to the inbound
function in its own warm environment (`local_inbound.py`).
Every request first passes the edge (`edge.py`): addressed to this server, with a body of a
declared and bounded length; its head and body must each arrive within a deadline, and its head
within a ceiling (`request_io.py`). This module is the server: its connections and its functions;
`connection_handler.py` holds a connection's HTTP, `dev_routes.py` what each path answers.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

from contact_relay_local.dev_routes import RouteHandler
from contact_relay_local.edge import HostCheck
from contact_relay_local.environments import WarmFunction
from contact_relay_local.local_inbound import LocalInbound
from contact_relay_local.stack import LocalAWS

# Connections served at once; more are closed as soon as they are accepted.
MAX_CONNECTIONS = 128


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
        super().__init__(address, RouteHandler)
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
