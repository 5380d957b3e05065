"""Conversations on DynamoDB: one item per (buyer, seller) pair, keyed by its conversation id,
found by either alias through a keys-only global secondary index.

Layout: two GSIs, `byBuyerAlias` and `bySellerAlias`, each keyed by one alias attribute and
projecting keys only. An alias is written once, when its conversation is created, and never
changes, so the index's eventual consistency can only hide a conversation for the moment after
its creation (before its first email has even reached anyone who could answer it). Everything
that does change (the stop, the expiry) is read from the table itself with a consistent GetItem,
and the index holds no buyer address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import (
    AWS_CLIENT_CONFIG,
    unavailable,
    written_unless_condition_failed,
)
from contact_relay.adapters.dynamodb_items import stored_number, stored_text
from contact_relay.conversations import Conversation, Party
from contact_relay.errors import DependencyUnavailable
from contact_relay.observability import tracer
from contact_relay.topics import TOPICS, TopicId

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# Index name and attribute of each party's alias (mail to the buyer alias comes from the seller).
ALIAS_INDEXES: dict[Party, tuple[str, str]] = {
    "buyer": ("byBuyerAlias", "buyerAlias"),
    "seller": ("bySellerAlias", "sellerAlias"),
}

# A first message stores the whole conversation; a later one keeps what identifies it (aliases,
# parties, creation, stop) and refreshes the rest. One UpdateItem either way: two first messages
# racing write the same item, and the one that lands second keeps the first one's aliases.
_OPEN = (
    "SET buyerAlias = if_not_exists(buyerAlias, :buyerAlias),"
    " sellerAlias = if_not_exists(sellerAlias, :sellerAlias),"
    " buyerEmail = if_not_exists(buyerEmail, :buyerEmail),"
    " sellerId = if_not_exists(sellerId, :sellerId),"
    " createdAt = if_not_exists(createdAt, :createdAt),"
    " buyerName = :buyerName, topic = :topic, expiresAt = :expiresAt"
)


class DynamoDBConversations:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table_name = table_name
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def open(self, candidate: Conversation) -> Conversation:
        try:
            response = self._client.update_item(
                TableName=self._table_name,
                Key={"conversationId": {"S": candidate.conversation_id}},
                UpdateExpression=_OPEN,
                ExpressionAttributeValues={
                    ":buyerAlias": {"S": candidate.buyer_alias},
                    ":sellerAlias": {"S": candidate.seller_alias},
                    ":buyerEmail": {"S": candidate.buyer_email},
                    ":sellerId": {"S": candidate.seller_id},
                    ":createdAt": {"N": str(candidate.created_at)},
                    ":buyerName": {"S": candidate.buyer_name},
                    ":topic": {"S": candidate.topic},
                    ":expiresAt": {"N": str(candidate.expires_at)},
                },
                ReturnValues="ALL_NEW",
            )
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc
        stored = conversation_from_item(response.get("Attributes", {}))
        if stored is None:
            # ALL_NEW returns the item just written: a part missing means another writer broke it.
            raise DependencyUnavailable("dynamodb", "IncompleteConversation")
        return stored

    @tracer.capture_method(capture_response=False)
    def find(self, conversation_id: str) -> Conversation | None:
        try:
            response = self._client.get_item(
                TableName=self._table_name,
                Key={"conversationId": {"S": conversation_id}},
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as exc:
            raise unavailable("dynamodb", exc) from exc
        item = response.get("Item")
        return None if item is None else conversation_from_item(item)

    @tracer.capture_method(capture_response=False)
    def by_alias(self, alias: str) -> tuple[Conversation, Party] | None:
        for party, (index, attribute) in ALIAS_INDEXES.items():
            try:
                response = self._client.query(
                    TableName=self._table_name,
                    IndexName=index,
                    KeyConditionExpression="#alias = :alias",
                    ExpressionAttributeNames={"#alias": attribute},
                    ExpressionAttributeValues={":alias": {"S": alias}},
                    Limit=1,
                )
            except (ClientError, BotoCoreError) as exc:
                raise unavailable("dynamodb", exc) from exc
            for key in response.get("Items", []):
                conversation = self.find(key["conversationId"]["S"])
                # The item may have been deleted (TTL) since the index saw it.
                if conversation is not None and conversation.alias_of(party) == alias:
                    return conversation, party
        return None

    @tracer.capture_method(capture_response=False)
    def extend(self, conversation_id: str, expires_at: int) -> None:
        # Conditional, so a conversation deleted meanwhile is not brought back as a bare key.
        written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"conversationId": {"S": conversation_id}},
                UpdateExpression="SET expiresAt = :expiresAt",
                ConditionExpression="attribute_exists(conversationId)",
                ExpressionAttributeValues={":expiresAt": {"N": str(expires_at)}},
            )
        )

    @tracer.capture_method(capture_response=False)
    def stop(self, conversation_id: str, now: int) -> bool:
        return written_unless_condition_failed(
            lambda: self._client.update_item(
                TableName=self._table_name,
                Key={"conversationId": {"S": conversation_id}},
                # Stopping twice keeps the first time.
                UpdateExpression="SET stoppedAt = if_not_exists(stoppedAt, :now)",
                ConditionExpression="attribute_exists(conversationId)",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        )


def conversation_from_item(item: dict[str, Any]) -> Conversation | None:
    """The stored conversation, or None for an item missing what every conversation has."""

    stored_topic = stored_text(item, "topic")
    topic: TopicId | None = next((t.id for t in TOPICS if t.id == stored_topic), None)
    texts = {name: stored_text(item, name) for name in _TEXTS}
    created_at, expires_at = stored_number(item, "createdAt"), stored_number(item, "expiresAt")
    if topic is None or created_at is None or expires_at is None or None in texts.values():
        return None
    return Conversation(
        conversation_id=texts["conversationId"] or "",
        seller_id=texts["sellerId"] or "",
        buyer_email=texts["buyerEmail"] or "",
        buyer_name=texts["buyerName"] or "",
        buyer_alias=texts["buyerAlias"] or "",
        seller_alias=texts["sellerAlias"] or "",
        topic=topic,
        created_at=created_at,
        expires_at=expires_at,
        stopped_at=stored_number(item, "stoppedAt"),
    )


_TEXTS = ("conversationId", "sellerId", "buyerEmail", "buyerName", "buyerAlias", "sellerAlias")
