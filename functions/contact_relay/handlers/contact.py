"""Lambda entry point: decorators, edge checks, then `app.resolve(event, context)`.

Settings, AWS clients and the resolver are built once per cold start (`_resolver`), so a bad
configuration fails the first invocation loudly and warm requests pay nothing for wiring.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_messages import DynamoDBMessageLedger
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.handlers.api_models import MAX_BODY_BYTES
from contact_relay.handlers.app import (
    Deliver,
    cors_config,
    create_app,
    deliver_directly,
    describe,
    openapi_document,
)
from contact_relay.handlers.error_responses import error_response, unsupported_media_type
from contact_relay.observability import logger, metrics, tracer
from contact_relay.service import ContactRelay, Inquiry, RelayPolicy
from contact_relay.settings import Settings, load_settings

IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60


class _Wiring:
    def __init__(self) -> None:
        self.settings = load_settings()
        dynamodb = boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)
        sesv2 = boto3.client("sesv2", config=AWS_CLIENT_CONFIG)
        self.relay = ContactRelay(
            sellers=DynamoDBSellerDirectory(self.settings.sellers_table, dynamodb),
            mailer=SESMailer(self.settings.sender_address, self.settings.configuration_set, sesv2),
            ledger=DynamoDBMessageLedger(self.settings.messages_table, dynamodb),
            policy=policy_from(self.settings),
        )
        self.idempotency_config = IdempotencyConfig(
            event_key_jmespath="[sellerId, key]",
            payload_validation_jmespath="inquiry",
            expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
        )
        self.cors = cors_config(self.settings)
        self.app = create_app(self.settings, self._deliver_once(dynamodb))

    def _deliver_once(self, dynamodb: Any) -> Deliver:
        direct = deliver_directly(self.relay)
        persistence = DynamoDBPersistenceLayer(
            table_name=self.settings.idempotency_table, boto3_client=dynamodb
        )

        @idempotent_function(
            data_keyword_argument="request",
            persistence_store=persistence,
            config=self.idempotency_config,
        )
        def deliver_once(request: dict[str, Any]) -> dict[str, Any]:
            return describe(self.relay.relay(Inquiry(**request["inquiry"])))

        def deliver(inquiry: Inquiry, idempotency_key: str | None) -> dict[str, Any]:
            if idempotency_key is None:
                return direct(inquiry, None)
            request = {
                "sellerId": inquiry.seller_id,
                "key": idempotency_key,
                "inquiry": asdict(inquiry),
            }
            result: dict[str, Any] = deliver_once(request=request)
            return result

        return deliver


def policy_from(settings: Settings) -> RelayPolicy:
    return RelayPolicy(
        marketplace=settings.marketplace_name,
        sender_address=settings.sender_address,
        link_policy=settings.link_policy,
        max_message_chars=settings.max_message_chars,
        retention_days=settings.message_retention_days,
    )


@lru_cache(maxsize=1)
def _wiring() -> _Wiring:
    return _Wiring()


def api_document() -> str:
    """The OpenAPI document of the API, generated from the routes and models."""
    return openapi_document(_wiring().app)


def reset_for_tests() -> None:
    """Forget the cold-start wiring, so the next invocation reads the environment again."""
    _wiring.cache_clear()


def edge_rejection(event: dict[str, Any], cors: CORSConfig | None) -> dict[str, Any] | None:
    """413 and 415 before any parsing: an oversized or non-JSON body never reaches the parser.

    A JSON media type written another way (`Application/JSON`, `application/problem+json`) is
    rewritten to `application/json`, the only spelling Powertools' body parser recognises.
    """
    body = event.get("body") or ""
    size = len(body) if not event.get("isBase64Encoded") else len(body) * 3 // 4
    if size > MAX_BODY_BYTES:
        response = error_response(
            413, "payload_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes."
        )
        return _build(response, event, cors)
    if event.get("httpMethod") != "POST":
        return None
    content_type = _header(event, "content-type")
    if not _is_json(content_type):
        return _build(unsupported_media_type(), event, cors)
    if content_type is not None:
        _set_header(event, "content-type", "application/json")
    return None


def _build(
    response: Response[Any], event: dict[str, Any], cors: CORSConfig | None
) -> dict[str, Any]:
    builder: ResponseBuilder[Any] = ResponseBuilder(response=response, serializer=_compact_json)
    return builder.build(APIGatewayProxyEvent(event), cors)


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _set_header(event: dict[str, Any], name: str, value: str) -> None:
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field) or {}
        for key in [key for key in headers if key.lower() == name]:
            headers[key] = value if field == "headers" else [value]


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        # API Gateway's test console and some clients omit it; the body is still read as JSON.
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == content_types.APPLICATION_JSON or media_type.endswith("+json")


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False
)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring = _wiring()
    wiring.idempotency_config.register_lambda_context(context)
    rejection = edge_rejection(event, wiring.cors)
    if rejection is not None:
        return rejection
    return wiring.app.resolve(event, context)
