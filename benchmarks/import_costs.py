"""What each part of the stack adds to a cold start's imports, as deployed.

Usage: .venv/bin/python benchmarks/import_costs.py [RUNS]    (default 9; part of `make bench`)

The code is laid out as cold_start.py lays it out (layer and function in one folder, hash-checked
bytecode, Lambda's variables, no bytecode written). Each step imports one more part on top of
the steps before it, in a fresh process; the table shows the median milliseconds from the
process's first line to the end of its imports, their minimum, and what the step added to the
minimum: noise only ever adds time, so minima give the steady differences (as `timeit` advises).
Steps import in the order the dependencies force: a step's cost includes whatever it pulls in
that earlier steps did not. The baseline of cold_start.py imports `boto3` (the second row) and
nothing else.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside each other, the benchmarks import their neighbours by name; the project comes from
# the environment (`make setup`), never from tests/.
sys.path.insert(0, str(ROOT / "benchmarks"))

from cold_start import deployed_layout, lambda_environment  # noqa: E402
from machine import header  # noqa: E402

# (what the step adds, the modules it imports); each step imports its predecessors' too.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("botocore (session, client machinery)", ("botocore.session",)),
    ("boto3 (and s3transfer): the baseline's imports", ("boto3",)),
    ("our domain: service, reduction, email", ("contact_relay.service",)),
    ("pydantic and the API models", ("contact_relay.handlers.api_models",)),
    (
        "Powertools Logger and Metrics",
        ("aws_lambda_powertools.logging", "aws_lambda_powertools.metrics"),
    ),
    ("Powertools Tracer, X-Ray SDK, botocore patch", ("contact_relay.observability",)),
    ("Powertools event handler (REST resolver)", ("aws_lambda_powertools.event_handler",)),
    ("Powertools idempotency", ("aws_lambda_powertools.utilities.idempotency",)),
    ("the rest of the handler (adapters, settings, app)", ("contact_relay.handlers.contact",)),
)

CHILD = """
import time
started = time.perf_counter()
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print((time.perf_counter() - started) * 1000)
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))},
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "contact-relay",
        "POWERTOOLS_METRICS_NAMESPACE": "ContactRelay",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }
    with tempfile.TemporaryDirectory() as scratch:
        layout = deployed_layout(Path(scratch) / "deployed", bytecode=True)
        # Nothing is sent at import; the daemon address only has to be well formed.
        environment.update(lambda_environment(layout, "127.0.0.1:2000", 0))
        samples = _samples(runs, environment)
    print(header(f"cumulative import time as deployed, {runs} fresh processes a step"))
    print(f"{'step':52} {'median':>9} {'min':>6} {'added':>6}")
    previous = 0.0
    for (label, _modules), values in zip(STEPS, samples, strict=True):
        fastest, median = min(values), statistics.median(values)
        print(f"{label:52} {median:6.0f} ms {fastest:6.0f} {fastest - previous:+6.0f}")
        previous = fastest
    print("the baseline imports the second row; the relay, the last")


def _samples(runs: int, environment: dict[str, str]) -> list[list[float]]:
    samples: list[list[float]] = [[] for _ in STEPS]
    for _ in range(runs):
        modules: list[str] = []
        # Steps alternate within a round, so a busy minute touches every step alike.
        for index, (_label, step_modules) in enumerate(STEPS):
            modules.extend(step_modules)
            result = subprocess.run(
                [sys.executable, "-c", CHILD, *modules],
                capture_output=True,
                text=True,
                env=environment,
                check=True,
                timeout=120,
            )
            samples[index].append(float(result.stdout.strip().splitlines()[-1]))
    return samples


if __name__ == "__main__":
    main()
