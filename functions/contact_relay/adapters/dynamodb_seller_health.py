"""The health of sellers' reply-to addresses on DynamoDB: one conditional UpdateItem per bounce.

Everything that makes the mark right is in the condition, so no read is needed (and none is
allowed): the bounced address is still the seller's `replyToEmail` (a late bounce of an old
address does not condemn a new one), the seller is not marked already (a duplicate keeps the
first reason and time), and neither this mark nor a verification of the address
(`replyToVerifiedAt`, written by the verification link) is newer than the bounce: a bounce older
than a re-verification does not undo it. Times are epoch seconds, like every time in these
tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, written_unless_condition_failed
from contact_relay.observability import tracer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BOUNCING = "bouncing"
_STILL_THE_ADDRESS_AND_NEWS = (
    "replyToEmail = :address"
    " AND (attribute_not_exists(replyToStatus) OR replyToStatus <> :bouncing)"
    " AND (attribute_not_exists(replyToStatusChangedAt) OR replyToStatusChangedAt < :at)"
    " AND (attribute_not_exists(replyToVerifiedAt) OR replyToVerifiedAt < :at)"
)


class DynamoDBSellerAddressHealth:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def mark_bouncing(self, seller_id: str, address: str, reason: str, at: int) -> bool:
        return written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"sellerId": {"S": seller_id}},
                UpdateExpression=(
                    "SET replyToStatus = :bouncing, replyToStatusReason = :reason,"
                    " replyToStatusChangedAt = :at"
                ),
                ConditionExpression=_STILL_THE_ADDRESS_AND_NEWS,
                ExpressionAttributeValues={
                    ":bouncing": {"S": BOUNCING},
                    ":reason": {"S": reason},
                    ":at": {"N": str(at)},
                    ":address": {"S": address},
                },
            )
        )
