"""The HTTP API: routes on a Powertools REST resolver, each calling one piece of the relay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import (
    APIGatewayRestResolver,
    CORSConfig,
    Response,
    content_types,
)
from aws_lambda_powertools.event_handler.openapi.models import Example
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path
from aws_lambda_powertools.metrics import MetricUnit

from contact_relay.errors import VerificationLinkInvalid
from contact_relay.handlers import api_examples as examples
from contact_relay.handlers.api_models import (
    IDEMPOTENCY_KEY_PATTERN,
    MAX_BODY_BYTES,
    MESSAGE_ID_PATTERN,
    SELLER_ID_PATTERN,
    ContactAccepted,
    ContactRequest,
    ErrorResponse,
    MessageStatusView,
    SellerView,
    TopicsResponse,
    TopicView,
    contact_request_model,
)
from contact_relay.handlers.error_responses import register_error_responses
from contact_relay.handlers.routes import (
    MESSAGE_ROUTE,
    MESSAGES_ROUTE,
    ROUTES,
    SELLER_ROUTE,
    TOPICS_ROUTE,
    VERIFY_ROUTE,
)
from contact_relay.handlers.verification_pages import (
    HTML,
    confirm_page,
    confirmed_page,
    invalid_link_page,
)
from contact_relay.lookups import Lookups
from contact_relay.observability import logger, metrics
from contact_relay.service import Inquiry
from contact_relay.settings import Settings
from contact_relay.topics import TOPICS
from contact_relay.verification import TOKEN_PATTERN, AddressConfirmer

# Sends one inquiry and returns the 201 body; the deployed wiring makes it idempotent per key.
Deliver = Callable[[Inquiry, str | None], dict[str, Any]]

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 1},
    }
}
_ALWAYS_RETRY_AFTER = {"Retry-After": {**_RETRY_AFTER["Retry-After"], "required": True}}
_ERROR_RESPONSES: dict[int, Any] = {
    status: {
        "description": description,
        "content": {"application/json": {"model": ErrorResponse}},
        **({"headers": headers} if headers else {}),
    }
    for status, (description, headers) in {
        400: ("invalid_json: the body is not a JSON object", None),
        404: ("seller_not_found, or not_found for an unknown route", None),
        405: (
            "method_not_allowed",
            {
                "Allow": {
                    "description": "The methods this path accepts",
                    "schema": {"type": "string"},
                    "required": True,
                }
            },
        ),
        409: ("seller_unavailable, or request_in_progress (with Retry-After)", _RETRY_AFTER),
        # Bytes, which no limit in characters can state: fields at their limits in four-byte
        # characters, or escaped as \uXXXX (six bytes each), can make a body larger than this.
        413: (
            f"payload_too_large: the body is over {MAX_BODY_BYTES} bytes as sent, whatever the"
            " length of its fields in characters",
            None,
        ),
        415: ("unsupported_media_type: the body is not application/json", None),
        422: (
            "validation_failed: a field is invalid (details name each), the buyer's name is"
            " nothing but links or markup, or the Idempotency-Key was used for another request;"
            " message_empty: nothing is left of the message once reduced to plain text;"
            " links_not_allowed: LINK_POLICY=reject and the message or the name held a link",
            None,
        ),
        429: ("rate_limited", _ALWAYS_RETRY_AFTER),
        502: ("delivery_failed: SES refused the message", None),
        503: ("service_unavailable: nothing was sent", _ALWAYS_RETRY_AFTER),
    }.items()
}


# A malformed token gets the same page as a used one (404; error_responses), never a JSON
# error: a person opened it in a browser.
VerificationToken = Annotated[
    str,
    Path(
        alias="token",
        pattern=TOKEN_PATTERN,
        description="The token of the link the seller was sent",
        openapi_examples=examples.VERIFICATION_TOKENS,
    ),
]


def _page_response(description: str) -> Any:
    """A response that is an HTML page for a person, not JSON."""
    return {"description": description, "content": {HTML: {"schema": {"type": "string"}}}}


def cors_config(settings: Settings) -> CORSConfig | None:
    origins = settings.allowed_origins
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0],
        extra_origins=list(origins[1:]),
        allow_headers=["Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )


def create_app(
    settings: Settings, deliver: Deliver, lookups: Lookups, confirmer: AddressConfirmer
) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))

    topics = topics_response(settings.marketplace_name)

    @app.get(
        TOPICS_ROUTE.rule,
        summary="The topics a buyer can choose, with their subject lines",
        responses={
            200: {
                "description": "The topics, in the order a form shows them",
                "content": {
                    "application/json": {
                        "model": TopicsResponse,
                        "examples": {
                            "topics": Example(
                                summary="This deployment's topics",
                                value=topics.model_dump(by_alias=True),
                            )
                        },
                    }
                },
            },
            405: _ERROR_RESPONSES[405],
        },
    )
    def list_topics() -> TopicsResponse:
        return topics

    @app.get(
        SELLER_ROUTE.rule,
        summary="Whom a form writes to, and whether the seller can receive messages now",
        responses={
            200: {
                "description": "The seller: its name and whether it accepts messages (no address)",
                "content": {
                    "application/json": {
                        "model": SellerView,
                        "examples": examples.SELLER_VIEWS,
                    }
                },
            },
            404: {
                "description": "seller_not_found: no such seller, or it is not active",
                "content": {"application/json": {"model": ErrorResponse}},
            },
            405: _ERROR_RESPONSES[405],
            503: _ERROR_RESPONSES[503],
        },
    )
    def get_seller(
        seller_id: Annotated[
            str,
            Path(alias="sellerId", pattern=SELLER_ID_PATTERN, openapi_examples=examples.SELLER_IDS),
        ],
    ) -> SellerView:
        profile = lookups.seller(seller_id)
        return SellerView(
            seller_id=profile.seller_id,
            display_name=profile.display_name,
            accepting=profile.accepting,
        )

    @app.get(
        MESSAGE_ROUTE.rule,
        summary="Where a message is: sent, delivered, delayed, bounced, complained or failed",
        responses={
            200: {
                "description": "The message's status (no address, no text)",
                "content": {
                    "application/json": {
                        "model": MessageStatusView,
                        "examples": examples.MESSAGE_STATUSES,
                    }
                },
            },
            404: {
                "description": "message_not_found: no such message, or its record has expired",
                "content": {"application/json": {"model": ErrorResponse}},
            },
            405: _ERROR_RESPONSES[405],
            503: _ERROR_RESPONSES[503],
        },
    )
    def get_message(
        message_id: Annotated[
            str,
            Path(
                alias="messageId",
                pattern=MESSAGE_ID_PATTERN,
                openapi_examples=examples.MESSAGE_IDS,
            ),
        ],
    ) -> MessageStatusView:
        progress = lookups.message(message_id)
        return MessageStatusView(
            message_id=progress.message_id,
            status=progress.status,
            topic=progress.topic,
            created_at=datetime.fromtimestamp(progress.created_at, UTC),
            updated_at=datetime.fromtimestamp(progress.updated_at, UTC),
        )

    page_404 = _page_response("A page saying the link is incomplete, used already or expired")
    # A path that is no token at all is not this route's: the API's own 404 (not_found).
    page_404["content"]["application/json"] = {"model": ErrorResponse}

    @app.get(
        VERIFY_ROUTE.rule,
        summary="The page of a verification link: one button, and nothing confirmed yet",
        responses={
            200: _page_response("A page with one button that posts to this URL"),
            404: page_404,
            405: _ERROR_RESPONSES[405],
        },
    )
    def verification_page(token: VerificationToken) -> Response[str]:
        # Opening the link reads nothing and changes nothing: a link scanner confirms nothing.
        return confirm_page()

    @app.post(
        VERIFY_ROUTE.rule,
        summary="Confirm the seller's reply-to address (the button of the link's page)",
        responses={
            200: _page_response("A page saying the address is confirmed; the link is used up"),
            404: page_404,
            405: _ERROR_RESPONSES[405],
            503: _ERROR_RESPONSES[503],
        },
    )
    def confirm_address(token: VerificationToken) -> Response[str]:
        try:
            seller_id = confirmer.confirm(token)
        except VerificationLinkInvalid:
            metrics.add_metric(name="VerificationLinkInvalid", unit=MetricUnit.Count, value=1)
            return invalid_link_page()
        metrics.add_metric(name="AddressVerified", unit=MetricUnit.Count, value=1)
        logger.info("reply-to address verified", extra={"seller_id": seller_id})
        return confirmed_page()

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
            **_ERROR_RESPONSES,
        },
    )(send_message)

    register_error_responses(app, ROUTES)
    return app


def topics_response(marketplace: str) -> TopicsResponse:
    return TopicsResponse(
        topics=[
            TopicView(id=topic.id, label=topic.label, subject=topic.subject(marketplace))
            for topic in TOPICS
        ]
    )
