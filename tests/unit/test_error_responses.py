"""The answers to SES refusals: what the buyer hears, and what an operator is told."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    RelayError,
    SellerUnavailable,
)
from contact_relay.handlers.error_responses import relay_error_response
from contact_relay.observability import metrics


@pytest.fixture
def counted() -> Iterator[dict[str, float]]:
    """The metrics the answer adds, by name (Powertools' metric set is shared: left empty)."""
    metrics.clear_metrics()
    names: dict[str, float] = {}
    yield names
    metrics.clear_metrics()


def _answer(
    error: RelayError, counted: dict[str, float]
) -> tuple[int, str, dict[str, str | list[str]]]:
    """Status, body as JSON text, and headers of the answer; the metrics it added go to
    `counted`."""
    response = relay_error_response(error)
    counted.update({name: sum(m["Value"]) for name, m in metrics.metric_set.items()})
    return response.status_code, json.dumps(response.body), dict(response.headers)


def test_a_misconfigured_sender_is_502_delivery_failed_with_its_own_metric(
    counted: dict[str, float],
) -> None:
    status, body, headers = _answer(DeliveryMisconfigured("AccessDeniedException"), counted)

    assert status == 502
    assert json.loads(body)["error"]["code"] == "delivery_failed"
    assert "Retry-After" not in headers  # no retry can succeed until an operator acts
    assert "AccessDenied" not in body
    # Its own metric, and still the per-code one the DeliveryFailed alarm watches
    assert counted["DeliveryMisconfigured"] == 1
    assert counted["Error_delivery_failed"] == 1


def test_a_refused_message_is_502_delivery_failed_without_the_misconfiguration_metric(
    counted: dict[str, float],
) -> None:
    status, _, headers = _answer(DeliveryFailed("MessageRejected"), counted)

    assert status == 502
    assert "Retry-After" not in headers
    assert "DeliveryMisconfigured" not in counted
    assert counted["Error_delivery_failed"] == 1


def test_a_seller_whose_address_bounces_is_409_with_a_metric_naming_why(
    counted: dict[str, float],
) -> None:
    status, body, _ = _answer(SellerUnavailable("shop-1", "bouncing"), counted)

    assert status == 409
    assert json.loads(body)["error"]["code"] == "seller_unavailable"
    assert "bouncing" not in body  # the buyer hears only that the seller cannot receive now
    assert counted["SellerUnavailable_bouncing"] == 1
    assert counted["Error_seller_unavailable"] == 1
