"""The route that sends: a buyer's message, posted to a seller, made an Inquiry and delivered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path

from contact_relay.handlers import api_examples as examples
from contact_relay.handlers.api_models import (
    IDEMPOTENCY_KEY_PATTERN,
    SELLER_ID_PATTERN,
    ContactAccepted,
    ContactRequest,
    contact_request_model,
)
from contact_relay.handlers.documented_responses import ERROR_RESPONSES
from contact_relay.handlers.routes import MESSAGES_ROUTE
from contact_relay.service import Inquiry
from contact_relay.settings import Settings

# Sends one inquiry and returns the 201 body; the deployed wiring makes it idempotent per key.
Deliver = Callable[[Inquiry, str | None], dict[str, Any]]


def register_sending_route(
    app: APIGatewayRestResolver, settings: Settings, deliver: Deliver
) -> None:
    def send_message(
        seller_id: Annotated[
            str,
            Path(alias="sellerId", pattern=SELLER_ID_PATTERN, openapi_examples=examples.SELLER_IDS),
        ],
        request: ContactRequest,
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                pattern=IDEMPOTENCY_KEY_PATTERN,
                openapi_examples=examples.IDEMPOTENCY_KEYS,
            ),
        ] = None,
    ) -> Response[dict[str, Any]]:
        inquiry = Inquiry(
            seller_id=seller_id,
            topic=request.topic,
            message=request.message,
            buyer_name=request.buyer.name,
            buyer_email=request.buyer.email,
            order_id=request.order_id,
            honeypot_filled=bool(request.website and request.website.strip()),
            source_ip=app.current_event.request_context.identity.source_ip,
            captcha_token=request.captcha_token,
        )
        body = deliver(inquiry, idempotency_key)
        status = 202 if body.get("status") == "unconfirmed" else 201
        return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)

    # Powertools validates the body, and documents it, by the parameter's annotation: this
    # deployment's ContactRequest, whose message limit is MAX_MESSAGE_CHARS.
    send_message.__annotations__["request"] = Annotated[
        contact_request_model(settings.max_message_chars),
        Body(openapi_examples=examples.CONTACT_REQUESTS),
    ]
    app.post(
        MESSAGES_ROUTE.rule,
        summary="Send a buyer's message to a seller",
        responses={
            201: {
                "description": "The message was sent",
                "content": {
                    "application/json": {
                        "model": ContactAccepted,
                        "examples": examples.contact_accepted(settings.marketplace_name),
                    }
                },
            },
            202: {
                "description": (
                    "SES may have accepted the message, but its answer was lost: it is not sent"
                    " again (a retry gets this answer), and `confirmation` tells the buyer so"
                ),
                "content": {"application/json": {"model": ContactAccepted}},
            },
            **ERROR_RESPONSES,
        },
    )(send_message)
