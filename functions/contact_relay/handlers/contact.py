"""Lambda entry point: decorators, edge checks, then `app.resolve(event, context)`.

Settings, AWS clients and the resolver are built once per cold start (`_resolver`), so a bad
configuration fails the first invocation loudly and warm requests pay nothing for wiring.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG, SES_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_messages import DynamoDBMessageLedger
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.secrets import SecretReader
from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.adapters.wiring_factories import captcha_from, digester_from, rate_limiter_from
from contact_relay.handlers.api_models import MAX_BODY_BYTES
from contact_relay.handlers.app import cors_config, create_app, reads_a_json_body
from contact_relay.handlers.error_responses import (
    error_response,
    invalid_json,
    unsupported_media_type,
)
from contact_relay.handlers.idempotency import OncePerRequest
from contact_relay.observability import logger, metrics, tracer
from contact_relay.service import ContactRelay, RelayPolicy
from contact_relay.settings import Settings, load_settings


class _Wiring:
    """Everything one execution environment builds once: settings, clients, relay, resolver."""

    def __init__(
        self, generation: int, dynamodb: Any = None, sesv2: Any = None, secretsmanager: Any = None
    ) -> None:
        self.generation = generation
        self.settings = load_settings()
        dynamodb = dynamodb or boto3.client("dynamodb", config=DYNAMODB_CLIENT_CONFIG)
        # SES has its own: botocore never retries a send that may have reached SES.
        sesv2 = sesv2 or boto3.client("sesv2", config=SES_CLIENT_CONFIG)
        settings = self.settings
        # Each secret is read once here, never from the environment.
        secrets = SecretReader(secretsmanager)
        digester = digester_from(settings, secrets)
        self.relay = ContactRelay(
            sellers=DynamoDBSellerDirectory(settings.sellers_table, dynamodb),
            mailer=SESMailer(settings.sender_address, settings.configuration_set, sesv2),
            ledger=DynamoDBMessageLedger(settings.messages_table, dynamodb),
            policy=policy_from(settings),
            limits=rate_limiter_from(settings, dynamodb, digester),
            human_check=captcha_from(settings, secrets),
        )
        self.once = OncePerRequest(self.relay, settings.idempotency_table, dynamodb, digester)
        self.cors = cors_config(settings)
        self.app = create_app(settings, self.once.deliver)

    def register_lambda_context(self, context: LambdaContext) -> None:
        self.once.register_lambda_context(context)


def policy_from(settings: Settings) -> RelayPolicy:
    return RelayPolicy(
        marketplace=settings.marketplace_name,
        sender_address=settings.sender_address,
        link_policy=settings.link_policy,
        retention_days=settings.message_retention_days,
    )


# One wiring per execution environment. Lambda runs one request at a time per environment; a
# test that drives the handler from several threads gets one environment per thread.
_environment = threading.local()
_generation = itertools.count()
_current_generation = next(_generation)


def _wiring() -> _Wiring:
    wiring: _Wiring | None = getattr(_environment, "wiring", None)
    if wiring is None or wiring.generation != _current_generation:
        wiring = _environment.wiring = _Wiring(_current_generation)
    return wiring


def wire_with_clients(dynamodb: Any, sesv2: Any, secretsmanager: Any = None) -> None:
    """Build this environment's wiring now, around the given clients: how a benchmark hands
    the deployed handler botocore clients wrapped in a Stubber."""
    _environment.wiring = _Wiring(_current_generation, dynamodb, sesv2, secretsmanager)


def reset_for_tests() -> None:
    """Forget every cold-start wiring, so the next invocations read the environment again."""
    global _current_generation  # noqa: PLW0603
    _current_generation = next(_generation)


def edge_rejection(event: dict[str, Any], cors: CORSConfig | None) -> dict[str, Any] | None:
    """413 and 415 before any parsing: an oversized or non-JSON body never reaches the parser.

    A JSON media type written another way (`Application/JSON`, `application/problem+json`) is
    rewritten to `application/json`, the only spelling Powertools' body parser recognises.
    """
    body = event.get("body") or ""
    # Bytes, as API Gateway counts them: 32 KiB of Japanese is about 11,000 characters.
    size = len(body.encode("utf-8")) if not event.get("isBase64Encoded") else len(body) * 3 // 4
    if size > MAX_BODY_BYTES:
        response = error_response(
            413, "payload_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes."
        )
        return _build(response, event, cors)
    if not reads_a_json_body(event.get("httpMethod"), event.get("path")):
        return None
    content_type = _header(event, "content-type")
    if not _is_json(content_type):
        return _build(unsupported_media_type(), event, cors)
    if event.get("isBase64Encoded") and not _is_utf8_base64(body):
        return _build(invalid_json(), event, cors)
    if content_type is not None:
        _set_header(event, "content-type", "application/json")
    return None


def _build(
    response: Response[Any], event: dict[str, Any], cors: CORSConfig | None
) -> dict[str, Any]:
    """The proxy result for an answer given before routing, with the CORS headers a routed
    answer would get (Powertools adds them only to answers that have a route)."""
    if cors is not None:
        origin = cors.allowed_origin(_header(event, "origin") or "")
        if origin is not None:
            response.headers.update(cors.to_dict(origin))
    builder: ResponseBuilder[Any] = ResponseBuilder(response=response, serializer=_compact_json)
    return builder.build(APIGatewayProxyEvent(event), cors)


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _is_utf8_base64(body: str) -> bool:
    try:
        base64.b64decode(body, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _set_header(event: dict[str, Any], name: str, value: str) -> None:
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field) or {}
        for key in [key for key in headers if key.lower() == name]:
            headers[key] = value if field == "headers" else [value]


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        # A body without a type is what a page of another origin can post without a CORS
        # preflight (`fetch` in `no-cors` mode): accepting it would let any site use the form.
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == content_types.APPLICATION_JSON or media_type.endswith("+json")


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False
)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring = _wiring()
    wiring.register_lambda_context(context)
    rejection = edge_rejection(event, wiring.cors)
    if rejection is not None:
        return rejection
    return wiring.app.resolve(event, context)
