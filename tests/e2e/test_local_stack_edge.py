"""The local stack's edge: where it listens, whom it answers, how much and how long it reads.

The outbox holds buyers' names, addresses and messages, so the stack stays on loopback unless
told otherwise, answers only requests addressed to itself (no DNS rebinding), and no client can
make it read an unbounded body or hold it with a slow request.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from contact_relay_local.connection_handler import BODY_SECONDS, HEAD_SECONDS
from contact_relay_local.devserver import MAX_CONNECTIONS
from contact_relay_local.edge import BODY_CEILING
from contact_relay_local.running_stack import CLI, RawAnswer, RunningStack, closed, free_port

pytestmark = pytest.mark.e2e

MESSAGE = {"topic": "other", "message": "hello", "buyer": {"name": "Eve", "email": "e@example.com"}}
# Slack for a loaded machine on top of the server's own deadlines.
SLACK = 5.0


def envelope_code(answer: RawAnswer) -> str:
    assert answer.headers["Content-Type"] == "application/json"
    code: str = answer.json()["error"]["code"]
    assert set(answer.json()["error"]) == {"code", "message"}
    return code


def post_head(
    stack: RunningStack, *headers: str, path: str = "/sellers/example-store/messages"
) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{stack.port}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# (a) Loopback unless the operator opts in.


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_listening_beyond_loopback_is_refused_without_the_opt_in(host: str) -> None:
    port = free_port()

    result = subprocess.run(
        [str(CLI), "dev", "--host", host, "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"contact-relay: refusing to listen on {host}, beyond loopback")
    assert "/_local/outbox" in line and "--allow-remote" in line
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_the_opt_in_warns_loudly_and_the_host_is_still_checked() -> None:
    stack = RunningStack(arguments=["--host", "0.0.0.0", "--allow-remote"])
    try:
        by_loopback = stack.request("GET", "/topics")
        by_address = stack.request("GET", "/topics", headers={"Host": f"192.0.2.7:{stack.port}"})
        by_name = stack.request(
            "GET", "/_local/outbox", headers={"Host": f"rebound.example:{stack.port}"}
        )
    finally:
        assert stack.stop() == 0

    warning = "".join(stack.startup_lines)
    assert warning.count("WARNING") >= 3
    assert "/_local/outbox" in warning and "name, email" in warning
    assert f"ready on http://0.0.0.0:{stack.port}/" in stack.ready_line
    assert by_loopback.status == 200
    # On a wildcard address any IP address may be the one a client used; a name never rebinds.
    assert by_address.status == 200
    assert by_name.status == 421


# (b) Only requests addressed to this server: DNS rebinding reads nothing.


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_requests_addressed_to_loopback_are_answered(stack: RunningStack, name: str) -> None:
    response = stack.request("GET", "/topics", headers={"Host": f"{name}:{stack.port}"})

    assert response.status == 200


FOREIGN_HOSTS = [
    "rebound.example:{port}",
    "localhost.rebound.example:{port}",
    "127.0.0.1.nip.io:{port}",
    "localhost:{other}",
    "localhost",
    "[::1]",
    "localhost:{port}.rebound.example",
    "user@localhost:{port}",
    "localhost:",
    "",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_request_addressed_elsewhere_gets_421_and_reads_and_sends_nothing(
    stack: RunningStack, host: str
) -> None:
    value = host.format(port=stack.port, other=stack.port + 1)
    before = len(stack.outbox())

    outbox = stack.request("GET", "/_local/outbox", headers={"Host": value})
    sent = stack.request("POST", "/sellers/example-store/messages", MESSAGE, {"Host": value})

    for response in (outbox, sent):
        assert response.status == 421, response.body
        assert response.json()["error"]["code"] == "misdirected_request"
        assert b"messages" not in response.body
    assert len(stack.outbox()) == before


@pytest.mark.parametrize(
    "head",
    [
        b"GET /_local/outbox HTTP/1.1\r\n\r\n",
        b"GET /_local/outbox HTTP/1.0\r\n\r\n",
        b"GET /_local/outbox HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: rebound.example\r\n\r\n",
    ],
    ids=["none-1.1", "none-1.0", "two"],
)
def test_a_request_without_exactly_one_host_is_refused(stack: RunningStack, head: bytes) -> None:
    answer = stack.raw(head.replace(b"{port}", str(stack.port).encode()))

    assert answer.status == 400
    assert envelope_code(answer) == "bad_request"


# (c) Bodies: a declared, bounded length, or nothing is read.


@pytest.mark.parametrize(
    ("length", "status", "code"),
    [
        ("-1", 400, "bad_request"),
        ("abc", 400, "bad_request"),
        ("+5", 400, "bad_request"),
        ("1e3", 400, "bad_request"),
        ("5, 5", 400, "bad_request"),
        # A digit to `str.isdigit`, not to HTTP.
        ("\u00b2", 400, "bad_request"),
        (str(BODY_CEILING + 1), 413, "payload_too_large"),
        ("10000000", 413, "payload_too_large"),
        ("9" * 5000, 413, "payload_too_large"),
    ],
)
def test_a_content_length_it_will_not_read_is_answered_at_once(
    stack: RunningStack, length: str, status: int, code: str
) -> None:
    before = len(stack.outbox())

    # The body is never sent: a server that waited for it would not answer.
    answer = stack.raw(
        post_head(stack, "Content-Type: application/json", f"Content-Length: {length}"),
        timeout=SLACK,
    )

    assert answer.status == status
    assert envelope_code(answer) == code
    assert answer.closed
    assert len(stack.outbox()) == before


def test_two_content_lengths_or_a_chunked_body_are_refused(stack: RunningStack) -> None:
    two = stack.raw(post_head(stack, "Content-Length: 2", "Content-Length: 2") + b"{}")
    chunked = stack.raw(
        post_head(stack, "Content-Type: application/json", "Transfer-Encoding: chunked")
        + b"2\r\n{}\r\n0\r\n\r\n"
    )

    assert (two.status, envelope_code(two)) == (400, "bad_request")
    assert (chunked.status, envelope_code(chunked)) == (411, "length_required")
    assert two.closed and chunked.closed


def test_a_refusal_comes_before_100_continue(stack: RunningStack) -> None:
    answer = stack.raw(
        post_head(stack, "Content-Length: 10000000", "Expect: 100-continue"), timeout=SLACK
    )

    assert answer.status == 413
    assert envelope_code(answer) == "payload_too_large"


@pytest.mark.parametrize(
    ("head", "status", "code"),
    [
        (
            "GET /topics HTTP/1.1\r\nHost: {host}\r\n" + "X-Filler: a\r\n" * 101 + "\r\n",
            431,
            "request_header_fields_too_large",
        ),
        (
            "GET /topics HTTP/1.1\r\nHost: {host}\r\n"
            + f"X-Filler: {'a' * 8000}\r\n" * 10
            + "\r\n",
            431,
            "request_header_fields_too_large",
        ),
        ("GET /" + "a" * 70_000 + " HTTP/1.1\r\nHost: {host}\r\n\r\n", 414, "request_uri_too_long"),
        ("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "bad_request"),
        ("GET /topics HTTP/9.9\r\nHost: {host}\r\n\r\n", 505, "http_version_not_supported"),
    ],
    ids=["101-headers", "80-KiB-of-headers", "70-KiB-request-line", "tls-hello", "http-9.9"],
)
def test_a_head_it_will_not_parse_is_refused_in_the_envelope(
    stack: RunningStack, head: str, status: int, code: str
) -> None:
    answer = stack.raw(head.replace("{host}", f"127.0.0.1:{stack.port}").encode("latin-1"))

    assert answer.status == status
    assert envelope_code(answer) == code
    assert answer.closed


# (d) Slow clients and many of them.


def test_stalled_and_trickling_clients_are_cut_off_while_others_are_served(
    stack: RunningStack,
) -> None:
    stalled: list[RawAnswer] = []
    trickled: list[tuple[bool, float]] = []

    def stall_after_the_headers() -> None:
        head = post_head(stack, "Content-Type: application/json", "Content-Length: 100")
        stalled.append(stack.raw(head, timeout=BODY_SECONDS + SLACK))

    def trickle_the_headers() -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", stack.port), timeout=SLACK) as connection:
            connection.sendall(f"GET /topics HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n".encode())
            for _ in range(int((HEAD_SECONDS + SLACK) / 0.25)):
                try:
                    connection.sendall(b"X")
                except OSError:
                    break
                time.sleep(0.25)
            trickled.append((closed(connection, within=SLACK), time.monotonic() - started))

    slow_clients = [
        threading.Thread(target=stall_after_the_headers),
        threading.Thread(target=trickle_the_headers),
    ]
    for client in slow_clients:
        client.start()
    time.sleep(0.5)

    started = time.monotonic()
    served = stack.request("GET", "/topics")
    served_seconds = time.monotonic() - started
    for client in slow_clients:
        client.join(timeout=BODY_SECONDS + 3 * SLACK)

    assert served.status == 200 and served_seconds < SLACK
    [answer] = stalled
    assert answer.status == 408 and envelope_code(answer) == "request_timeout"
    assert BODY_SECONDS - 1 < answer.seconds < BODY_SECONDS + SLACK
    assert answer.closed
    [(trickle_closed, trickle_seconds)] = trickled
    assert trickle_closed and trickle_seconds < HEAD_SECONDS + SLACK


@pytest.fixture
def flood(stack: RunningStack) -> Iterator[list[socket.socket]]:
    connections = [
        socket.create_connection(("127.0.0.1", stack.port), timeout=SLACK)
        for _ in range(MAX_CONNECTIONS + 72)
    ]
    yield connections
    for connection in connections:
        connection.close()


def test_a_flood_of_idle_connections_is_shed_and_the_stack_serves_again(
    stack: RunningStack, flood: list[socket.socket]
) -> None:
    started = time.monotonic()
    answered = None
    while answered is None and time.monotonic() - started < HEAD_SECONDS + SLACK:
        try:
            answered = stack.request("GET", "/topics").status
        except OSError:
            time.sleep(0.1)

    assert answered == 200
    assert all(closed(connection, within=HEAD_SECONDS + SLACK) for connection in flood)
    assert time.monotonic() - started < 2 * (HEAD_SECONDS + SLACK)


def test_a_kept_alive_connection_serves_request_after_request(stack: RunningStack) -> None:
    head = f"GET /topics HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n\r\n".encode()
    statuses = []
    with socket.create_connection(("127.0.0.1", stack.port), timeout=SLACK) as connection:
        reader = connection.makefile("rb")
        for _ in range(3):
            connection.sendall(head)
            statuses.append(reader.readline().split()[1])
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            assert "topics" in json.loads(reader.read(length))

    assert statuses == [b"200"] * 3
