"""What an execution environment builds once, and when it builds it again."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from contact_relay.environment_variables import ConfigurationError
from contact_relay.handlers.wiring import AwsClients, ExecutionEnvironments, Wiring


def test_an_environment_keeps_its_wiring_until_its_next_cold_start(aws: Any) -> None:
    environments = ExecutionEnvironments()
    first = environments.current()

    warm = environments.current()
    environments.start_cold()
    cold = environments.current()

    assert warm is first
    assert isinstance(cold, Wiring) and cold is not first


def test_each_thread_is_an_environment_of_its_own(aws: Any) -> None:
    environments = ExecutionEnvironments()
    here = environments.current()
    there: list[Wiring] = []

    thread = threading.Thread(target=lambda: there.append(environments.current()))
    thread.start()
    thread.join()

    assert there and there[0] is not here
    assert environments.current() is here


def test_a_cold_start_reads_the_environment_again(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    environments = ExecutionEnvironments()
    environments.current()
    monkeypatch.setenv("LINK_POLICY", "forbid")

    warm = environments.current()
    environments.start_cold()

    assert warm.settings.link_policy == "remove"
    with pytest.raises(ConfigurationError, match="LINK_POLICY"):
        environments.current()


# Mutant (make mutate): the wiring read its secrets through a client of its own, not the one it
# was handed, so a benchmark's Stubber or a test's fault never reached those reads.
def test_the_secrets_are_read_through_the_client_the_environment_is_handed(aws: Any) -> None:
    secretsmanager = boto3.client("secretsmanager")
    reads: list[str] = []
    secretsmanager.meta.events.register(
        "before-call", lambda model, **_: reads.append(str(model.name))
    )

    ExecutionEnvironments().wire(AwsClients(secretsmanager=secretsmanager))

    assert reads == ["GetSecretValue"]
