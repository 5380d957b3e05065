"""Examples in the OpenAPI document: what a storefront sends, and what it gets back.

The request names `example-store`, an active seller of the local stack's demo sellers, so a
contract fuzzer that starts from the examples reaches the success path. Tests check each example
against its model, and the seller against the demo sellers.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import Example

from contact_relay.service import CONFIRMATION
from contact_relay.topics import topic_by_id

DEMO_SELLER_ID = "example-store"
DEMO_SELLER_NAME = "Example Store"

SELLER_IDS = {
    "demo seller": Example(summary="An active seller of the local stack", value=DEMO_SELLER_ID)
}
IDEMPOTENCY_KEYS = {
    "one per message": Example(
        summary="One key per message the buyer writes; a retry sends the same key",
        value="order-503-question-1",
    )
}
_REQUEST: dict[str, Any] = {
    "topic": "shipping",
    "message": "Hello, when will order 503-1234567-1234567 ship?",
    "buyer": {"name": "Hanako Yamada", "email": "hanako@example.com"},
    "orderId": "503-1234567-1234567",
}
CONTACT_REQUESTS = {"shipping": Example(summary="A question about an order", value=_REQUEST)}


def contact_accepted(marketplace: str) -> dict[str, Example]:
    """The answer to the request example, as a deployment for `marketplace` gives it."""
    return {
        "sent": Example(
            summary="The message went out; nothing was removed from it",
            value={
                "messageId": "3f6d2c1e-8a4b-4f0e-9d7a-2b5c1e0f9a63",
                "status": "sent",
                "topic": _REQUEST["topic"],
                "subject": topic_by_id(_REQUEST["topic"]).subject(marketplace),
                "confirmation": CONFIRMATION.format(seller=DEMO_SELLER_NAME),
                "removed": {"links": 0, "markup": False},
            },
        )
    }
