"""The rows of relayed replies on DynamoDB (the MessagesTable), each claimed before its send.

The claim is a PutItem on condition that no row has the message's id; the id is derived from the
SES message id and the recipient, so a retried invocation's claim fails and nothing is sent
twice. The claimed row says `unconfirmed` (the truth from the moment the send may start); the
send's outcome then moves it, each on condition that it is still `unconfirmed`, so a late write
never undoes what SES's events already said of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import boto3

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, written_unless_condition_failed
from contact_relay.adapters.dynamodb_messages import item_from_record
from contact_relay.observability import tracer
from contact_relay.ports import MessageRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBRelayedMessages:
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
    def claim(self, record: MessageRecord) -> bool:
        return written_unless_condition_failed(
            lambda: self._client.put_item(
                TableName=self._table_name,
                Item=item_from_record(record),
                ConditionExpression="attribute_not_exists(messageId)",
            )
        )

    @tracer.capture_method(capture_response=False)
    def sent(self, message_id: str, ses_message_id: str) -> None:
        self._settle(
            message_id,
            "SET #status = :sent, sesMessageId = :ses, updatedAt = :at",
            {":sent": {"S": "sent"}, ":ses": {"S": ses_message_id}},
        )

    @tracer.capture_method(capture_response=False)
    def failed(self, message_id: str, reason: str) -> None:
        self._settle(
            message_id,
            "SET #status = :failed, failureReason = :reason, updatedAt = :at",
            {":failed": {"S": "failed"}, ":reason": {"S": reason}},
        )

    @tracer.capture_method(capture_response=False)
    def release(self, message_id: str) -> None:
        written_unless_condition_failed(
            lambda: self._client.delete_item(
                TableName=self._table_name,
                Key={"messageId": {"S": message_id}},
                ConditionExpression="#status = :unconfirmed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":unconfirmed": {"S": "unconfirmed"}},
            )
        )

    def _settle(self, message_id: str, update: str, values: dict[str, dict[str, str]]) -> None:
        written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"messageId": {"S": message_id}},
                UpdateExpression=update,
                ConditionExpression="#status = :unconfirmed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    **values,
                    ":unconfirmed": {"S": "unconfirmed"},
                    ":at": {"N": str(int(self._clock()))},
                },
            )
        )
