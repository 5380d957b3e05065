"""What the edge makes of a receipt: its outcome logged and counted, and the 201 or 202 body."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from contact_relay.handlers.api_models import ContactAccepted, Removed
from contact_relay.observability import logger, metrics
from contact_relay.service import Receipt


def log_and_count(receipt: Receipt) -> None:
    """One log line and one metric per outcome; never the buyer's address or text."""
    context = {"message_id": receipt.message_id, "topic": receipt.topic}
    if receipt.suppressed:
        metrics.add_metric(name="HoneypotFilled", unit=MetricUnit.Count, value=1)
        logger.info("honeypot filled; nothing sent", extra=context)
    elif receipt.unconfirmed:
        metrics.add_metric(name="DeliveryUnconfirmed", unit=MetricUnit.Count, value=1)
        logger.warning("SES gave no answer; the message may have been sent", extra=context)
    else:
        metrics.add_metric(name="MessageSent", unit=MetricUnit.Count, value=1)
        logger.info("message sent", extra={**context, "links_removed": receipt.links_removed})
        if not receipt.recorded:
            metrics.add_metric(name="LedgerWriteFailed", unit=MetricUnit.Count, value=1)
            logger.error("message sent but its audit row was not written", extra=context)


def accepted_body(receipt: Receipt) -> dict[str, Any]:
    """The body of the 201 (or, when SES's answer was lost, the 202)."""
    accepted = ContactAccepted(
        message_id=receipt.message_id,
        status="unconfirmed" if receipt.unconfirmed else "sent",
        topic=receipt.topic,
        subject=receipt.subject,
        confirmation=receipt.confirmation,
        removed=Removed(links=receipt.links_removed, markup=receipt.markup_removed),
    )
    return accepted.model_dump(by_alias=True)
