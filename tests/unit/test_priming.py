"""Priming's requests are what a storefront's requests become in API Gateway, and `prime` reports
what each one answered as it came (tests/integration/test_snapstart.py primes the real function).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from contact_relay.handlers.priming import PrimingContext, prime, priming_requests
from contact_relay.settings import load_settings
from contact_relay_local.gateway import proxy_event
from tests.support import TEST_ENVIRONMENT

SETTINGS = load_settings(TEST_ENVIRONMENT)
OPENAPI = json.loads((Path(__file__).resolve().parents[2] / "openapi.json").read_text("utf-8"))
# What API Gateway makes anew for each request, and the stage's name: the rest of an event is
# the request's own.
_PER_REQUEST = {
    "requestId",
    "extendedRequestId",
    "requestTimeEpoch",
    "protocol",
    "accountId",
    "apiId",
    "stage",
    "identity",
}


def _request_part(event: dict[str, Any]) -> dict[str, Any]:
    context = {k: v for k, v in event["requestContext"].items() if k not in _PER_REQUEST}
    return {**event, "requestContext": context}


def test_each_priming_request_is_the_event_api_gateway_makes_of_it() -> None:
    # The local gateway is the model of API Gateway's REST proxy events the local stack runs on.
    # (The requests are made here, not at import: a mutation test switches code on per test.)
    for request in priming_requests(SETTINGS):
        event = request.event
        method = request.label.split()[0]  # `POST shipping`, `GET /topics`
        body = (event["body"] or "").encode()

        made = proxy_event(method, event["path"], event["headers"].items(), body, "192.0.2.1")

        assert _request_part(event) == _request_part(made), request.label


def _header_parameters(path: str, method: str) -> set[str]:
    operation = OPENAPI["paths"][path][method]
    return {p["name"].lower() for p in operation["parameters"] if p["in"] == "header"}


def test_priming_sends_messages_with_and_without_the_idempotency_key_the_api_reads() -> None:
    [key] = _header_parameters("/sellers/{sellerId}/messages", "post")
    # The messages that send (the refused one carries no key, whatever the others do).
    posts = [r for r in priming_requests(SETTINGS) if r.expected_status == 201]
    # HTTP header names are case-insensitive; API Gateway passes them as the client sent them.
    keyed = [r for r in posts if key in {name.lower() for name in r.event["headers"]}]

    assert 0 < len(keyed) < len(posts)


def _clients() -> tuple[Any, Any]:
    # Stubbed by `prime`: nothing is sent, whatever the credentials and region.
    session = boto3.Session(
        aws_access_key_id="priming", aws_secret_access_key="priming", region_name="us-east-1"
    )
    return session.client("dynamodb"), session.client("sesv2")


def test_prime_serves_each_request_with_a_lambda_context() -> None:
    served: list[tuple[dict[str, Any], Any]] = []

    def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
        served.append((event, context))
        return {"statusCode": 200}

    prime(serve, SETTINGS, *_clients())

    assert [event for event, _ in served] == [r.event for r in priming_requests(SETTINGS)]
    for _, context in served:
        assert isinstance(context, PrimingContext)
        # What Powertools reads of a context while it logs the request.
        assert context.aws_request_id and context.function_name
        assert context.get_remaining_time_in_millis() > 0


def test_prime_reports_a_request_that_raised_as_status_0_and_answers_it_did_not_ask_for() -> None:
    def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("a drift the priming does not know")

    outcomes = prime(serve, SETTINGS, *_clients())

    requests = priming_requests(SETTINGS)
    assert [outcome.status for outcome in outcomes] == [0] * len(requests)
    # Stubbed answers the request never asked for are reported, from either client alone.
    stubbed = [bool(request.dynamodb or request.sesv2) for request in requests]
    assert [outcome.answers_left for outcome in outcomes] == stubbed
    assert any(request.dynamodb and not request.sesv2 for request in requests)
    assert not any(outcome.as_expected for outcome in outcomes)


def test_prime_reports_each_answer_as_it_came() -> None:
    requests = priming_requests(SETTINGS)
    statuses = iter(range(200, 200 + len(requests)))

    outcomes = prime(lambda event, context: {"statusCode": next(statuses)}, SETTINGS, *_clients())

    assert [outcome.status for outcome in outcomes] == list(range(200, 200 + len(requests)))
    assert [outcome.label for outcome in outcomes] == [request.label for request in requests]
    assert [o.expected_status for o in outcomes] == [r.expected_status for r in requests]
