"""Start `contact-relay dev` as a storefront operator would, and talk to it over HTTP: the
end-to-end tests' stack and the benchmarks' alike."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLI = Path(sys.executable).parent / "contact-relay"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HttpResult:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RawAnswer:
    """What came back for bytes written to a socket: an answer, or a close without one."""

    status: int | None
    headers: dict[str, str]
    body: bytes
    # From the last byte sent to the answer, or to the close when there was no answer.
    seconds: float
    # Whether the server closed the connection after answering.
    closed: bool

    def json(self) -> Any:
        return json.loads(self.body)


def raw_exchange(port: int, data: bytes, timeout: float = 30) -> RawAnswer:
    """Write `data` to the stack as it is (any Content-Length, any Host), then read one answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        sent = time.monotonic()
        response = http.client.HTTPResponse(connection)
        try:
            response.begin()
            body = response.read()
        except (http.client.HTTPException, ConnectionError):
            return RawAnswer(None, {}, b"", time.monotonic() - sent, True)
        seconds = time.monotonic() - sent
        return RawAnswer(
            response.status, dict(response.getheaders()), body, seconds, closed(connection)
        )


def closed(connection: socket.socket, within: float = 5) -> bool:
    """Whether the peer closes `connection` (nothing more to read) within `within` seconds."""
    connection.settimeout(within)
    try:
        return connection.recv(1) == b""
    except ConnectionError:
        return True
    except TimeoutError:
        return False


class RunningStack:
    def __init__(
        self, extra_env: dict[str, str] | None = None, arguments: list[str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "POWERTOOLS_", "SELLERS_", "MESSAGES_", "IDEMPOTENCY_"))
        }
        environment.update(extra_env or {})
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(CLI), "dev", "--port", str(self.port), *(arguments or [])],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
        )
        self.ready_line = self._wait_until_ready()
        # Keep reading what the stack prints, so a busy stack never blocks on a full pipe.
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)

    def _wait_until_ready(self, timeout: float = 60) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        # What it prints before it is ready (its warnings), kept for the tests.
        self.startup_lines: list[str] = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if "ready on" in line:
                return line
            self.startup_lines.append(line)
            if not line and self.process.poll() is not None:
                break
        self.process.kill()
        output = "".join(self.startup_lines) + self.process.stdout.read()
        raise RuntimeError(f"contact-relay dev did not start: {output}")

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> HttpResult:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"} if data is not None else {}
        all_headers.update(headers or {})
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers=all_headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return HttpResult(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, dict(error.headers.items()), error.read())

    def cold_start(self) -> None:
        """The next request starts in a new execution environment."""
        assert self.request("POST", "/_local/cold-start").status == 200

    def printed(self) -> str:
        """What the stack has printed so far (after its ready line)."""
        return "".join(self._lines)

    def lines_with(self, text: str) -> list[str]:
        """Every line printed so far (after the ready line) that holds `text`."""
        return [line for line in list(self._lines) if text in line]

    def wait_for_lines(self, text: str, count: int, timeout: float = 10) -> list[str]:
        """`lines_with(text)`, once there are at least `count` of them or `timeout` has passed."""
        deadline = time.monotonic() + timeout
        while len(lines := self.lines_with(text)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return lines

    def raw(self, data: bytes, timeout: float = 30) -> RawAnswer:
        return raw_exchange(self.port, data, timeout)

    def outbox(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self.request("GET", "/_local/outbox").json()["messages"]
        return messages

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._reader.join(timeout=10)
            self.output = "".join(self._lines)
        return code
