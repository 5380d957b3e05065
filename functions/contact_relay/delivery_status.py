"""The message's delivery status as SES events move it: which status may replace which.

Statuses are ranked; an event moves a message only to a status of a higher rank, and never away
from a final one. So a duplicate event changes nothing, and events arriving out of order end in
the same status as in order: a Delivery after a Bounce, or a DeliveryDelay after a Delivery,
changes nothing. Pure: the adapter turns `replaceable_by` into a DynamoDB condition.
"""

from __future__ import annotations

from typing import Literal

from contact_relay.ports import MESSAGE_STATUSES, MessageStatus

# What an SES event can say of a message.
DeliveryOutcome = Literal["delayed", "delivered", "bounced", "complained", "failed"]

_RANK: dict[MessageStatus, int] = {
    # `unconfirmed`: SES may have taken it but its answer was lost; an event proves it did.
    "sent": 0,
    "unconfirmed": 0,
    "delayed": 1,
    "delivered": 2,
    # Final: the email did not arrive (bounced, or SES rejected it: failed), or it arrived and the
    # seller reported it as spam. Only one of them can happen to one email.
    "bounced": 3,
    "complained": 3,
    "failed": 3,
}
FINAL_STATUSES: frozenset[MessageStatus] = frozenset(
    status for status, rank in _RANK.items() if rank == max(_RANK.values())
)


def replaceable_by(outcome: DeliveryOutcome) -> frozenset[MessageStatus]:
    """The statuses a message may have for `outcome` to replace it."""
    return frozenset(
        status
        for status in MESSAGE_STATUSES
        if status not in FINAL_STATUSES and _RANK[status] < _RANK[outcome]
    )


def next_status(current: MessageStatus, outcome: DeliveryOutcome) -> MessageStatus:
    """The status after an event with `outcome` reaches a message whose status is `current`."""
    return outcome if current in replaceable_by(outcome) else current
