"""Warm per-request CPU of lambda_handler, with AWS stubbed by botocore's Stubber.

Usage: .venv/bin/python benchmarks/warm_request_cpu.py [REQUESTS]   (default 2000; `make bench`)
Only our own code (and Powertools, pydantic, botocore's parameter handling) is measured: the
Stubber answers every AWS call in memory. CPU time (time.process_time) per request, after a
warm-up, for messages of 200 and 4,000 characters, with and without markup and links.
Target: p99 <= 1 ms for a 4,000-character message.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
os.environ.update(
    {
        "SELLERS_TABLE": "sellers",
        "MESSAGES_TABLE": "messages",
        "IDEMPOTENCY_TABLE": "idempotency",
        "RATE_LIMIT_TABLE": "rate-limits",
        "SENDER_ADDRESS": "noreply@relay.example",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "POWERTOOLS_SERVICE_NAME": "contact-relay",
        "POWERTOOLS_METRICS_NAMESPACE": "ContactRelay",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
)

import botocore.session  # noqa: E402
from botocore.stub import ANY, Stubber  # noqa: E402
from machine import header  # noqa: E402

from contact_relay.handlers import contact  # noqa: E402
from tests.support import FakeLambdaContext, contact_body, post_event  # noqa: E402

SELLER = {
    "Item": {
        "sellerId": {"S": "example-store"},
        "displayName": {"S": "Example Store"},
        "replyToEmail": {"S": "cs@example-store.example"},
        "status": {"S": "active"},
    }
}
PROSE = "Hello, when will order 503-1234567-1234567 ship? It costs $19.99 and I need it soon. "
MARKUP = "<p>Is the <b>blue</b> one in stock? See https://evil.example/x and www.example.com.</p> "


def message(length: int, unit: str) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def queue_responses(dynamodb: Stubber, sesv2: Stubber) -> None:
    """One request's AWS calls, in order: idempotency in progress, two rate-limit counters,
    the seller, the email, the audit row, idempotency completed."""
    dynamodb.add_response("put_item", {}, None)
    dynamodb.add_response("update_item", {}, None)
    dynamodb.add_response("update_item", {}, None)
    dynamodb.add_response("get_item", SELLER, None)
    sesv2.add_response(
        "send_email", {"MessageId": "ses-1"}, {"FromEmailAddress": ANY, "Content": ANY}
    )
    dynamodb.add_response("put_item", {}, None)
    dynamodb.add_response("update_item", {}, None)


def run(requests: int, text: str) -> list[float]:
    session = botocore.session.get_session()
    dynamodb_client = session.create_client("dynamodb", region_name="us-east-1")
    sesv2_client = session.create_client("sesv2", region_name="us-east-1")
    dynamodb, sesv2 = Stubber(dynamodb_client), Stubber(sesv2_client)
    contact.reset_for_tests()
    contact.wire_with_clients(dynamodb_client, sesv2_client)
    samples: list[float] = []
    # EMF metrics are printed per request, as in Lambda; the printing is measured, not shown.
    with dynamodb, sesv2, contextlib.redirect_stdout(io.StringIO()):
        for number in range(requests + 50):
            queue_responses(dynamodb, sesv2)
            event: dict[str, Any] = post_event(
                contact_body(message=text, buyer={"name": "B", "email": f"b{number}@example.com"})
            )
            started = time.process_time()
            response = contact.lambda_handler(event, FakeLambdaContext())
            elapsed = time.process_time() - started
            if response["statusCode"] != 201:
                raise RuntimeError(response["body"])
            if number >= 50:  # the first requests warm caches up
                samples.append(elapsed * 1000)
    return samples


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(header(f"warm CPU per request of lambda_handler, AWS stubbed, {requests} requests each"))
    for label, text in (
        ("200 chars, plain", message(200, PROSE)),
        ("200 chars, markup+links", message(200, MARKUP)),
        ("4000 chars, plain", message(4000, PROSE)),
        ("4000 chars, markup+links", message(4000, MARKUP)),
    ):
        samples = sorted(run(requests, text))
        p99 = samples[min(len(samples) - 1, round(0.99 * len(samples)))]
        print(f"{label:26} p50 {statistics.median(samples):6.3f} ms   p99 {p99:6.3f} ms")
    print("target: p99 <= 1 ms for 4000 characters")


if __name__ == "__main__":
    main()
