"""What an SES event changes, through in-memory ports: the message's status and the seller's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from contact_relay.delivery_feedback import (
    DeliveryEvent,
    EventKind,
    FeedbackResult,
    StatusChange,
    apply_delivery_event,
)
from contact_relay.ports import MessageStatus

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SELLER_ADDRESS = "cs@shop.example"


@dataclass
class InMemoryStatuses:
    statuses: dict[str, MessageStatus] = field(default_factory=dict)
    updated_at: dict[str, int] = field(default_factory=dict)

    def advance(
        self,
        message_id: str,
        status: MessageStatus,
        replaceable: frozenset[MessageStatus],
        at: int,
    ) -> StatusChange:
        if message_id not in self.statuses:
            return "unknown_message"
        if self.statuses[message_id] not in replaceable:
            return "unchanged"
        self.statuses[message_id] = status
        self.updated_at[message_id] = at
        return "changed"


@dataclass
class InMemorySellerHealth:
    addresses: dict[str, str] = field(default_factory=dict)
    marks: dict[str, tuple[str, int]] = field(default_factory=dict)

    def mark_bouncing(self, seller_id: str, address: str, reason: str, at: int) -> bool:
        if self.addresses.get(seller_id) != address or seller_id in self.marks:
            return False
        self.marks[seller_id] = (reason, at)
        return True


def event(
    kind: EventKind,
    message_id: str | None = "m-1",
    bounce_type: str | None = None,
    bounce_subtype: str | None = None,
    recipients: tuple[str, ...] = (SELLER_ADDRESS,),
) -> DeliveryEvent:
    return DeliveryEvent(
        kind=kind,
        message_id=message_id,
        seller_id="shop-1",
        occurred_at=AT,
        bounce_type=bounce_type,
        bounce_subtype=bounce_subtype,
        recipients=recipients if kind in ("Bounce", "Complaint") else (),
    )


@pytest.fixture
def statuses() -> InMemoryStatuses:
    return InMemoryStatuses({"m-1": "sent"})


@pytest.fixture
def sellers() -> InMemorySellerHealth:
    return InMemorySellerHealth({"shop-1": SELLER_ADDRESS})


def test_a_delivery_moves_the_message_and_records_when(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth
) -> None:
    result = apply_delivery_event(event("Delivery"), statuses, sellers)

    assert result == FeedbackResult("changed", 0)
    assert statuses.statuses["m-1"] == "delivered"
    assert statuses.updated_at["m-1"] == int(AT.timestamp())
    assert sellers.marks == {}


@pytest.mark.parametrize(
    ("subtype", "reason"),
    [("General", "permanent_bounce:General"), ("Suppressed", "permanent_bounce:Suppressed")],
)
def test_a_permanent_bounce_marks_the_seller_bouncing(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth, subtype: str, reason: str
) -> None:
    result = apply_delivery_event(
        event("Bounce", bounce_type="Permanent", bounce_subtype=subtype), statuses, sellers
    )

    assert result == FeedbackResult("changed", 1)
    assert statuses.statuses["m-1"] == "bounced"
    assert sellers.marks == {"shop-1": (reason, int(AT.timestamp()))}


@pytest.mark.parametrize("bounce_type", ["Transient", "Undetermined"])
def test_a_transient_bounce_changes_nothing_of_the_seller(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth, bounce_type: str
) -> None:
    result = apply_delivery_event(event("Bounce", bounce_type=bounce_type), statuses, sellers)

    assert result == FeedbackResult("changed", 0)
    assert statuses.statuses["m-1"] == "bounced"
    assert sellers.marks == {}


def test_a_complaint_marks_the_seller_even_after_the_message_is_final(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth
) -> None:
    statuses.statuses["m-1"] = "bounced"

    result = apply_delivery_event(event("Complaint"), statuses, sellers)

    assert result == FeedbackResult("unchanged", 1)
    assert statuses.statuses["m-1"] == "bounced"
    assert sellers.marks["shop-1"][0] == "complaint"


def test_a_bounce_of_another_address_does_not_mark_the_seller(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth
) -> None:
    bounce = event("Bounce", bounce_type="Permanent", recipients=("old@shop.example",))

    assert apply_delivery_event(bounce, statuses, sellers).sellers_marked_bouncing == 0


@pytest.mark.parametrize("message_id", ["m-unknown", None])
def test_an_unknown_or_untagged_message_is_reported_not_raised(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth, message_id: str | None
) -> None:
    result = apply_delivery_event(event("Delivery", message_id=message_id), statuses, sellers)

    assert result == FeedbackResult("unknown_message", 0)
    assert statuses.statuses == {"m-1": "sent"}


def test_a_reject_fails_the_message(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth
) -> None:
    apply_delivery_event(event("Reject"), statuses, sellers)

    assert statuses.statuses["m-1"] == "failed"


def test_a_bounce_naming_another_address_after_the_sellers_still_counts_the_seller(
    statuses: InMemoryStatuses, sellers: InMemorySellerHealth
) -> None:
    # A bounce can name several recipients; the count (the SellerMarkedBouncing metric and its
    # warning) is every seller marked, whatever the addresses after it say.
    bounce = event(
        "Bounce", bounce_type="Permanent", recipients=(SELLER_ADDRESS, "old@shop.example")
    )

    assert apply_delivery_event(bounce, statuses, sellers).sellers_marked_bouncing == 1
    assert sellers.marks["shop-1"][0] == "permanent_bounce:General"
