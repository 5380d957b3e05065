"""Address verification on the sellers table: one conditional UpdateItem confirms and uses up a
token, so a link works once even when it is opened twice at the same moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, written_unless_condition_failed
from contact_relay.observability import tracer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# The attributes a verification reads and writes; template.yaml lets the function update these
# and no others (and the key).
VERIFICATION_ATTRIBUTES = (
    "replyToStatus",
    "replyToVerifiedAt",
    "verificationDigest",
    "verificationExpiresAt",
)


class DynamoDBAddressVerifications:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def confirm(self, seller_id: str, token_digest: str, now: int) -> bool:
        return written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"sellerId": {"S": seller_id}},
                UpdateExpression=(
                    "SET replyToStatus = :verified, replyToVerifiedAt = :now"
                    " REMOVE verificationDigest, verificationExpiresAt"
                ),
                ConditionExpression=(
                    "verificationDigest = :digest AND verificationExpiresAt > :now"
                ),
                ExpressionAttributeValues={
                    ":verified": {"S": "verified"},
                    ":now": {"N": str(now)},
                    ":digest": {"S": token_digest},
                },
            )
        )
