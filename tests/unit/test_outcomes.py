"""What the edge makes of a receipt: one metric per outcome, and log lines by its ids alone."""

from __future__ import annotations

from typing import Any

import pytest

from contact_relay.handlers.outcomes import log_and_count
from contact_relay.observability import logger, metrics
from contact_relay.service import Receipt


def _receipt(**changes: Any) -> Receipt:
    fields: dict[str, Any] = {
        "message_id": "m-7",
        "topic": "shipping",
        "subject": "Question about shipping",
        "confirmation": "Your message was sent.",
        "links_removed": 2,
        "markup_removed": False,
    }
    return Receipt(**{**fields, **changes})


def _counted() -> dict[str, tuple[str, Any]]:
    """Each metric added since the last flush: its unit and value, as EMF writes them."""
    blob: dict[str, Any] = dict(metrics.serialize_metric_set())
    metrics.clear_metrics()
    return {
        metric["Name"]: (metric["Unit"], blob[metric["Name"]])
        for directive in blob["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    }


@pytest.mark.parametrize(
    ("changes", "counted", "levels"),
    [
        ({}, ["MessageSent"], ["INFO"]),
        ({"suppressed": True}, ["HoneypotFilled"], ["INFO"]),
        ({"unconfirmed": True}, ["DeliveryUnconfirmed"], ["WARNING"]),
        ({"recorded": False}, ["MessageSent", "LedgerWriteFailed"], ["INFO", "ERROR"]),
    ],
)
def test_each_outcome_is_counted_once_and_logged_by_its_ids(
    caplog: pytest.LogCaptureFixture,
    changes: dict[str, Any],
    counted: list[str],
    levels: list[str],
) -> None:
    metrics.clear_metrics()
    caplog.set_level("INFO")

    log_and_count(_receipt(**changes))

    assert _counted() == {name: ("Count", [1.0]) for name in counted}
    ours = [record for record in caplog.records if record.name == logger.name]
    assert [record.levelname for record in ours] == levels
    for record in ours:
        assert (vars(record)["message_id"], vars(record)["topic"]) == ("m-7", "shipping")
        assert record.getMessage() != "None"
    # The line of a sent message says how many links reduction took out, and no other does.
    removed = [vars(record)["links_removed"] for record in ours if hasattr(record, "links_removed")]
    assert removed == ([2] if "MessageSent" in counted else [])
