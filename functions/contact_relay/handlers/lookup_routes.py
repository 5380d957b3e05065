"""The routes that only read: the topics, a seller, a message's status (through `lookups.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.models import Example
from aws_lambda_powertools.event_handler.openapi.params import Path

from contact_relay.handlers import api_examples as examples
from contact_relay.handlers.api_models import (
    MESSAGE_ID_PATTERN,
    SELLER_ID_PATTERN,
    ErrorResponse,
    MessageStatusView,
    SellerView,
    TopicsResponse,
    TopicView,
)
from contact_relay.handlers.documented_responses import ERROR_RESPONSES
from contact_relay.handlers.routes import MESSAGE_ROUTE, SELLER_ROUTE, TOPICS_ROUTE
from contact_relay.lookups import Lookups
from contact_relay.topics import TOPICS


def register_lookup_routes(
    app: APIGatewayRestResolver, marketplace_name: str, lookups: Lookups
) -> None:
    topics = topics_response(marketplace_name)

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
            405: ERROR_RESPONSES[405],
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
            405: ERROR_RESPONSES[405],
            503: ERROR_RESPONSES[503],
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
            405: ERROR_RESPONSES[405],
            503: ERROR_RESPONSES[503],
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


def topics_response(marketplace: str) -> TopicsResponse:
    return TopicsResponse(
        topics=[
            TopicView(id=topic.id, label=topic.label, subject=topic.subject(marketplace))
            for topic in TOPICS
        ]
    )
