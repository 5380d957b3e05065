"""Time from starting `contact-relay dev` to its first 200 from GET /topics.

Usage: .venv/bin/python benchmarks/dev_startup.py [RUNS]    (default 5; part of `make bench`)
Each run is a fresh process; the clock starts before the process is spawned.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header, summary

CLI = Path(sys.executable).parent / "contact-relay"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_start() -> float:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(CLI), "dev", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/topics", timeout=5) as answer:
                    if answer.status == 200:
                        return (time.perf_counter() - started) * 1000
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        raise RuntimeError("contact-relay dev did not answer within 60 s")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(header("contact-relay dev: start to first 200 from GET /topics"))
    samples = [one_start() for _ in range(runs)]
    print(summary(samples))
    print("target: <= 2000 ms")


if __name__ == "__main__":
    main()
