"""Cold start as a buyer feels it: fresh processes that import, wire and serve one POST.

Usage: .venv/bin/python benchmarks/cold_start.py [RUNS]    (default 10; part of `make bench`)

A moto server on loopback stands in for DynamoDB and SES; it is started once, here, outside the
timed processes. Each run is a new Python process with the production configuration: it imports
the handler module, serves one POST that sends an email, and reports the milliseconds from its
first line to the answer. The baseline (cold_start_child.py `baseline`) imports boto3, creates
the two clients and makes the same AWS calls by hand. Runs alternate between the two.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]

from machine import header  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402

from contact_relay_local.stack import LOCAL_DEFAULTS, demo_sellers, seller_attributes  # noqa: E402
from contact_relay_local.template_tables import create_tables  # noqa: E402
from tests.support import contact_body, post_event  # noqa: E402

CHILD = ROOT / "benchmarks" / "cold_start_child.py"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every call otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))},
        **{k: v for k, v in LOCAL_DEFAULTS.items() if not k.startswith("POWERTOOLS_")},
        # The template's own Powertools settings.
        "POWERTOOLS_SERVICE_NAME": "contact-relay",
        "POWERTOOLS_METRICS_NAMESPACE": "ContactRelay",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }
    _prepare(environment)
    samples: dict[str, list[float]] = {"relay": [], "baseline": []}
    try:
        for run in range(runs):
            for which in ("relay", "baseline"):
                samples[which].append(_one(which, run, environment))
    finally:
        server.stop()
    print(header(f"cold start to the answer of one POST that sends an email, {runs} runs each"))
    for which, values in samples.items():
        print(
            f"{which:9} median {statistics.median(values):6.0f} ms   "
            f"min {min(values):6.0f}   max {max(values):6.0f}   "
            f"stdev {statistics.stdev(values):5.0f}"
        )
    ratio = statistics.median(samples["relay"]) / statistics.median(samples["baseline"])
    print(f"ratio relay / baseline (medians): {ratio:.2f}x (target <= 1.0x)")


def _prepare(environment: dict[str, str]) -> None:
    import boto3

    def client(service: str) -> object:
        return boto3.client(  # type: ignore[call-overload]
            service,
            endpoint_url=environment["AWS_ENDPOINT_URL"],
            region_name=environment["AWS_DEFAULT_REGION"],
            aws_access_key_id="bench",
            aws_secret_access_key="bench",  # noqa: S106 (moto accepts any)
        )

    dynamodb = client("dynamodb")
    create_tables(
        dynamodb,  # type: ignore[arg-type]
        {
            "SellersTable": environment["SELLERS_TABLE"],
            "MessagesTable": environment["MESSAGES_TABLE"],
            "IdempotencyTable": environment["IDEMPOTENCY_TABLE"],
            "RateLimitTable": environment["RATE_LIMIT_TABLE"],
        },
    )
    client("sesv2").create_email_identity(EmailIdentity=environment["SENDER_ADDRESS"])  # type: ignore[attr-defined]
    for seller in demo_sellers():
        dynamodb.put_item(TableName=environment["SELLERS_TABLE"], Item=seller_attributes(seller))  # type: ignore[attr-defined]


def _one(which: str, run: int, environment: dict[str, str]) -> float:
    body = contact_body(
        message=f"Cold start {which} {run}: when will <b>it</b> ship? www.example.com",
        buyer={"name": "Bench", "email": f"{which}{run}@example.com"},
    )
    event = json.dumps(post_event(body))
    result = subprocess.run(
        [sys.executable, str(CHILD), which, event],
        capture_output=True,
        text=True,
        env={**environment, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=120,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    if answer["status"] != 201:
        raise RuntimeError(f"{which} answered {answer['status']}: {result.stdout[-500:]}")
    return float(answer["ms"])


if __name__ == "__main__":
    main()
