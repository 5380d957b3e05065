"""Examples in the OpenAPI document: what a storefront sends, and what it gets back.

The request names `example-store`, an active seller of the local stack's demo sellers, and the
message example is the local stack's demo message, so a contract fuzzer that starts from the
examples reaches each success path. Tests check each example against its model, and the seller
and the message against the local stack's.
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
SELLER_VIEWS = {
    "accepting": Example(
        summary="An active seller whose address is verified",
        value={"sellerId": DEMO_SELLER_ID, "displayName": DEMO_SELLER_NAME, "accepting": True},
    ),
    "not accepting": Example(
        summary="An active seller whose address is unverified or bouncing: a message gets 409",
        value={"sellerId": "no-inbox-store", "displayName": "No Inbox Store", "accepting": False},
    ),
}
# The message the local stack keeps from the start (`demo_messages`), so the example is found.
DEMO_MESSAGE_ID = "3f6d2c1e-8a4b-4f0e-9d7a-2b5c1e0f9a63"
MESSAGE_IDS = {
    "demo message": Example(summary="A message of the local stack", value=DEMO_MESSAGE_ID)
}
MESSAGE_STATUSES = {
    "delivered": Example(
        summary="SES delivered it to the seller's mail server",
        value={
            "messageId": DEMO_MESSAGE_ID,
            "status": "delivered",
            "topic": "shipping",
            "createdAt": "2026-11-26T12:00:00Z",
            "updatedAt": "2026-11-26T12:00:03Z",
        },
    )
}
# The link of the local stack's `pending-store`, whose digest the stack stores at start
# (`stack.LocalAWS`), so the example confirms an address once. A demo value, no secret.
DEMO_VERIFICATION_TOKEN = "pending-store.Dm0-VeR1f1cAt10n-T0kEn-0f-Th3-L0cAl-StAcK-x"  # noqa: S105
VERIFICATION_TOKENS = {
    "demo link": Example(
        summary="The link the local stack's pending-store was sent",
        value=DEMO_VERIFICATION_TOKEN,
    )
}
# Well formed, but its MAC is no relay's: the page, then "this link does not work". A real token
# is only ever in an email (its MAC is keyed with the deployment's digest key).
STOP_TOKENS = {
    "a stop link": Example(
        summary="The shape of a stop link's token: a conversation id and its MAC",
        value=f"{'5' * 64}.{'0' * 64}",
    )
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
                "messageId": DEMO_MESSAGE_ID,
                "status": "sent",
                "topic": _REQUEST["topic"],
                "subject": topic_by_id(_REQUEST["topic"]).subject(marketplace),
                "confirmation": CONFIRMATION.format(seller=DEMO_SELLER_NAME),
                "removed": {"links": 0, "markup": False},
            },
        )
    }
