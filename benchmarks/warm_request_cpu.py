"""Warm per-request CPU of lambda_handler, with AWS stubbed by botocore's Stubber.

Usage: .venv/bin/python benchmarks/warm_request_cpu.py [REQUESTS]   (default 2000; `make bench`)
The Stubber answers every AWS call in memory, so no network is measured; botocore's client-side
work for each call (endpoint rules, serialisation, events) still runs. CPU time
(time.process_time) per request, after a warm-up, for messages of 200 and 4,000 characters, with
and without markup and links: the whole handler, the part spent inside botocore's
`_make_api_call` (eight calls a message), and the rest, which is ours (with Powertools, pydantic
and the standard library). Each twice: `on-demand`, wired as at a first invocation, and
`snapstart`, as a version SnapStart restores: wired, then the before-snapshot hooks (priming, and
the garbage collector's objects frozen). Target: p99 <= 1 ms for a 4,000-character message.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Beside each other, the benchmarks import their neighbours by name; the project comes from
# the environment (`make setup`), never from tests/.
sys.path.insert(0, str(ROOT / "benchmarks"))
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
        "POWERTOOLS_LOG_LEVEL": "INFO",  # the template's level: one "message sent" line each
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
)

import botocore.session  # noqa: E402
from botocore.stub import ANY, Stubber  # noqa: E402
from buyer_posts import contact_post  # noqa: E402
from machine import header  # noqa: E402

from contact_relay.adapters.aws_errors import (  # noqa: E402
    DYNAMODB_CLIENT_CONFIG,
    SES_CLIENT_CONFIG,
)
from contact_relay.handlers import contact  # noqa: E402
from contact_relay.handlers.wiring import AwsClients  # noqa: E402
from contact_relay.observability import logger  # noqa: E402
from contact_relay_local.gateway import LocalLambdaContext  # noqa: E402
from contact_relay_local.snapstart import take_snapshot  # noqa: E402

# Settings are read at the first request: the digest key's secret, stubbed below, is named here.
os.environ["DIGEST_KEY_SECRET_ARN"] = (
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/digest-key-AbCdEf"  # noqa: S105
)
# Its value, 64 letters and digits as the template's DigestKeySecret makes it.
DIGEST_KEY = "Bench7DigestKey0" * 4

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
    """One request's AWS calls, in order: no earlier answer for it, two rate-limit counters,
    idempotency in progress, the seller, the email, the audit row, idempotency completed."""
    dynamodb.add_response("get_item", {}, None)
    dynamodb.add_response("update_item", {}, None)
    dynamodb.add_response("update_item", {}, None)
    dynamodb.add_response("put_item", {}, None)
    dynamodb.add_response("get_item", SELLER, None)
    sesv2.add_response(
        "send_email",
        {"MessageId": "ses-1"},
        # The tags name our message in the delivery events SES publishes.
        {"FromEmailAddress": ANY, "Content": ANY, "EmailTags": ANY},
    )
    dynamodb.add_response("put_item", {}, None)
    dynamodb.add_response("update_item", {}, None)


class BotocoreClock:
    """CPU time spent inside the clients' `_make_api_call`, botocore's side of every call."""

    def __init__(self, *clients: Any) -> None:
        self.seconds = 0.0
        for client in clients:
            client._make_api_call = self._timed(client._make_api_call)

    def _timed(self, make_api_call: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return make_api_call(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - started

        return timed


def run(requests: int, text: str, *, snapstart: bool) -> tuple[list[float], list[float]]:
    """CPU milliseconds per request: the whole handler, and the part spent in botocore. With
    `snapstart`, the before-snapshot hooks run after wiring, as in a version SnapStart restores:
    primed, and the collector's objects frozen."""
    session = botocore.session.get_session()
    # The deployed clients' configuration (retries, timeouts, no client-side validation).
    dynamodb_client = session.create_client(
        "dynamodb", region_name="us-east-1", config=DYNAMODB_CLIENT_CONFIG
    )
    sesv2_client = session.create_client("sesv2", region_name="us-east-1", config=SES_CLIENT_CONFIG)
    dynamodb, sesv2 = Stubber(dynamodb_client), Stubber(sesv2_client)
    clock = BotocoreClock(dynamodb_client, sesv2_client)
    # The digest key, read once at cold start.
    secrets_client = session.create_client("secretsmanager", region_name="us-east-1")
    with Stubber(secrets_client) as secrets:
        secrets.add_response(
            "get_secret_value",
            {"SecretString": DIGEST_KEY},
            {"SecretId": os.environ["DIGEST_KEY_SECRET_ARN"]},
        )
        contact.environments.wire(AwsClients(dynamodb_client, sesv2_client, secrets_client))
    gc.unfreeze()
    if snapstart:
        take_snapshot()
    samples: list[float] = []
    in_botocore: list[float] = []
    # Log lines and EMF metrics are written per request, as in Lambda; measured, not shown.
    # (The logger's handler holds the stdout it found at import, so it gets its own sink.)
    sink = io.StringIO()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(sink)
    with dynamodb, sesv2, contextlib.redirect_stdout(sink):
        for number in range(requests + 50):
            queue_responses(dynamodb, sesv2)
            event = contact_post(text, buyer_email=f"b{number}@example.com", buyer_name="B")
            clock.seconds = 0.0
            started = time.process_time()
            response = contact.lambda_handler(event, LocalLambdaContext())
            elapsed = time.process_time() - started
            if response["statusCode"] != 201:
                raise RuntimeError(response["body"])
            if number >= 50:  # the first requests warm caches up
                samples.append(elapsed * 1000)
                in_botocore.append(clock.seconds * 1000)
    return samples, in_botocore


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * len(ordered)))]


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(header(f"warm CPU per request of lambda_handler, AWS stubbed, {requests} requests each"))
    for label, text in (
        ("200 chars, plain", message(200, PROSE)),
        ("200 chars, markup+links", message(200, MARKUP)),
        ("4000 chars, plain", message(4000, PROSE)),
        ("4000 chars, markup+links", message(4000, MARKUP)),
    ):
        for snapstart in (False, True):
            whole, in_botocore = run(requests, text, snapstart=snapstart)
            ours = [total - botocore for total, botocore in zip(whole, in_botocore, strict=True)]
            print(
                f"{label:26} {'snapstart' if snapstart else 'on-demand':9}"
                f" whole p50 {percentile(whole, 0.5):6.3f} p99 {percentile(whole, 0.99):6.3f}"
                f"   botocore p50 {percentile(in_botocore, 0.5):6.3f}"
                f"   ours p50 {percentile(ours, 0.5):6.3f} p99 {percentile(ours, 0.99):6.3f}  (ms)"
            )
    print("target: p99 <= 1 ms for 4000 characters")


if __name__ == "__main__":
    main()
