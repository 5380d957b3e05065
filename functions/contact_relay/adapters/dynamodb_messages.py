"""Message ledger on DynamoDB: one audit row per message, expiring through TTL; and what anyone
holding a message's id may read of its row (its status, never the buyer's address)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, unavailable
from contact_relay.adapters.dynamodb_items import stored_number, stored_text
from contact_relay.observability import tracer
from contact_relay.ports import MESSAGE_STATUSES, MessageProgress, MessageRecord
from contact_relay.topics import TOPICS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


class DynamoDBMessageLedger:
    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)
        self._clock = clock

    @tracer.capture_method(capture_response=False)
    def record(self, record: MessageRecord) -> None:
        try:
            self._client.put_item(TableName=self._table_name, Item=item_from_record(record))
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc

    @tracer.capture_method(capture_response=False)
    def progress(self, message_id: str) -> MessageProgress | None:
        try:
            response = self._client.get_item(
                TableName=self._table_name,
                Key={"messageId": {"S": message_id}},
                # The status and its times: the buyer's address stays where it is.
                ProjectionExpression="messageId, #status, topic, createdAt, updatedAt, expiresAt",
                ExpressionAttributeNames={"#status": "status"},
            )
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc
        item = response.get("Item")
        return None if item is None else progress_from_item(item, now=self._clock())


def progress_from_item(item: dict[str, Any], now: float) -> MessageProgress | None:
    """A row's progress; None for a row past its expiry (TTL deletes rows up to days late) or
    one that is not a message's (no status this relay writes, no creation time)."""

    expires_at = stored_number(item, "expiresAt")
    if expires_at is not None and expires_at <= now:
        return None
    stored_status, stored_topic = stored_text(item, "status"), stored_text(item, "topic")
    status = next((known for known in MESSAGE_STATUSES if known == stored_status), None)
    topic = next((known.id for known in TOPICS if known.id == stored_topic), None)
    created_at = stored_number(item, "createdAt")
    if status is None or topic is None or created_at is None:
        return None
    return MessageProgress(
        message_id=stored_text(item, "messageId") or "",
        status=status,
        topic=topic,
        created_at=created_at,
        # A row written before rows had it has changed only once: when it was created.
        updated_at=stored_number(item, "updatedAt") or created_at,
    )


def item_from_record(record: MessageRecord) -> dict[str, AttributeValueTypeDef]:
    item: dict[str, AttributeValueTypeDef] = {
        "messageId": {"S": record.message_id},
        "sellerId": {"S": record.seller_id},
        "topic": {"S": record.topic},
        "buyerEmail": {"S": record.buyer_email},
        "status": {"S": record.status},
        "createdAt": {"N": str(record.created_at)},
        # Written once, at the send: the status changes later (SES's events) move it on.
        "updatedAt": {"N": str(record.created_at)},
        "expiresAt": {"N": str(record.expires_at)},
        "direction": {"S": record.direction},
    }
    if record.ses_message_id:
        item["sesMessageId"] = {"S": record.ses_message_id}
    if record.failure_reason:
        item["failureReason"] = {"S": record.failure_reason}
    return item
