"""Cold start as a buyer feels it: fresh processes that import, wire and serve one POST.

Usage: .venv/bin/python benchmarks/cold_start.py [RUNS]    (default 10; part of `make bench`)

A moto server on loopback stands in for DynamoDB and SES; it is started once, here, outside the
timed processes. Each run is a new Python process with the production configuration: Lambda's
variables (tracing on, its segments sent to a UDP socket here), the template's settings, and the
code laid out as `make build` deploys it: the layer's packages and the function's package in one
folder, ahead of boto3 (which the Lambda runtime provides). It imports the handler module, serves
one POST that sends an email, and reports the milliseconds from its first line to the answer.

Variants, alternating run by run:
- relay: the layout with hash-checked bytecode, as `make build` now ships it;
- relay-no-pyc: the same layout without bytecode, as it shipped before: Lambda's file system is
  read-only, so every cold start compiles each module of layer and function again;
- baseline (cold_start_child.py `baseline`): imports boto3, creates the two clients and makes
  the same AWS calls by hand.
"""

from __future__ import annotations

import compileall
import importlib.metadata
import importlib.util
import json
import logging
import os
import py_compile
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beside each other, the benchmarks import their neighbours by name; the project comes from
# the environment (`make setup`), never from tests/.
sys.path.insert(0, str(ROOT / "benchmarks"))

from buyer_posts import contact_post  # noqa: E402
from machine import header  # noqa: E402
from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402

from contact_relay_local.stack import LOCAL_DEFAULTS, demo_sellers, seller_attributes  # noqa: E402
from contact_relay_local.template_tables import create_tables  # noqa: E402

CHILD = ROOT / "benchmarks" / "cold_start_child.py"
VARIANTS = ("relay", "relay-no-pyc", "baseline")


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
    # The X-Ray SDK sends segments to a daemon on UDP in Lambda; here, to a socket nobody reads.
    xray_daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    xray_daemon.bind(("127.0.0.1", 0))
    daemon_address = f"127.0.0.1:{xray_daemon.getsockname()[1]}"
    samples: dict[str, list[float]] = {which: [] for which in VARIANTS}
    imports: dict[str, list[float]] = {which: [] for which in VARIANTS}
    with tempfile.TemporaryDirectory() as scratch:
        layouts = {
            "relay": deployed_layout(Path(scratch) / "with-bytecode", bytecode=True),
            "relay-no-pyc": deployed_layout(Path(scratch) / "without", bytecode=False),
            "baseline": Path(scratch) / "baseline",
        }
        layouts["baseline"].mkdir()
        try:
            for run in range(runs):
                for which in VARIANTS:
                    in_lambda = lambda_environment(layouts[which], daemon_address, run)
                    ms, import_ms = _one(which, run, {**environment, **in_lambda})
                    samples[which].append(ms)
                    imports[which].append(import_ms)
        finally:
            server.stop()
            xray_daemon.close()
    print(header(f"cold start to the answer of one POST that sends an email, {runs} runs each"))
    for which, values in samples.items():
        print(
            f"{which:12} median {statistics.median(values):6.0f} ms   "
            f"min {min(values):6.0f}   max {max(values):6.0f}   "
            f"stdev {statistics.stdev(values):5.0f}   "
            f"(imports: median {statistics.median(imports[which]):4.0f} ms)"
        )
    baseline = statistics.median(samples["baseline"])
    for which in ("relay", "relay-no-pyc"):
        ratio = statistics.median(samples[which]) / baseline
        print(f"ratio {which} / baseline (medians): {ratio:.2f}x (target <= 1.0x)")


def lambda_environment(task_root: Path, daemon_address: str, run: int) -> dict[str, str]:
    """What Lambda sets for a python3.13 function with Active tracing, and the code's path."""
    return {
        "PYTHONPATH": str(task_root),
        "PYTHONDONTWRITEBYTECODE": "1",  # Lambda cannot write any: /var/task and /opt are read-only
        "LAMBDA_TASK_ROOT": str(task_root),
        "AWS_LAMBDA_FUNCTION_NAME": "contact-relay-bench",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_XRAY_DAEMON_ADDRESS": daemon_address,
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "_X_AMZN_TRACE_ID": (
            f"Root=1-5759e988-bd862e3fe1be46a994272{run:03d};Parent=53995c3f42cd8ad8;Sampled=1"
        ),
    }


def deployed_layout(folder: Path, *, bytecode: bool) -> Path:
    """The layer's packages (layers/requirements.txt, from this machine's installs) and the
    function's package in one folder, with or without hash-checked bytecode, as `make build`."""
    folder.mkdir(parents=True)
    requirements = (ROOT / "layers" / "requirements.txt").read_text().splitlines()
    for line in requirements:
        name = line.split("#", 1)[0].split("==", 1)[0].strip()
        if not name:
            continue
        for top_level in _top_level_names(name):
            source = _installed_path(top_level)
            target = folder / source.name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            elif not target.exists():
                shutil.copy2(source, target)
    shutil.copytree(
        ROOT / "functions" / "contact_relay",
        folder / "contact_relay",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    if bytecode:
        compileall.compile_dir(
            folder, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH
        )
    return folder


def _top_level_names(distribution: str) -> set[str]:
    files = importlib.metadata.distribution(distribution).files or []
    return {
        file.parts[0].removesuffix(".py")
        for file in files
        if not file.parts[0].endswith((".dist-info", ".pth"))
        and file.parts[0] != ".."
        and not file.parts[0].startswith("__")
        and file.parts[0].removesuffix(".py").isidentifier()  # not wrapt-stubs and the like
    }


def _installed_path(top_level: str) -> Path:
    spec = importlib.util.find_spec(top_level)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{top_level} is not installed")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


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
    # The digest key the relay reads at its cold start (the settings require its secret's ARN).
    secret = client("secretsmanager").create_secret(  # type: ignore[attr-defined]
        Name="contact-relay/digest-key", SecretString="Bench7DigestKey0" * 4
    )
    environment["DIGEST_KEY_SECRET_ARN"] = secret["ARN"]


def _one(which: str, run: int, environment: dict[str, str]) -> tuple[float, float]:
    message = f"Cold start {which} {run}: when will <b>it</b> ship? www.example.com"
    event = json.dumps(contact_post(message, buyer_email=f"{which}{run}@example.com"))
    result = subprocess.run(
        [sys.executable, str(CHILD), which.removesuffix("-no-pyc"), event],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    if answer["status"] != 201:
        raise RuntimeError(f"{which} answered {answer['status']}: {result.stdout[-500:]}")
    if which != "baseline" and not answer["handler"].startswith(environment["PYTHONPATH"]):
        raise RuntimeError(f"{which} imported the handler from {answer['handler']}")
    return float(answer["ms"]), float(answer["import_ms"])


if __name__ == "__main__":
    main()
