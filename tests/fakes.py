"""In-memory ports for unit tests of the service and the HTTP layer."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from contact_relay.conversations import Conversation, Party
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryUnconfirmed,
    DependencyUnavailable,
    InboundMessageMissing,
    InboundMessageTooLarge,
)
from contact_relay.ports import (
    ByteStream,
    MessageProgress,
    MessageRecord,
    ReplyToStatus,
    Seller,
    SellerStatus,
)


@dataclass
class InMemorySellers:
    sellers: dict[str, Seller] = field(default_factory=dict)
    failure: DependencyUnavailable | None = None

    def add(
        self,
        seller_id: str,
        reply_to: str | None = "cs@shop.example",
        status: SellerStatus = "active",
        reply_to_status: ReplyToStatus = "verified",
    ) -> None:
        self.sellers[seller_id] = Seller(
            seller_id, f"Shop {seller_id}", reply_to, status, reply_to_status
        )

    def find(self, seller_id: str) -> Seller | None:
        if self.failure:
            raise self.failure
        return self.sellers.get(seller_id)


@dataclass
class RecordingMailer:
    sent: list[bytes] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    failure: DeliveryFailed | DeliveryUnconfirmed | DependencyUnavailable | None = None

    def send(self, raw_message: bytes, tags: Mapping[str, str] | None = None) -> str:
        if self.failure:
            raise self.failure
        self.sent.append(raw_message)
        self.tags.append(dict(tags or {}))
        return f"ses-{len(self.sent)}"


@dataclass
class InMemoryLedger:
    records: list[MessageRecord] = field(default_factory=list)
    failure: DependencyUnavailable | None = None

    def record(self, record: MessageRecord) -> None:
        if self.failure:
            raise self.failure
        self.records.append(record)


@dataclass
class InMemoryMessageStatuses:
    messages: dict[str, MessageProgress] = field(default_factory=dict)
    failure: DependencyUnavailable | None = None

    def progress(self, message_id: str) -> MessageProgress | None:
        if self.failure:
            raise self.failure
        return self.messages.get(message_id)


@dataclass
class InMemoryVerifications:
    """Pending tokens by seller id: (digest, expires_at); confirmed sellers in order."""

    pending: dict[str, tuple[str, int]] = field(default_factory=dict)
    confirmed: list[str] = field(default_factory=list)
    failure: DependencyUnavailable | None = None

    def confirm(self, seller_id: str, token_digest: str, now: int) -> bool:
        if self.failure:
            raise self.failure
        digest, expires_at = self.pending.get(seller_id, ("", 0))
        if digest != token_digest or expires_at <= now:
            return False
        del self.pending[seller_id]
        self.confirmed.append(seller_id)
        return True


@dataclass
class InMemoryConversations:
    """The ConversationBook port's semantics, by conversation id; `opened` counts `open` calls."""

    conversations: dict[str, Conversation] = field(default_factory=dict)
    opened: int = 0
    failure: DependencyUnavailable | None = None

    def open(self, candidate: Conversation) -> Conversation:
        self._fail()
        self.opened += 1
        stored = self.conversations.get(candidate.conversation_id)
        if stored is None:
            stored = candidate
        else:
            # What identifies the conversation stays; its name, topic and expiry are the latest.
            stored = replace(
                stored,
                buyer_name=candidate.buyer_name,
                topic=candidate.topic,
                expires_at=candidate.expires_at,
            )
        self.conversations[candidate.conversation_id] = stored
        return stored

    def find(self, conversation_id: str) -> Conversation | None:
        self._fail()
        return self.conversations.get(conversation_id)

    def by_alias(self, alias: str) -> tuple[Conversation, Party] | None:
        self._fail()
        parties: tuple[Party, ...] = ("buyer", "seller")
        for conversation in self.conversations.values():
            for party in parties:
                if conversation.alias_of(party) == alias:
                    return conversation, party
        return None

    def extend(self, conversation_id: str, expires_at: int) -> None:
        self._fail()
        stored = self.conversations.get(conversation_id)
        if stored is not None:
            self.conversations[conversation_id] = replace(stored, expires_at=expires_at)

    def stop(self, conversation_id: str, now: int) -> bool:
        self._fail()
        stored = self.conversations.get(conversation_id)
        if stored is None:
            return False
        if stored.stopped_at is None:
            self.conversations[conversation_id] = replace(stored, stopped_at=now)
        return True

    def _fail(self) -> None:
        if self.failure:
            raise self.failure


@dataclass
class InMemoryInboundStore:
    """Raw inbound messages by SES message id; `opened` counts reads."""

    messages: dict[str, bytes] = field(default_factory=dict)
    opened: int = 0
    failure: DependencyUnavailable | None = None

    @contextmanager
    def open(self, ses_message_id: str, max_bytes: int) -> Iterator[ByteStream]:
        if self.failure:
            raise self.failure
        self.opened += 1
        raw = self.messages.get(ses_message_id)
        if raw is None:
            raise InboundMessageMissing
        if len(raw) > max_bytes:
            raise InboundMessageTooLarge
        yield io.BytesIO(raw)


@dataclass
class InMemoryRelayedMessages:
    """Relayed messages' rows by id, claimed as DynamoDBRelayedMessages claims them."""

    rows: dict[str, MessageRecord] = field(default_factory=dict)
    failure: DependencyUnavailable | None = None

    def claim(self, record: MessageRecord) -> bool:
        self._fail()
        if record.message_id in self.rows:
            return False
        self.rows[record.message_id] = record
        return True

    def sent(self, message_id: str, ses_message_id: str) -> None:
        self._settle(message_id, status="sent", ses_message_id=ses_message_id)

    def failed(self, message_id: str, reason: str) -> None:
        self._settle(message_id, status="failed", failure_reason=reason)

    def release(self, message_id: str) -> None:
        self._fail()
        if self.rows.get(message_id, _NO_ROW).status == "unconfirmed":
            del self.rows[message_id]

    def _settle(self, message_id: str, **changes: Any) -> None:
        self._fail()
        row = self.rows.get(message_id)
        if row is not None and row.status == "unconfirmed":
            self.rows[message_id] = replace(row, **changes)

    def _fail(self) -> None:
        if self.failure:
            raise self.failure


_NO_ROW = MessageRecord("", "", "", "", "failed", 0, 0)
