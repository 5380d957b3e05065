"""Each function of the local stack in one warm execution environment, as one Lambda instance.

An environment is a `lambda_runtime` process: it imports the handler once and keeps everything
the handler builds at cold start (settings, clients, idempotency configuration, module state)
from one invocation to the next, exactly as a warm Lambda does; invocations are handed to it one
at a time. A cold start replaces the process. As in Lambda, an environment whose invocation timed
out or whose process died is replaced before the next invocation.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from contact_relay_local.lambda_runtime import QUIET
from contact_relay_local.template_functions import FunctionDefinition

# Lambda's own limit on the init phase of an on-demand function.
INIT_SECONDS = 10.0
# How long an environment that was asked to end may take before it is killed.
END_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Invocation:
    """What one invocation returned, or why it returned nothing."""

    response: dict[str, Any] | None
    failure: str | None = None
    # The init phase's duration, when this invocation was the environment's first (a cold start).
    init_ms: float | None = None


class _Lost(Exception):
    """The environment gave no answer: it timed out or its process ended."""


class _Environment:
    """One `lambda_runtime` process, started at once so its init overlaps whatever comes next."""

    def __init__(
        self, definition: FunctionDefinition, environ: Mapping[str, str] | None, verbose: bool
    ) -> None:
        self.definition = definition
        runtime = [sys.executable, "-m", "contact_relay_local.lambda_runtime", definition.handler]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            runtime if verbose else [*runtime, QUIET],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=None if environ is None else dict(environ),
        )
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._init_ms: float | None = None
        self._invoked = False
        threading.Thread(
            target=self._read_answers, name=f"{definition.logical_id}-answers", daemon=True
        ).start()

    def _read_answers(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        for line in stdout:
            self._answers.put(json.loads(line))
        self._answers.put(None)

    def invoke(self, event: dict[str, Any]) -> Invocation:
        cold = not self._invoked
        self._invoked = True
        if self._init_ms is None:
            ready = self._next_answer(time.monotonic() + INIT_SECONDS)
            self._init_ms = float(ready["ready"]["initMs"])
        timeout = self.definition.timeout_seconds
        request = {
            "event": event,
            "context": {
                "aws_request_id": str(uuid.uuid4()),
                "memory_limit_in_mb": self.definition.memory_mb,
                "timeout_seconds": timeout,
            },
        }
        self._write(json.dumps(request).encode("utf-8") + b"\n")
        # A second more than the function's timeout: the context's clock starts in the process.
        answer = self._next_answer(time.monotonic() + timeout + 1)
        init_ms = self._init_ms if cold else None
        if "error" in answer:
            return Invocation(None, str(answer["error"]), init_ms)
        return Invocation(answer["response"], None, init_ms)

    def _write(self, line: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(line)
            stdin.flush()
        except OSError as exc:
            raise _Lost("the environment's process ended") from exc

    def _next_answer(self, deadline: float) -> dict[str, Any]:
        try:
            answer = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise _Lost(f"timed out after {self.definition.timeout_seconds} s") from None
        if answer is None:
            raise _Lost("the environment's process ended")
        return answer

    def end(self, *, kill: bool = False, wait: bool = False) -> None:
        """Close its input (the runtime then exits) or kill it; reap it now or in the background."""
        if kill:
            self.process.kill()
        _close_quietly(self.process.stdin)
        if wait:
            _reap(self.process)
        else:
            threading.Thread(target=_reap, args=(self.process,), daemon=True).start()


def _close_quietly(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()


def _reap(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(timeout=END_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    _close_quietly(process.stdout)


class WarmFunction:
    """One function, one warm environment, one invocation at a time.

    `cold_every_request` replaces the environment after each invocation, so every request starts
    cold (what the local stack did before it kept environments warm). Unless `verbose`, what the
    function prints and logs is dropped: a failed invocation is still reported.
    """

    def __init__(
        self,
        definition: FunctionDefinition,
        *,
        cold_every_request: bool = False,
        environ: Mapping[str, str] | None = None,
        verbose: bool = True,
    ) -> None:
        self.definition = definition
        self.cold_every_request = cold_every_request
        self._environ = environ
        self._verbose = verbose
        self._lock = threading.Lock()
        self._closed = False
        self._environment = _Environment(definition, environ, verbose)

    @property
    def name(self) -> str:
        return self.definition.logical_id

    def invoke(self, event: dict[str, Any]) -> Invocation:
        with self._lock:
            if self._closed:
                return Invocation(None, "the local stack is stopping")
            if self._environment.process.poll() is not None:
                # It ended between invocations (killed, out of memory): start a new one, as
                # Lambda would, rather than fail a request it never saw.
                self._replace()
            try:
                invocation = self._environment.invoke(event)
            except _Lost as lost:
                self._replace(kill=True)
                return Invocation(None, str(lost))
            if self.cold_every_request:
                self._replace()
            return invocation

    def cold_start(self) -> None:
        """The next invocation starts in a new environment, as after a Lambda scale-in."""
        with self._lock:
            if not self._closed:
                self._replace()

    def _replace(self, *, kill: bool = False) -> None:
        self._environment.end(kill=kill)
        if not self._closed:
            self._environment = _Environment(self.definition, self._environ, self._verbose)

    def close(self) -> None:
        """End the environment; one busy for END_SECONDS more is killed (that invocation fails)."""
        self._closed = True
        if self._lock.acquire(timeout=END_SECONDS):
            try:
                self._environment.end(wait=True)
            finally:
                self._lock.release()
        else:
            # An invocation still holds the environment: end it under that invocation's feet.
            self._environment.end(kill=True, wait=True)
