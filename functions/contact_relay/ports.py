"""What the relay needs from the outside world, as protocols. Adapters implement them for AWS;
tests implement them in memory."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal, Protocol

from contact_relay.conversations import Conversation, Direction, Party
from contact_relay.topics import TopicId

# Only an active seller receives messages.
SellerStatus = Literal["active", "suspended"]
# Whether the seller's reply-to address may receive messages: only a `verified` one does. An
# address awaiting its owner's confirmation is `pending`; one that bounced for good or complained
# is `bouncing` until it is verified again.
ReplyToStatus = Literal["verified", "pending", "bouncing"]
REPLY_TO_STATUSES: tuple[ReplyToStatus, ...] = ("verified", "pending", "bouncing")


@dataclass(frozen=True, slots=True)
class Seller:
    seller_id: str
    display_name: str
    reply_to_email: str | None
    status: SellerStatus
    # A seller item written before addresses were verified has none: it counts as verified.
    reply_to_status: ReplyToStatus = "verified"


# Where a message is: `sent` when SES accepted it, then what SES's events say of it;
# `unconfirmed` when SES's answer to the send was lost; `failed` when SES refused it.
MessageStatus = Literal[
    "sent", "delivered", "delayed", "bounced", "complained", "failed", "unconfirmed"
]
MESSAGE_STATUSES: tuple[MessageStatus, ...] = (
    "sent",
    "delivered",
    "delayed",
    "bounced",
    "complained",
    "failed",
    "unconfirmed",
)


@dataclass(frozen=True, slots=True)
class MessageProgress:
    """What whoever holds a message's id may learn of it: never an address, never its text."""

    message_id: str
    status: MessageStatus
    topic: TopicId
    created_at: int
    updated_at: int


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """The audit row of one message: the only place a buyer's address is kept."""

    message_id: str
    seller_id: str
    topic: str
    buyer_email: str
    # `unconfirmed`: SES may have accepted the email, but its answer never came.
    status: Literal["sent", "failed", "unconfirmed"]
    created_at: int
    expires_at: int
    ses_message_id: str | None = None
    failure_reason: str | None = None
    # A buyer's form message goes buyer_to_seller; a relayed reply goes either way.
    direction: Direction = "buyer_to_seller"


class SellerDirectory(Protocol):
    def find(self, seller_id: str) -> Seller | None:
        """The seller with this id, or None. Raises DependencyUnavailable."""
        ...


class Mailer(Protocol):
    def send(self, raw_message: bytes, tags: Mapping[str, str] | None = None) -> str:
        """Send a raw MIME message; return the provider's message id. `tags` go with the send
        and come back in every event SES publishes about it (`message_tags`).
        Raises DeliveryFailed, DeliveryMisconfigured, DeliveryUnconfirmed (the message may have
        been accepted: never send it again) or DependencyUnavailable (nothing was sent)."""
        ...


class MessageLedger(Protocol):
    def record(self, record: MessageRecord) -> None:
        """Store the audit row. Raises DependencyUnavailable."""
        ...


class MessageStatuses(Protocol):
    def progress(self, message_id: str) -> MessageProgress | None:
        """The message's status, or None when there is no such message (or its row expired).
        Raises DependencyUnavailable."""
        ...


class AddressVerifications(Protocol):
    def confirm(self, seller_id: str, token_digest: str, now: int) -> bool:
        """Mark the seller's address verified if `token_digest` is its pending token's and the
        token has not expired, and use the token up; False when it is not. Raises
        DependencyUnavailable."""
        ...


class ConversationBook(Protocol):
    def open(self, candidate: Conversation) -> Conversation:
        """The pair's conversation, kept alive: store `candidate` when no conversation has its
        id, else keep the stored one's aliases, creation time and stop, and take the
        candidate's buyer name, topic and `expires_at`. Two first messages racing get one
        conversation. Returns what is stored now. Raises DependencyUnavailable."""
        ...

    def find(self, conversation_id: str) -> Conversation | None:
        """Raises DependencyUnavailable."""
        ...

    def by_alias(self, alias: str) -> tuple[Conversation, Party] | None:
        """The conversation an alias local part belongs to, and whose alias it is (mail to the
        buyer alias comes from the seller); None when no conversation has it. Like `find`, it
        returns a conversation past its `expires_at` until TTL deletes it (up to days late):
        whether it has expired is the caller's rule (`Conversation.expired`).
        Raises DependencyUnavailable."""
        ...

    def extend(self, conversation_id: str, expires_at: int) -> None:
        """Keep the conversation until `expires_at` (after each relayed message).
        Raises DependencyUnavailable."""
        ...

    def stop(self, conversation_id: str, now: int) -> bool:
        """Stop it for good (stopping twice keeps the first time); False when there is no such
        conversation. Raises DependencyUnavailable."""
        ...


class ByteStream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class InboundMessageStore(Protocol):
    def open(self, ses_message_id: str, max_bytes: int) -> AbstractContextManager[ByteStream]:
        """The raw inbound message SES stored, as a stream to read once. Raises
        InboundMessageMissing, InboundMessageTooLarge (larger than `max_bytes`: nothing is
        read) or DependencyUnavailable."""
        ...


class RelayedMessages(Protocol):
    """The rows of relayed replies, written so that each is sent at most once: the row is
    claimed (`unconfirmed`: SES may take it from then on) before the send, and a retry of the
    same inbound message finds it and sends nothing."""

    def claim(self, record: MessageRecord) -> bool:
        """Write `record` (status `unconfirmed`) unless a row with its id exists; False when
        one does. Raises DependencyUnavailable."""
        ...

    def sent(self, message_id: str, ses_message_id: str) -> None:
        """SES took it: the claimed row becomes `sent`. Raises DependencyUnavailable."""
        ...

    def failed(self, message_id: str, reason: str) -> None:
        """SES refused it for good: the claimed row becomes `failed`. Raises
        DependencyUnavailable."""
        ...

    def release(self, message_id: str) -> None:
        """Nothing was sent: delete the claim, so a retry may send. Raises
        DependencyUnavailable."""
        ...


class RateLimiter(Protocol):
    def admit(self, buyer_email: str, source_ip: str | None) -> None:
        """Count one message; raise RateLimited when a limit is reached (nothing is sent then).
        Raises DependencyUnavailable."""
        ...


class HumanCheck(Protocol):
    def verify(self, token: str, source_ip: str | None) -> bool:
        """Ask a captcha provider whether the token proves a person.
        Raises DependencyUnavailable."""
        ...


class NoRateLimits:
    """Every message is admitted: for tests, and where both limits are set to 0."""

    def admit(self, buyer_email: str, source_ip: str | None) -> None:
        return None
