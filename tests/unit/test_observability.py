"""Tracing: Powertools' Tracer where tracing is on, nothing of the X-Ray SDK where it is off."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import TEST_ENVIRONMENT

PROBE = "import sys, contact_relay.handlers.contact; print('aws_xray_sdk' in sys.modules)"


@pytest.mark.parametrize(
    ("disabled", "loaded"), [("true", "False"), ("1", "False"), ("false", "True")]
)
def test_the_xray_sdk_is_loaded_only_when_tracing_may_record(disabled: str, loaded: str) -> None:
    environment = {**os.environ, **TEST_ENVIRONMENT, "POWERTOOLS_TRACE_DISABLED": disabled}

    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=environment, check=True
    )

    assert result.stdout.strip() == loaded


def test_switched_off_tracing_leaves_decorated_functions_as_they_are() -> None:
    from contact_relay.observability import _Untraced

    def method() -> str:
        return "result"

    untraced = _Untraced()

    assert untraced.capture_method(method) is method
    assert untraced.capture_method(capture_response=False)(method) is method
    assert untraced.capture_lambda_handler(method) is method
    assert untraced.capture_lambda_handler(capture_response=False)(method) is method


@pytest.mark.parametrize(
    ("value", "switched_off"),
    [
        ("1", True),
        ("true", True),
        (" TRUE ", True),
        ("yes", True),
        ("On", True),
        ("", False),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("disabled", False),
    ],
)
def test_tracing_is_off_where_the_variable_says_so(
    monkeypatch: pytest.MonkeyPatch, value: str, switched_off: bool
) -> None:
    # The decision itself, in this process (the tests above make it at import, in a fresh one).
    from contact_relay.observability import _tracing_switched_off

    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", value)

    assert _tracing_switched_off() is switched_off


def test_tracing_is_on_where_the_variable_is_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from contact_relay.observability import _tracing_switched_off

    monkeypatch.delenv("POWERTOOLS_TRACE_DISABLED", raising=False)

    assert _tracing_switched_off() is False


def test_tracing_patches_botocore_and_nothing_else() -> None:
    # As in Lambda: Powertools' Tracer patches nothing where it sees no Lambda task root.
    environment = {
        **os.environ,
        **TEST_ENVIRONMENT,
        "POWERTOOLS_TRACE_DISABLED": "false",
        "LAMBDA_TASK_ROOT": os.getcwd(),
        "AWS_LAMBDA_FUNCTION_NAME": "contact-relay-test",
    }
    probe = (
        "import contact_relay.handlers.contact\n"
        "from aws_xray_sdk.core.patcher import _PATCHED_MODULES\n"
        "print(sorted(_PATCHED_MODULES))"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True
    )

    assert result.stdout.strip() == "['botocore']"
