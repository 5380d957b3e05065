"""Seller directory on DynamoDB: one GetItem per request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, unavailable
from contact_relay.adapters.dynamodb_items import stored_text
from contact_relay.observability import tracer
from contact_relay.ports import REPLY_TO_STATUSES, ReplyToStatus, Seller

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBSellerDirectory:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def find(self, seller_id: str) -> Seller | None:
        try:
            response = self._client.get_item(
                TableName=self._table_name,
                Key={"sellerId": {"S": seller_id}},
                ProjectionExpression="sellerId, displayName, replyToEmail, replyToStatus, #status",
                ExpressionAttributeNames={"#status": "status"},
            )
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc
        item = response.get("Item")
        return None if item is None else seller_from_item(item)


def seller_from_item(item: dict[str, Any]) -> Seller:
    """Read a seller item defensively: a missing or mistyped attribute is treated as absent."""

    seller_id = stored_text(item, "sellerId") or ""
    return Seller(
        seller_id=seller_id,
        display_name=stored_text(item, "displayName") or seller_id,
        reply_to_email=stored_text(item, "replyToEmail"),
        # Any status but `active`, or none, is a seller that receives nothing.
        status="active" if stored_text(item, "status") == "active" else "suspended",
        reply_to_status=_reply_to_status(item),
    )


def _reply_to_status(item: dict[str, Any]) -> ReplyToStatus:
    """An item without `replyToStatus` predates verification: verified. A value that is none of
    the three is not a verification: the address receives nothing until it is verified again."""
    if "replyToStatus" not in item:
        return "verified"
    stored = item["replyToStatus"].get("S") if isinstance(item["replyToStatus"], dict) else None
    for status in REPLY_TO_STATUSES:
        if stored == status:
            return status
    return "pending"
