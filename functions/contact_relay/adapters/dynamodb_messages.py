"""Message ledger on DynamoDB: one audit row per message, expiring through TTL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, unavailable
from contact_relay.observability import tracer
from contact_relay.ports import MessageRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


class DynamoDBMessageLedger:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def record(self, record: MessageRecord) -> None:
        try:
            self._client.put_item(TableName=self._table_name, Item=item_from_record(record))
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc


def item_from_record(record: MessageRecord) -> dict[str, AttributeValueTypeDef]:
    item: dict[str, AttributeValueTypeDef] = {
        "messageId": {"S": record.message_id},
        "sellerId": {"S": record.seller_id},
        "topic": {"S": record.topic},
        "buyerEmail": {"S": record.buyer_email},
        "status": {"S": record.status},
        "createdAt": {"N": str(record.created_at)},
        "expiresAt": {"N": str(record.expires_at)},
    }
    if record.ses_message_id:
        item["sesMessageId"] = {"S": record.ses_message_id}
    if record.failure_reason:
        item["failureReason"] = {"S": record.failure_reason}
    return item
