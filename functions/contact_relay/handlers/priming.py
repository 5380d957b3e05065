"""Priming: requests served before SnapStart's snapshot, with every AWS call answered in memory.

Whatever a first request loads or builds lazily (botocore's endpoint rules, serialisers and
event hooks per operation, pydantic's validators, the resolver's routes, the reducer's tables and
regular expressions, the email package's header folding, the idempotency layer's JSON) is then
in the snapshot, and no buyer pays for it after a restore. Each request goes the deployed way
(edge checks, resolver, relay, adapters, clients) with the clients wrapped in botocore's
Stubber, which answers at `before-call`: nothing is signed or sent, no endpoint need be reachable,
and nothing is written. Its log lines and metrics go to a sink, never to CloudWatch.

Priming is an optimisation: a request that answers otherwise than expected (a change in the
relay's calls that this module has not followed) is reported, and the snapshot taken anyway.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.stub import Stubber

from contact_relay.handlers.routes import MESSAGE_ROUTE, MESSAGES_ROUTE, SELLER_ROUTE, TOPICS_ROUTE
from contact_relay.observability import logger, metrics
from contact_relay.settings import Settings
from contact_relay.topics import TOPICS

Serve = Callable[[dict[str, Any], Any], dict[str, Any]]

SELLER_ID = "priming-seller"
MESSAGE_ID = "00000000-0000-4000-8000-000000000000"
_SELLER = {
    "Item": {
        "sellerId": {"S": SELLER_ID},
        "displayName": {"S": "Priming Store"},
        "replyToEmail": {"S": "seller@example.com"},
        "replyToStatus": {"S": "verified"},
        "status": {"S": "active"},
    }
}
_MESSAGE = {
    "Item": {
        "messageId": {"S": MESSAGE_ID},
        "status": {"S": "sent"},
        "topic": {"S": "shipping"},
        "createdAt": {"N": "1700000000"},
        "updatedAt": {"N": "1700000000"},
    }
}
# The pair's conversation as DynamoDB returns it once opened (with REPLY_DOMAIN set).
_CONVERSATION = {
    "Attributes": {
        "conversationId": {"S": "0" * 64},
        "sellerId": {"S": SELLER_ID},
        "buyerEmail": {"S": "buyer@example.com"},
        "buyerName": {"S": "Priming Buyer"},
        "buyerAlias": {"S": "a" * 32},
        "sellerAlias": {"S": "b" * 32},
        "topic": {"S": "shipping"},
        "createdAt": {"N": "1700000000"},
        "expiresAt": {"N": "1715552000"},
    }
}
# What the reducer meets in ordinary messages: prose, markup, entities, a link, non-ASCII text.
_TEXT = (
    "Hello, when will order 503-1234567-1234567 ship? It costs $19.99 &amp; I need it by 5 p.m. "
    "<p>Is the <b>blue</b> one in stock? See www.example.com/item?id=1.</p> "
    "注文した商品はいつ届きますか。 😀 "
)


@dataclass(frozen=True, slots=True)
class PrimingRequest:
    label: str
    event: dict[str, Any]
    expected_status: int
    # Each client's stubbed answers, in the order the request makes its calls.
    dynamodb: tuple[tuple[str, dict[str, Any]], ...] = ()
    sesv2: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True, slots=True)
class PrimingOutcome:
    label: str
    expected_status: int
    status: int  # 0: the request raised
    # Stubbed answers the request did not ask for: it made fewer calls than this module expects.
    answers_left: bool = False

    @property
    def as_expected(self) -> bool:
        return self.status == self.expected_status and not self.answers_left


class PrimingContext:
    """The Lambda context Powertools reads during priming (there is no invocation yet)."""

    function_name = "contact-relay-priming"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:contact-relay-priming"
    aws_request_id = "priming"

    def get_remaining_time_in_millis(self) -> int:
        return 20_000


def prime(serve: Serve, settings: Settings, dynamodb: Any, sesv2: Any) -> list[PrimingOutcome]:
    """Serve the priming requests through `serve` with both clients stubbed; what each answered."""
    outcomes: list[PrimingOutcome] = []
    with _sunk_output():
        for request in priming_requests(settings):
            with Stubber(dynamodb) as dynamodb_stub, Stubber(sesv2) as sesv2_stub:
                for operation, answer in request.dynamodb:
                    dynamodb_stub.add_response(operation, answer)
                for operation, answer in request.sesv2:
                    sesv2_stub.add_response(operation, answer)
                try:
                    status = int(serve(request.event, PrimingContext())["statusCode"])
                except Exception:  # reported, never raised: see above
                    status = 0
                answers_left = _answers_left(dynamodb_stub) or _answers_left(sesv2_stub)
            outcomes.append(
                PrimingOutcome(request.label, request.expected_status, status, answers_left)
            )
        # The EMF serialisation runs too; flushing empties the metrics of the priming requests.
        metrics.flush_metrics()
    return outcomes


def _answers_left(stub: Stubber) -> bool:
    try:
        stub.assert_no_pending_responses()
    except AssertionError:  # botocore's way of saying answers are left
        return True
    return False


def priming_requests(settings: Settings) -> list[PrimingRequest]:
    """One POST per topic, with and without an Idempotency-Key, a refused POST, the reads."""
    requests = [
        _post(topic.id, settings, keyed=index % 2 == 0) for index, topic in enumerate(TOPICS)
    ]
    requests += [
        PrimingRequest(
            "POST refused by validation",
            _event("POST", MESSAGES_ROUTE.resource.replace("{sellerId}", SELLER_ID), _body("x")),
            422,
        ),
        PrimingRequest("GET /topics", _event("GET", TOPICS_ROUTE.resource), 200),
        PrimingRequest(
            "GET /sellers/{sellerId}",
            _event("GET", SELLER_ROUTE.resource.replace("{sellerId}", SELLER_ID)),
            200,
            dynamodb=(("get_item", _SELLER),),
        ),
        PrimingRequest(
            "GET /messages/{messageId}",
            _event("GET", MESSAGE_ROUTE.resource.replace("{messageId}", MESSAGE_ID)),
            200,
            dynamodb=(("get_item", _MESSAGE),),
        ),
    ]
    return requests


def _post(topic: str, settings: Settings, *, keyed: bool) -> PrimingRequest:
    """A message that sends: its calls in the relay's order. With a captcha configured, the
    request stops at the captcha (it carries no token: priming never calls the provider)."""
    counters = sum(
        limit > 0
        for limit in (settings.rate_limit_source_ip_per_hour, settings.rate_limit_buyer_per_hour)
    )
    before_send: tuple[tuple[str, dict[str, Any]], ...] = (("get_item", {}),)
    before_send += (("update_item", {}),) * counters
    headers = {"Idempotency-Key": f"priming-{topic}"} if keyed else {}
    event = _event(
        "POST", MESSAGES_ROUTE.resource.replace("{sellerId}", SELLER_ID), _body(topic), headers
    )
    label = f"POST {topic}{' with an Idempotency-Key' if keyed else ''}"
    if settings.captcha_enabled:
        return PrimingRequest(label, event, 422, dynamodb=before_send)
    return PrimingRequest(
        label,
        event,
        201,
        dynamodb=(
            *before_send,
            ("put_item", {}),  # the idempotency record, in progress
            ("get_item", _SELLER),
            # The pair's conversation, opened before the email names its alias.
            *((("update_item", _CONVERSATION),) if settings.conversations_enabled else ()),
            ("put_item", {}),  # the audit row
            ("update_item", {}),  # the idempotency record, completed
        ),
        sesv2=(("send_email", {"MessageId": "priming"}),),
    )


def _body(topic: str) -> str:
    return json.dumps(
        {
            "topic": topic,
            "message": _TEXT,
            "buyer": {"name": "Priming Buyer", "email": "buyer@example.com"},
            "orderId": "503-1234567-1234567",
        },
        ensure_ascii=False,
    )


def _event(
    method: str, path: str, body: str | None = None, extra_headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """An API Gateway REST proxy event, as the deployed function receives one."""
    route = next(
        route
        for route in (TOPICS_ROUTE, SELLER_ROUTE, MESSAGES_ROUTE, MESSAGE_ROUTE)
        if route.parameters(path) is not None
    )
    headers = {
        "Accept": "application/json",
        "Origin": "https://shop.example",
        **({"Content-Type": "application/json"} if body is not None else {}),
        **(extra_headers or {}),
    }
    return {
        "resource": route.resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": route.parameters(path) or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.resource,
            "httpMethod": method,
            "path": path,
            "stage": "v1",
            "requestId": "priming",
            "identity": {"sourceIp": "192.0.2.1", "userAgent": "contact-relay-priming"},
        },
        "body": body,
        "isBase64Encoded": False,
    }


@contextlib.contextmanager
def _sunk_output() -> Iterator[None]:
    """Log lines and EMF metrics (printed to stdout) go nowhere while priming runs, nor the X-Ray
    SDK's notes that it discards each subsegment of an init (a line per AWS call)."""
    sink = io.StringIO()
    handler = logger.registered_handler
    stream = handler.setStream(sink) if isinstance(handler, logging.StreamHandler) else None
    # The level, not `disabled`: the SDK logs through child loggers, which inherit the level.
    xray = logging.getLogger("aws_xray_sdk")
    xray_level = xray.level
    xray.setLevel(logging.CRITICAL + 1)
    try:
        with contextlib.redirect_stdout(sink):
            yield
    finally:
        xray.setLevel(xray_level)
        if stream is not None and isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)
