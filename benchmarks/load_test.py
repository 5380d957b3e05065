"""Load test: concurrent buyers against the local stack on loopback, for a bounded time.

Usage: .venv/bin/python benchmarks/load_test.py [BUYERS] [SECONDS]    (default 8 buyers, 10 s)
Starts its own `contact-relay dev` (rate limits off) on a free loopback port, sends POSTs from
BUYERS threads until SECONDS pass, then prints requests/s, p50/p99 latency, the statuses, and
checks that the outbox holds exactly one email per 201 answer. Traffic never leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside each other, the benchmarks import their neighbours by name; the project comes from
# the environment (`make setup`), never from tests/.
sys.path.insert(0, str(ROOT / "benchmarks"))
from machine import header  # noqa: E402

from contact_relay_local.running_stack import RunningStack  # noqa: E402


def post(url: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def main() -> None:
    buyers = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    # Limits off: one address sending this much would otherwise be answered 429.
    stack = RunningStack({"RATE_LIMIT_BUYER_PER_HOUR": "0", "RATE_LIMIT_SOURCE_IP_PER_HOUR": "0"})
    base = stack.url
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def buyer(number: int) -> None:
        sent = 0
        while time.monotonic() < stop_at:
            body: dict[str, object] = {
                "topic": "shipping",
                "message": f"Buyer {number}, question {sent}: when will <b>it</b> ship?",
                "buyer": {"name": f"Buyer {number}", "email": f"buyer{number}@example.com"},
            }
            started = time.perf_counter()
            status = post(f"{base}/sellers/example-store/messages", body)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
            sent += 1

    try:
        started = time.monotonic()
        threads = [threading.Thread(target=buyer, args=(n,)) for n in range(buyers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
        with urllib.request.urlopen(f"{base}/_local/outbox", timeout=30) as answer:
            emails = len(json.loads(answer.read())["messages"])
    finally:
        stack.stop()

    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)))]
    print(header(f"load test: {buyers} concurrent buyers for {seconds:.0f} s on loopback"))
    print(f"requests: {len(latencies)} in {duration:.1f} s = {len(latencies) / duration:.1f} req/s")
    median = statistics.median(ordered)
    print(f"latency: p50 {median:.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    verdict = "OK" if emails == statuses[201] else "MISMATCH"
    print(f"emails in outbox: {emails}; 201 answers: {statuses[201]} -> {verdict}")
    if verdict != "OK":
        sys.exit(1)


if __name__ == "__main__":
    main()
