"""The delivery events function's settings: the two tables it writes, each fault named."""

from __future__ import annotations

import pytest

from contact_relay.delivery_events_settings import load_delivery_events_settings
from contact_relay.environment_variables import ConfigurationError

ENVIRONMENT = {"SELLERS_TABLE": "sellers", "MESSAGES_TABLE": "messages"}


def test_the_tables_are_read_from_the_environment_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The process's own environment names other tables: the one given is the one read.
    monkeypatch.setenv("SELLERS_TABLE", "process-sellers")
    monkeypatch.setenv("MESSAGES_TABLE", "process-messages")

    settings = load_delivery_events_settings(ENVIRONMENT)

    assert (settings.sellers_table, settings.messages_table) == ("sellers", "messages")


def test_the_process_environment_is_read_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)

    settings = load_delivery_events_settings()

    assert (settings.sellers_table, settings.messages_table) == ("sellers", "messages")


@pytest.mark.parametrize("variable", sorted(ENVIRONMENT))
def test_each_table_is_named_when_missing(variable: str) -> None:
    environment = {k: v for k, v in ENVIRONMENT.items() if k != variable}
    with pytest.raises(ConfigurationError, match=variable):
        load_delivery_events_settings(environment)
