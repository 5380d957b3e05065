"""Schemathesis against the local stack, every check included: no 5xx, every answer matches
openapi.json, schema-valid requests are accepted and others refused (schemathesis.toml says which
refusals of valid data are business rules, and schemathesis_hooks.py holds them to exactly those).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from contact_relay_local.running_stack import RunningStack
from tests.e2e.schemathesis_hooks import STOP_TOKEN_VARIABLE

pytestmark = pytest.mark.e2e

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
PROJECT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"


def test_the_api_keeps_its_contract_under_generated_requests() -> None:
    # Limits off: a few hundred requests from one address would otherwise be mostly 429s.
    stack = RunningStack({"RATE_LIMIT_BUYER_PER_HOUR": "0", "RATE_LIMIT_SOURCE_IP_PER_HOUR": "0"})
    try:
        environment = {**os.environ, STOP_TOKEN_VARIABLE: stop_token_of_a_new_conversation(stack)}
        result = subprocess.run(
            [
                str(SCHEMATHESIS), "--config-file", str(CONFIG),
                "run", "openapi.json", "--url", stack.url, "--checks", "all",
            ],
            cwd=PROJECT,  # where the config's hooks path starts; .schemathesis/ is ignored
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env=environment,
        )  # fmt: skip
    finally:
        assert stack.stop() == 0

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def stop_token_of_a_new_conversation(stack: RunningStack) -> str:
    """The token of the stop link in the seller's email of a new conversation."""
    sent = stack.request(
        "POST",
        "/sellers/example-store/messages",
        {
            "topic": "other",
            "message": "A conversation for the contract run to stop.",
            "buyer": {"name": "Contract Run", "email": "contract.run@example.net"},
        },
    )
    assert sent.status == 201, sent.body
    body = str(stack.outbox()[-1]["body"])
    [token] = re.findall(r"/stop/([0-9a-f]{64}\.[0-9a-f]{64})", body)
    return str(token)
