"""`contact-relay invoke`: the handler run once on an API Gateway event file, against an embedded
moto, with its answer and the emails it sent printed as JSON."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from contact_relay_local.stack import LocalAWS, read_sellers


def run_invoke(arguments: argparse.Namespace) -> int:
    event = read_event(arguments.event)
    sellers = read_sellers(arguments.sellers)
    which = "the sellers of " + str(arguments.sellers) if arguments.sellers else "the demo sellers"
    print(
        f"contact-relay invoke: {arguments.event} against an embedded moto with {which} "
        f"({len(sellers)}); nothing of your AWS account is used",
        file=sys.stderr,
        flush=True,
    )
    if arguments.verbose:
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")
    aws = LocalAWS()
    aws.start(sellers)
    try:
        # stdout holds only the result: the function's own logs and metrics go to stderr, or
        # nowhere unless --verbose.
        function_output = sys.stderr if arguments.verbose else io.StringIO()
        with (
            contextlib.redirect_stdout(function_output),
            contextlib.redirect_stderr(function_output),
        ):
            response = _run_handler(event, arguments.verbose)
        emails = [message.to_json() for message in aws.outbox()]
    finally:
        aws.stop()
    print(json.dumps({"response": response, "emails": emails}, indent=2, ensure_ascii=False))
    return 0


class FunctionFailed(Exception):
    """The handler raised: said in one line, its traceback only with --verbose."""


def _run_handler(event: dict[str, Any], verbose: bool) -> Any:
    from contact_relay.handlers.contact import lambda_handler
    from contact_relay_local.gateway import LocalLambdaContext

    try:
        return lambda_handler(event, LocalLambdaContext())
    except Exception as exc:
        if verbose:
            raise
        # The name only: an exception's text may hold what the event carried.
        raise FunctionFailed(
            f"the function raised {type(exc).__name__} on this event "
            "(--verbose shows its traceback)"
        ) from None


# What API Gateway's REST proxy events always hold, and the resolver reads before anything else.
_EVENT_KEYS = ("httpMethod", "path")


def read_event(path: Path) -> dict[str, Any]:
    """An API Gateway proxy event from a JSON file, or a ValueError that says in one line what
    is wrong with it."""
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise ValueError(f"{path}: an event is a JSON object, as in events/*.json")
    for key in _EVENT_KEYS:
        if not isinstance(event.get(key), str):
            raise ValueError(
                f"{path}: not an API Gateway proxy event: no {key!r} string in it (see "
                "events/*.json, or `sam local generate-event apigateway aws-proxy`)"
            )
    return event
