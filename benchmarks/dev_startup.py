"""Time from starting `contact-relay dev` to its first 200 from GET /topics.

Usage: .venv/bin/python benchmarks/dev_startup.py [RUNS]    (default 5; part of `make bench`)
Each run is a fresh process; the clock starts before the process is spawned.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside each other, the benchmarks import their neighbours by name; the project comes from
# the environment (`make setup`), never from tests/.
sys.path.insert(0, str(ROOT / "benchmarks"))
from machine import header, summary  # noqa: E402

from contact_relay_local.running_stack import RunningStack  # noqa: E402


def one_start() -> float:
    started = time.perf_counter()
    stack = RunningStack()
    try:
        while time.perf_counter() - started < 60:
            try:
                with urllib.request.urlopen(f"{stack.url}/topics", timeout=5) as answer:
                    if answer.status == 200:
                        return (time.perf_counter() - started) * 1000
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        raise RuntimeError("contact-relay dev did not answer within 60 s")
    finally:
        stack.stop()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(header("contact-relay dev: start to first 200 from GET /topics"))
    samples = [one_start() for _ in range(runs)]
    print(summary(samples))
    print("target: <= 2000 ms")


if __name__ == "__main__":
    main()
