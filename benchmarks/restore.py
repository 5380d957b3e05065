"""SnapStart simulated: the first request after a restore, the relay against a bare handler.

Usage: .venv/bin/python benchmarks/restore.py [RUNS] [WARM]   (default 10 and 5)

Each run is a fresh process (restore_child.py) that lives one SnapStart life: the init Lambda
would snapshot (imports; for the relay, its wiring at import and the before-snapshot hooks, which
prime it; for the bare handler, boto3 and its two clients, nothing primed), then what a restore
runs: the after-restore hooks and the first POST that sends an email (the same calls to moto on
loopback as cold_start.py's), then WARM more requests. The restore itself (Lambda copying the
snapshot's memory back) cannot be measured here; what is timed is what follows it, which is what
`Restore Duration` adds to in CloudWatch (the after-restore hooks) and the first invocation.

Interleaved with them, in the same loop, cold_start.py's relay and baseline without SnapStart, so
both ratios come from the same minutes. Printed: the first request after a restore, relay against
bare handler (target <= 1.0x); the relay's first request against its own warm ones (target
<= 1.5x); the ratio without SnapStart (cold_start.py's, 1.6-1.8x before this work); peak memory
after init (VmHWM), relay against bare handler.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from buyer_posts import contact_post  # noqa: E402
from cold_start import (  # noqa: E402
    _one,
    _prepare,
    deployed_layout,
    lambda_environment,
)
from machine import header  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402

from contact_relay_local.stack import LOCAL_DEFAULTS  # noqa: E402

CHILD = ROOT / "benchmarks" / "restore_child.py"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))},
        **{k: v for k, v in LOCAL_DEFAULTS.items() if not k.startswith("POWERTOOLS_")},
        "POWERTOOLS_SERVICE_NAME": "contact-relay",
        "POWERTOOLS_METRICS_NAMESPACE": "ContactRelay",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }
    _prepare(environment)
    xray_daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    xray_daemon.bind(("127.0.0.1", 0))
    daemon_address = f"127.0.0.1:{xray_daemon.getsockname()[1]}"
    restored: dict[str, list[dict[str, float]]] = {"relay": [], "baseline": []}
    cold: dict[str, list[float]] = {"relay": [], "baseline": []}
    with tempfile.TemporaryDirectory() as scratch:
        layouts = {
            "relay": deployed_layout(Path(scratch) / "relay", bytecode=True),
            "baseline": Path(scratch) / "baseline",
        }
        layouts["baseline"].mkdir()
        try:
            for run in range(runs):
                for which in ("relay", "baseline"):
                    in_lambda = lambda_environment(layouts[which], daemon_address, run)
                    snapshotted = {**environment, **in_lambda}
                    if which == "relay":
                        snapshotted["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start"
                    restored[which].append(_restore(which, run, warm, snapshotted))
                    cold[which].append(_one(which, run, {**environment, **in_lambda})[0])
        finally:
            server.stop()
            xray_daemon.close()
    _report(runs, warm, restored, cold)


def _restore(which: str, run: int, warm: int, environment: dict[str, str]) -> dict[str, float]:
    message = f"Restore {which} {run}: when will <b>it</b> ship? www.example.com"
    event = json.dumps(contact_post(message, buyer_email=f"restore-{which}{run}@example.com"))
    result = subprocess.run(
        [sys.executable, str(CHILD), which, event, str(warm)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    if set(answer["statuses"]) != {201}:
        raise RuntimeError(f"{which} answered {answer['statuses']}: {result.stderr[-800:]}")
    return {
        "init_ms": answer["init_ms"],
        "peak_kb": answer["peak_kb"],
        "hooks_ms": answer["hooks_ms"],
        "first_ms": answer["first_ms"],
        "warm_ms": statistics.median(answer["warm_ms"]),
    }


def _report(
    runs: int,
    warm: int,
    restored: dict[str, list[dict[str, float]]],
    cold: dict[str, list[float]],
) -> None:
    def median(which: str, field: str) -> float:
        return statistics.median(sample[field] for sample in restored[which])

    print(header(f"SnapStart simulated, {runs} runs each, {warm} warm requests after each restore"))
    for which in ("relay", "baseline"):
        print(
            f"{which:8} init {median(which, 'init_ms'):6.0f} ms   "
            f"peak after init {median(which, 'peak_kb') / 1024:5.1f} MiB   "
            f"after-restore hooks {median(which, 'hooks_ms'):5.2f} ms   "
            f"first request {median(which, 'first_ms'):6.1f} ms "
            f"(min {min(s['first_ms'] for s in restored[which]):.1f}, "
            f"max {max(s['first_ms'] for s in restored[which]):.1f})   "
            f"warm {median(which, 'warm_ms'):5.1f} ms"
        )
    first = median("relay", "first_ms") / median("baseline", "first_ms")
    own = median("relay", "first_ms") / median("relay", "warm_ms")
    memory = median("relay", "peak_kb") / median("baseline", "peak_kb")
    no_snapstart = statistics.median(cold["relay"]) / statistics.median(cold["baseline"])
    print(f"after a restore, relay / bare handler, first request: {first:.2f}x (target <= 1.0x)")
    print(f"relay's first request after a restore / its warm request: {own:.2f}x (target <= 1.5x)")
    relay_cold, baseline_cold = (
        statistics.median(cold["relay"]),
        statistics.median(cold["baseline"]),
    )
    print(
        f"without SnapStart (cold_start.py, same runs): relay {relay_cold:.0f} ms"
        f" / baseline {baseline_cold:.0f} ms = {no_snapstart:.2f}x (1.6-1.8x before)"
    )
    print(
        "first request's cost over a warm one (medians): relay"
        f" {median('relay', 'first_ms') - median('relay', 'warm_ms'):.1f} ms, bare handler"
        f" {median('baseline', 'first_ms') - median('baseline', 'warm_ms'):.1f} ms"
    )
    print(f"peak memory after init, relay / bare handler: {memory:.2f}x")


if __name__ == "__main__":
    main()
