"""What an SES delivery event changes: the message's status, and the health of the seller's
reply-to address. Knows nothing of Lambda or boto3: it works through the ports below.

A permanent bounce or a complaint from the seller's current reply-to address marks the seller
`bouncing`; a transient or undetermined bounce says the address may work later, and changes
nothing of the seller. An event whose message we do not know (another sender's email through the
same configuration set, a record already expired) changes nothing and is no error: Lambda would
otherwise retry it for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from contact_relay.delivery_status import DeliveryOutcome, replaceable_by
from contact_relay.ports import MessageStatus

EventKind = Literal["Delivery", "DeliveryDelay", "Bounce", "Complaint", "Reject"]
StatusChange = Literal["changed", "unchanged", "unknown_message"]

_OUTCOMES: dict[EventKind, DeliveryOutcome] = {
    "Delivery": "delivered",
    "DeliveryDelay": "delayed",
    "Bounce": "bounced",
    "Complaint": "complained",
    # SES took the send, then refused to deliver it (a virus): it never left.
    "Reject": "failed",
}


@dataclass(frozen=True, slots=True)
class DeliveryEvent:
    """One SES event, as the relay reads it. `recipients`: the addresses a bounce or complaint
    names (none for the other kinds)."""

    kind: EventKind
    message_id: str | None
    seller_id: str | None
    occurred_at: datetime
    bounce_type: str | None = None
    bounce_subtype: str | None = None
    recipients: tuple[str, ...] = ()

    @property
    def outcome(self) -> DeliveryOutcome:
        return _OUTCOMES[self.kind]

    @property
    def address_failure(self) -> str | None:
        """Why the recipients' address can no longer receive mail, or None when it still can."""
        if self.kind == "Complaint":
            return "complaint"
        if self.kind == "Bounce" and self.bounce_type == "Permanent":
            return f"permanent_bounce:{self.bounce_subtype or 'General'}"
        return None


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    message: StatusChange
    sellers_marked_bouncing: int = 0


class MessageStatusUpdates(Protocol):
    def advance(
        self,
        message_id: str,
        status: MessageStatus,
        replaceable: frozenset[MessageStatus],
        at: int,
    ) -> StatusChange:
        """Set the message's status (and updatedAt) when its current one is in `replaceable`.
        Raises DependencyUnavailable."""
        ...


class SellerAddressHealth(Protocol):
    def mark_bouncing(self, seller_id: str, address: str, reason: str, at: int) -> bool:
        """Mark the seller `bouncing` when `address` is still its reply-to address, it is not
        bouncing already, and its status has not changed since `at`; True when it was marked.
        Raises DependencyUnavailable."""
        ...


def apply_delivery_event(
    event: DeliveryEvent, messages: MessageStatusUpdates, sellers: SellerAddressHealth
) -> FeedbackResult:
    """Move the message's status and, on a permanent bounce or complaint, the seller's."""
    at = int(event.occurred_at.timestamp())
    change: StatusChange = "unknown_message"
    if event.message_id is not None:
        outcome = event.outcome
        change = messages.advance(event.message_id, outcome, replaceable_by(outcome), at)
    marked = 0
    reason = event.address_failure
    # The seller is marked whatever became of the message's status: a complaint after a
    # bounce (or a duplicate) still tells the truth about the address.
    if reason is not None and event.seller_id is not None:
        for address in dict.fromkeys(event.recipients):
            marked += sellers.mark_bouncing(event.seller_id, address, reason, at)
    return FeedbackResult(change, marked)
