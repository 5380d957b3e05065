"""The local stack runs the function as one warm Lambda instance does, and can start it cold."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from contact_relay_local.running_stack import RunningStack

pytestmark = pytest.mark.e2e

SELLER_PATH = "/sellers/example-store/messages"
COLD = "(cold start, init "


@pytest.fixture(scope="module")
def warm_stack() -> Iterator[RunningStack]:
    # A stack of its own: these tests count cold starts in what it prints, and send more
    # messages from one address than the session's stack should spend of its rate limit.
    running = RunningStack()
    yield running
    assert running.stop() == 0


def topics_lines(stack: RunningStack, count: int) -> list[str]:
    lines = stack.wait_for_lines("GET /topics ", count)
    assert len(lines) == count, stack.printed()
    return lines


def test_requests_share_one_warm_environment_until_a_cold_start(
    warm_stack: RunningStack,
) -> None:
    # Given a fresh environment
    restarted = warm_stack.request("POST", "/_local/cold-start")
    assert restarted.status == 200
    assert restarted.json() == {
        "coldStart": ["ContactFunction", "DeliveryEventsFunction", "InboundFunction"]
    }
    before = len(warm_stack.lines_with("GET /topics "))

    # When three requests come, then a cold start, then one more
    statuses = [warm_stack.request("GET", "/topics").status for _ in range(3)]
    assert warm_stack.request("POST", "/_local/cold-start").status == 200
    statuses.append(warm_stack.request("GET", "/topics").status)

    # Then only the first request after each cold start ran an init phase
    assert statuses == [200, 200, 200, 200]
    lines = topics_lines(warm_stack, before + 4)[before:]
    assert [COLD in line for line in lines] == [True, False, False, True], lines


def test_cold_start_takes_post_only(warm_stack: RunningStack) -> None:
    response = warm_stack.request("GET", "/_local/cold-start")

    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_cold_every_request_starts_each_request_in_a_new_environment() -> None:
    stack = RunningStack(arguments=["--cold-every-request"])
    try:
        statuses = [stack.request("GET", "/topics").status for _ in range(3)]
        lines = topics_lines(stack, 3)
    finally:
        assert stack.stop() == 0

    assert statuses == [200, 200, 200]
    assert all(COLD in line for line in lines), lines


def environment_pids(
    stack: RunningStack, handler: bytes = b"contact_relay.handlers.contact.lambda_handler"
) -> list[int]:
    """The live execution environments of the stack's function with `handler` (the contact
    function's unless told): its `lambda_runtime` child processes that have not exited (a
    process that has exited is a zombie until the stack reaps it)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if (
            int(parent) == stack.process.pid
            and state != "Z"
            and b"contact_relay_local.lambda_runtime" in command
            and handler in command.split(b"\0")
        ):
            pids.append(int(stat.parent.name))
    return pids


def has_exited(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_an_environment_that_died_between_requests_is_replaced(warm_stack: RunningStack) -> None:
    # Given a warm environment, one process
    assert warm_stack.request("GET", "/topics").status == 200
    [pid] = environment_pids(warm_stack)
    before = len(warm_stack.lines_with(COLD))

    # When it dies between two requests
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not has_exited(pid) and time.monotonic() < deadline:
        time.sleep(0.05)

    # Then the next request is answered from a new one
    assert warm_stack.request("GET", "/topics").status == 200
    assert len(warm_stack.wait_for_lines(COLD, before + 1)) == before + 1
    assert environment_pids(warm_stack) not in ([], [pid])


@dataclass(frozen=True)
class Message:
    """One distinct request: DESIGN.md says it sends one email, and each retry of it (same
    buyer, same text, same key or none) repeats its first answer and sends nothing."""

    label: str
    buyer: str
    text: str
    key: str | None = None


HANAKO_KEYED = Message("hanako, key q-1", "hanako", "When will order 503-1 ship?", "q-1")
TARO_KEYLESS = Message("taro, no key", "taro", "Is the teapot still in stock?")
JIRO_KEYLESS = Message("jiro, no key", "jiro", "Do you ship to Osaka?")
# The same key from another buyer is another request.
JIRO_KEYED = Message("jiro, key q-1", "jiro", "Can you gift-wrap it?", "q-1")
KEYED_FIRST = [HANAKO_KEYED, TARO_KEYLESS, JIRO_KEYLESS, JIRO_KEYED]
KEYLESS_FIRST = [TARO_KEYLESS, HANAKO_KEYED, JIRO_KEYLESS, JIRO_KEYED]


@dataclass(frozen=True)
class Sent:
    status: int
    emails: int
    answer: object


def send(stack: RunningStack, message: Message, run: str) -> Sent:
    before = len(stack.outbox())
    headers = {"Idempotency-Key": f"{message.key}-{run}"} if message.key else {}
    body = {
        "topic": "other",
        "message": f"{message.text} ({run})",
        "buyer": {"name": message.buyer.title(), "email": f"{message.buyer}@example.com"},
    }
    response = stack.request("POST", SELLER_PATH, body, headers)
    return Sent(response.status, len(stack.outbox()) - before, response.json())


@pytest.mark.parametrize(
    "messages", [KEYED_FIRST, KEYLESS_FIRST], ids=["keyed-first", "keyless-first"]
)
def test_keyed_and_keyless_requests_from_different_buyers_in_one_warm_environment(
    warm_stack: RunningStack, messages: list[Message]
) -> None:
    # Given a fresh environment, which the first of these requests sets up, and texts and keys
    # of this run alone (what earlier runs sent stays in the tables)
    warm_stack.cold_start()
    cold_starts = len(warm_stack.lines_with(COLD))
    run = uuid.uuid4().hex[:8]

    # When each buyer's request is sent, then each is retried, all in that one environment
    firsts = [send(warm_stack, message, run) for message in messages]
    retries = [send(warm_stack, message, run) for message in messages]

    # Then every request sent one email, and every retry repeated its answer and sent none
    observed = [
        (message.label, first.status, first.emails, retry.status, retry.emails)
        for message, first, retry in zip(messages, firsts, retries, strict=True)
    ]
    assert observed == [(message.label, 201, 1, 201, 0) for message in messages]
    assert [retry.answer for retry in retries] == [first.answer for first in firsts]
    assert len(warm_stack.wait_for_lines(COLD, cold_starts + 1)) == cold_starts + 1
