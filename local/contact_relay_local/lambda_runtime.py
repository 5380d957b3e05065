"""One Lambda execution environment of the local stack, as a process of its own.

`python -m contact_relay_local.lambda_runtime HANDLER` imports the handler once (Lambda's init
phase), then runs the invocations its parent writes to stdin, one JSON line each and one at a
time, until stdin closes. Module state lives as long as the process, exactly as in a warm Lambda;
a cold start is a new process. Answers go back on the original stdout, which the function itself
never sees: its prints and logs go to stderr, or, with `--quiet`, nowhere (its EMF lines, its
logs and the warnings of the libraries it uses); a traceback of a failed init still reaches
stderr then, as a failed invocation is still reported in its answer.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TextIO

from contact_relay_local.gateway import LocalLambdaContext

Handler = Callable[[dict[str, Any], Any], Any]


QUIET = "--quiet"


def main(argv: list[str] | None = None) -> int:
    handler_path, *flags = argv if argv is not None else sys.argv[1:]
    quiet = QUIET in flags
    # Ctrl-C reaches the whole process group; the parent decides when an environment ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = _private_stdout()
    errors = _silenced_stderr() if quiet else sys.stderr
    started = time.perf_counter()
    try:
        handler = _import_handler(handler_path)
    except BaseException:
        traceback.print_exc(file=errors)
        raise SystemExit(1) from None
    _answer(answers, {"ready": {"initMs": (time.perf_counter() - started) * 1000}})
    for line in iter(sys.stdin.buffer.readline, b""):
        _answer(answers, _invoke(handler, json.loads(line), quiet))
    return 0


def _private_stdout() -> TextIO:
    """Keep fd 1 for answers to the parent; point the function's stdout at stderr."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return answers


def _silenced_stderr() -> TextIO:
    """Point fd 2, and so everything the function prints or logs, at /dev/null; return a stream
    on the original stderr for what must still be said."""
    original = os.fdopen(os.dup(2), "w", encoding="utf-8")
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
    return original


def _import_handler(path: str) -> Handler:
    """`package.module.function`, resolved as Lambda's Python runtime resolves its Handler."""
    module_name, _, function_name = path.rpartition(".")
    handler: Handler = getattr(importlib.import_module(module_name), function_name)
    return handler


def _invoke(handler: Handler, request: dict[str, Any], quiet: bool = False) -> dict[str, Any]:
    context = LocalLambdaContext(**request["context"])
    try:
        response = handler(request["event"], context)
        # Lambda serialises the result as JSON: what cannot be serialised is a failed invocation.
        json.dumps(response)
    except Exception as exc:
        traceback.print_exc()
        # The name only: an exception's text may hold what the buyer sent.
        hint = "; --verbose shows its traceback" if quiet else ""
        return {"error": type(exc).__name__ + hint}
    return {"response": response}


def _answer(answers: TextIO, message: dict[str, Any]) -> None:
    answers.write(json.dumps(message) + "\n")
    answers.flush()


if __name__ == "__main__":
    sys.exit(main())
