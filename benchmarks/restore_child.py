"""One SnapStart life in one process, run by restore.py: init, snapshot, restore, requests.

Usage (by restore.py): python restore_child.py relay|baseline EVENT_JSON WARM_REQUESTS
Prints, as JSON: the init's milliseconds (to the end of the before-snapshot hooks), peak resident
memory after it, the milliseconds of the after-restore hooks plus the first request, and of
each warm request after it.

As in Lambda, the init runs without a trace header (`_X_AMZN_TRACE_ID` is set per invocation),
and the relay's init is the one Lambda snapshots (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start,
set by restore.py): it wires at import, and its hooks prime and restore.
"""

import os
import time

STARTED = time.perf_counter()
TRACE_ID = os.environ.pop("_X_AMZN_TRACE_ID", None)

import copy  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

Request = Callable[[dict[str, Any]], int]


class Context:
    function_name = "contact-relay-bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:contact-relay-bench"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 20_000


def relay_init() -> tuple[Request, Callable[[], None]]:
    from contact_relay.handlers.contact import lambda_handler
    from contact_relay_local.snapstart import restore, take_snapshot

    take_snapshot()

    def request(event: dict[str, Any]) -> int:
        return int(lambda_handler(event, Context())["statusCode"])

    return request, restore


def baseline_init() -> tuple[Request, Callable[[], None]]:
    """A bare handler's init under SnapStart: boto3 imported and its two clients made before
    the snapshot, nothing primed; its request makes the same calls as cold_start_child's."""
    import boto3
    from cold_start_child import baseline_request

    dynamodb, sesv2 = boto3.client("dynamodb"), boto3.client("sesv2")

    def request(event: dict[str, Any]) -> int:
        return baseline_request(event, dynamodb, sesv2)

    return request, lambda: None


def main() -> None:
    which, event_json, warm = sys.argv[1], sys.argv[2], int(sys.argv[3])
    request, restore = {"relay": relay_init, "baseline": baseline_init}[which]()
    init_ms = (time.perf_counter() - STARTED) * 1000
    peak_kb = _peak_rss_kb()
    event = json.loads(event_json)
    if TRACE_ID:
        os.environ["_X_AMZN_TRACE_ID"] = TRACE_ID  # as Lambda sets it for the invocation
    # Restore: the after-restore hooks, then the first request.
    started = time.perf_counter()
    restore()
    hooks_ms = (time.perf_counter() - started) * 1000
    statuses = [request(_variant(event, 0))]
    first_ms = (time.perf_counter() - started) * 1000
    warm_ms: list[float] = []
    for number in range(1, warm + 1):
        started = time.perf_counter()
        statuses.append(request(_variant(event, number)))
        warm_ms.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "init_ms": init_ms,
                "peak_kb": peak_kb,
                "hooks_ms": hooks_ms,
                "first_ms": first_ms,
                "warm_ms": warm_ms,
                "statuses": statuses,
            }
        )
    )


def _peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux keeps
    that across exec, so a child started from a larger parent reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _variant(event: dict[str, Any], number: int) -> dict[str, Any]:
    """The event again, as another buyer from another address: no earlier answer, no limit."""
    variant = copy.deepcopy(event)
    body = json.loads(variant["body"])
    body["message"] += f" ({number})"
    body["buyer"]["email"] = body["buyer"]["email"].replace("@", f"+{number}@")
    variant["body"] = json.dumps(body)
    variant["requestContext"]["identity"]["sourceIp"] = f"198.51.100.{number + 1}"
    return variant


if __name__ == "__main__":
    main()
