"""The status machine: which status an SES event may replace, whatever order events come in."""

from __future__ import annotations

from itertools import permutations
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_relay.delivery_status import (
    FINAL_STATUSES,
    DeliveryOutcome,
    next_status,
    replaceable_by,
)
from contact_relay.ports import MessageStatus

OUTCOMES: tuple[DeliveryOutcome, ...] = get_args(DeliveryOutcome)
NOT_FINAL: tuple[DeliveryOutcome, ...] = ("delayed", "delivered")


def after(events: tuple[DeliveryOutcome, ...], start: MessageStatus = "sent") -> MessageStatus:
    status = start
    for outcome in events:
        status = next_status(status, outcome)
    return status


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (("delivered",), "delivered"),
        (("delayed",), "delayed"),
        (("delayed", "delivered"), "delivered"),
        (("delivered", "delayed"), "delivered"),  # a delay reported late changes nothing
        (("bounced", "delivered"), "bounced"),  # a Delivery after a Bounce changes nothing
        (("delivered", "bounced"), "bounced"),  # an asynchronous bounce after delivery
        (("delivered", "complained"), "complained"),
        (("complained", "bounced"), "complained"),  # final stays final
        (("failed", "delivered"), "failed"),
    ],
)
def test_an_event_moves_a_message_only_forward(
    events: tuple[DeliveryOutcome, ...], expected: MessageStatus
) -> None:
    assert after(events) == expected


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_duplicate_event_changes_nothing(outcome: DeliveryOutcome) -> None:
    once = next_status("sent", outcome)

    assert next_status(once, outcome) == once
    assert once not in replaceable_by(outcome)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_no_event_leaves_a_final_status(outcome: DeliveryOutcome) -> None:
    assert not FINAL_STATUSES & replaceable_by(outcome)


def test_an_event_proves_an_unconfirmed_send_reached_ses() -> None:
    assert next_status("unconfirmed", "delivered") == "delivered"
    assert next_status("unconfirmed", "bounced") == "bounced"


@given(
    events=st.lists(st.sampled_from(NOT_FINAL), max_size=4),
    final=st.one_of(st.none(), st.sampled_from(("bounced", "complained", "failed"))),
)
def test_every_order_of_the_same_events_ends_in_the_same_status(
    events: list[DeliveryOutcome], final: DeliveryOutcome | None
) -> None:
    # One email has at most one final outcome (it bounced, or it arrived and was reported).
    every_event = tuple(events) + ((final,) if final else ())
    endings = {after(order) for order in permutations(every_event)}

    assert len(endings) == 1
