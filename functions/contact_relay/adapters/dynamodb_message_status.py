"""Message statuses on DynamoDB: one conditional UpdateItem per event.

The condition carries the status machine (`delivery_status.replaceable_by`), so a duplicate or
late event changes nothing however many function instances race: DynamoDB decides, not a read
followed by a write. When the condition fails, a second update that writes the status back as
it is, on condition that the message exists, tells an unknown message from one already past
this event. Not `ReturnValuesOnConditionCheckFailure=ALL_OLD`: that would return the whole row
(the buyer's address with it), which the role's `dynamodb:Attributes` condition exists to keep
out of reach; and no GetItem, so the role needs UpdateItem alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, written_unless_condition_failed
from contact_relay.delivery_feedback import StatusChange
from contact_relay.observability import tracer
from contact_relay.ports import MessageStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


class DynamoDBMessageStatuses:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def advance(
        self,
        message_id: str,
        status: MessageStatus,
        replaceable: frozenset[MessageStatus],
        at: int,
    ) -> StatusChange:
        values: dict[str, AttributeValueTypeDef] = {
            ":status": {"S": status},
            ":at": {"N": str(at)},
        }
        placeholders = []
        for index, old in enumerate(sorted(replaceable)):
            values[f":from{index}"] = {"S": old}
            placeholders.append(f":from{index}")
        if written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"messageId": {"S": message_id}},
                UpdateExpression="SET #status = :status, updatedAt = :at",
                # A missing item fails the condition too: an update never creates a message.
                ConditionExpression=f"#status IN ({', '.join(placeholders)})",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
            )
        ):
            return "changed"
        return "unchanged" if self._exists(message_id) else "unknown_message"

    def _exists(self, message_id: str) -> bool:
        return written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"messageId": {"S": message_id}},
                UpdateExpression="SET #status = #status",
                ConditionExpression="attribute_exists(messageId)",
                ExpressionAttributeNames={"#status": "status"},
            )
        )
