"""SES's events about a relayed reply, through the delivery events function: the message's
status moves, and a buyer's bounce or complaint never marks the seller's address."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest

from contact_relay.adapters.dynamodb_relayed_messages import DynamoDBRelayedMessages
from contact_relay.conversations import Direction
from contact_relay.handlers import delivery_events
from contact_relay.message_tags import relayed_message_tags
from contact_relay.ports import MessageRecord
from contact_relay_local.ses_event_publishing import SentEmail, published_events
from tests.conftest import MotoAWS
from tests.support import TEST_ENVIRONMENT, FakeLambdaContext

# The seller's own address is the one that bounces, so only the tags can tell the two apart.
BOUNCING = "bounce@simulator.amazonses.com"
COMPLAINING = "complaint@simulator.amazonses.com"


def relayed_event(
    aws: MotoAWS, message_id: str, recipient: str, direction: Direction
) -> dict[str, Any]:
    """The row of a reply relayed to `recipient`, and the last event SES publishes about it (a
    complaint follows the delivery)."""
    aws.put_seller(
        {
            "sellerId": "shop-r",
            "displayName": "Shop",
            "replyToEmail": recipient,
            "status": "active",
        }
    )
    relayed = DynamoDBRelayedMessages(TEST_ENVIRONMENT["MESSAGES_TABLE"], aws.dynamodb)
    record = MessageRecord(
        message_id=message_id,
        seller_id="shop-r",
        topic="shipping",
        buyer_email="hanako@buyer.example",
        status="unconfirmed",
        created_at=1_700_000_000,
        expires_at=4_000_000_000,
        direction=direction,
    )
    assert relayed.claim(record)
    relayed.sent(message_id, "ses-out-1")
    email = EmailMessage()
    email["From"] = f"Shop via Amazon <{'s' * 32}@reply.example>"
    email["To"] = recipient
    email.set_content("relayed")
    *_, event = published_events(
        SentEmail(
            ses_message_id="ses-out-1",
            source=f"{'s' * 32}@reply.example",
            raw_message=email.as_bytes(),
            configuration_set="contact-relay-test",
            tags=relayed_message_tags(message_id, "shop-r", direction),
        ),
        TEST_ENVIRONMENT["AWS_DEFAULT_REGION"],
    )
    return event


def seller_status(aws: MotoAWS) -> str | None:
    item = aws.dynamodb.get_item(
        TableName=TEST_ENVIRONMENT["SELLERS_TABLE"], Key={"sellerId": {"S": "shop-r"}}
    )["Item"]
    status = item.get("replyToStatus", {}).get("S")
    return status if isinstance(status, str) else None


def row_status(aws: MotoAWS, message_id: str) -> str:
    [row] = [row for row in aws.message_rows() if row["messageId"] == message_id]
    return str(row["status"])


@pytest.mark.parametrize(
    ("recipient", "status"), [(BOUNCING, "bounced"), (COMPLAINING, "complained")]
)
def test_a_buyers_bounce_or_complaint_moves_the_reply_but_never_marks_the_seller(
    aws: MotoAWS, recipient: str, status: str
) -> None:
    message_id = "0b7a1c2e-5d4f-5a6b-8c9d-0e1f2a3b4c5d"
    event = relayed_event(aws, message_id, recipient, "seller_to_buyer")
    delivery_events.environments.start_cold()

    answer = delivery_events.lambda_handler(event, FakeLambdaContext())

    assert answer == {"outcome": "changed", "sellersMarkedBouncing": 0}
    assert row_status(aws, message_id) == status
    assert seller_status(aws) is None


def test_a_sellers_bounce_of_a_relayed_reply_marks_the_seller(aws: MotoAWS) -> None:
    message_id = "1c8b2d3f-6e5a-5b7c-9d0e-1f2a3b4c5d6e"
    event = relayed_event(aws, message_id, BOUNCING, "buyer_to_seller")
    delivery_events.environments.start_cold()

    answer = delivery_events.lambda_handler(event, FakeLambdaContext())

    assert answer == {"outcome": "changed", "sellersMarkedBouncing": 1}
    assert row_status(aws, message_id) == "bounced"
    assert seller_status(aws) == "bouncing"
