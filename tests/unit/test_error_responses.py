"""The answers to the relay's own errors: what the buyer hears (status, code, the field named,
Retry-After), and what an operator is told (metrics, log fields)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Literal

import pytest

from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DependencyUnavailable,
    LinksNotAllowed,
    MessageEmpty,
    RateLimited,
    RelayError,
    SellerUnavailable,
)
from contact_relay.handlers.error_responses import (
    BUYER_LIMIT_REACHED,
    error_response,
    relay_error_response,
)
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
    """Status, body as JSON text, and headers of the answer (names in lower case: HTTP's are
    case-insensitive); the metrics it added go to `counted`, each a count (the unit CloudWatch
    gets)."""
    response = relay_error_response(error)
    assert {m["Unit"] for m in metrics.metric_set.values()} <= {"Count"}
    counted.update({name: sum(m["Value"]) for name, m in metrics.metric_set.items()})
    headers = {name.lower(): value for name, value in response.headers.items()}
    return response.status_code, json.dumps(response.body), headers


def test_a_misconfigured_sender_is_502_delivery_failed_with_its_own_metric(
    counted: dict[str, float],
) -> None:
    status, body, headers = _answer(DeliveryMisconfigured("AccessDeniedException"), counted)

    assert status == 502
    assert json.loads(body)["error"]["code"] == "delivery_failed"
    assert "retry-after" not in headers  # no retry can succeed until an operator acts
    assert "AccessDenied" not in body
    # Its own metric, and still the per-code one the DeliveryFailed alarm watches
    assert counted["DeliveryMisconfigured"] == 1
    assert counted["Error_delivery_failed"] == 1


def test_a_refused_message_is_502_delivery_failed_without_the_misconfiguration_metric(
    counted: dict[str, float],
) -> None:
    status, _, headers = _answer(DeliveryFailed("MessageRejected"), counted)

    assert status == 502
    assert "retry-after" not in headers
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


def test_the_buyers_hourly_limit_is_429_naming_the_email_field_with_retry_after(
    counted: dict[str, float],
) -> None:
    status, body, headers = _answer(RateLimited(1234, limit="buyer"), counted)

    error = json.loads(body)["error"]
    assert (status, error["code"]) == (429, "rate_limited")
    # Another address would pass this limit: the buyer is told which field reached it.
    assert error["details"] == [{"field": "buyer.email", "issue": BUYER_LIMIT_REACHED}]
    assert "email address" in error["message"]
    assert headers["retry-after"] == "1234"
    assert counted["Error_rate_limited"] == 1


def test_the_networks_hourly_limit_is_429_naming_no_field_with_retry_after(
    counted: dict[str, float],
) -> None:
    status, body, headers = _answer(RateLimited(600, limit="source_ip"), counted)

    error = json.loads(body)["error"]
    assert (status, error["code"]) == (429, "rate_limited")
    assert "details" not in error  # no field of the request would help: another address won't
    assert "network" in error["message"]
    assert headers["retry-after"] == "600"
    assert counted["Error_rate_limited"] == 1


def test_a_message_with_nothing_left_is_422_message_empty_naming_the_message(
    counted: dict[str, float],
) -> None:
    status, body, _ = _answer(MessageEmpty(), counted)

    error = json.loads(body)["error"]
    assert (status, error["code"]) == (422, "message_empty")
    assert [detail["field"] for detail in error["details"]] == ["message"]


@pytest.mark.parametrize(("part", "field"), [("message", "message"), ("buyer_name", "buyer.name")])
def test_a_link_is_422_links_not_allowed_naming_the_field_as_the_api_spells_it(
    part: Literal["message", "buyer_name"], field: str, counted: dict[str, float]
) -> None:
    status, body, _ = _answer(LinksNotAllowed(part), counted)

    error = json.loads(body)["error"]
    assert (status, error["code"]) == (422, "links_not_allowed")
    assert [detail["field"] for detail in error["details"]] == [field]


def _logged(caplog: pytest.LogCaptureFixture, level: str) -> logging.LogRecord:
    [record] = [r for r in caplog.records if r.name == "contact-relay" and r.levelname == level]
    return record


def test_a_refusal_for_a_sellers_address_logs_the_seller_and_why(
    counted: dict[str, float], caplog: pytest.LogCaptureFixture
) -> None:
    _answer(SellerUnavailable("shop-1", "pending"), counted)

    logged = _logged(caplog, "WARNING")
    assert (getattr(logged, "seller_id", None), getattr(logged, "reason", None)) == (
        "shop-1",
        "pending",
    )


@pytest.mark.parametrize(
    "error", [DeliveryFailed("MessageRejected"), DeliveryMisconfigured("MessageRejected")]
)
def test_a_refused_send_logs_the_aws_error_code(
    error: RelayError, counted: dict[str, float], caplog: pytest.LogCaptureFixture
) -> None:
    _answer(error, counted)

    assert getattr(_logged(caplog, "ERROR"), "reason", None) == "MessageRejected"


def test_a_dependency_down_is_503_with_its_retry_after_and_a_log_naming_it_and_why(
    counted: dict[str, float], caplog: pytest.LogCaptureFixture
) -> None:
    status, body, headers = _answer(
        DependencyUnavailable("dynamodb", "ThrottlingException", retry_after_seconds=7), counted
    )

    assert (status, json.loads(body)["error"]["code"]) == (503, "service_unavailable")
    assert headers["retry-after"] == "7"
    logged = _logged(caplog, "WARNING")
    assert (getattr(logged, "dependency", None), getattr(logged, "reason", None)) == (
        "dynamodb",
        "ThrottlingException",
    )
    assert "ThrottlingException" not in body


# Mutants (make mutate): README's `Rejected` (a refusal, 4xx) and `Failed` (our failure, 5xx)
# metrics renamed, swapped, counted twice, or split at another status than 500.
@pytest.mark.parametrize(
    ("error", "counted_as", "not_counted_as"),
    [
        (MessageEmpty(), "Rejected", "Failed"),
        (RateLimited(60, limit="buyer"), "Rejected", "Failed"),
        (DeliveryFailed("MessageRejected"), "Failed", "Rejected"),
        (DependencyUnavailable("ses", "Throttling", retry_after_seconds=3), "Failed", "Rejected"),
    ],
)
def test_a_refusal_counts_as_rejected_and_a_failure_of_ours_as_failed(
    error: RelayError, counted_as: str, not_counted_as: str, counted: dict[str, float]
) -> None:
    _answer(error, counted)

    assert counted[counted_as] == 1
    assert not_counted_as not in counted


@pytest.mark.parametrize(("status", "counted_as"), [(499, "Rejected"), (500, "Failed")])
def test_the_first_server_error_status_counts_as_failed(
    status: int, counted_as: str, counted: dict[str, float]
) -> None:
    error_response(status, "some_code", "Some words.")

    assert {name: sum(m["Value"]) for name, m in metrics.metric_set.items()} == {
        counted_as: 1,
        "Error_some_code": 1,
    }
