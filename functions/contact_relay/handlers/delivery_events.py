"""Lambda entry point of the delivery events: SES events from EventBridge, parsed, then handed
to `delivery_feedback.apply_delivery_event`.

An event that cannot be read is logged (its field names and error types, never its values: they
hold addresses) and dropped, as is one about a message we do not know: retrying either would
change nothing. A DynamoDB failure raises, so Lambda retries the event.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from contact_relay.delivery_feedback import DeliveryEvent, apply_delivery_event
from contact_relay.handlers.delivery_events_wiring import DeliveryEventsWiring
from contact_relay.handlers.per_environment import PerEnvironment
from contact_relay.handlers.ses_event_models import SesEventBridgeEvent, SesSendingEvent
from contact_relay.message_tags import MESSAGE_ID_TAG, SELLER_ID_TAG, tag_value
from contact_relay.observability import logger, metrics, tracer

SELLER_MARKED_BOUNCING = "SellerMarkedBouncing"
environments = PerEnvironment(DeliveryEventsWiring.build)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring = environments.current()
    try:
        parsed = parse(event=event, model=SesEventBridgeEvent)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors()]
        logger.warning("Not an SES event the relay reads; dropped", extra={"problems": problems})
        metrics.add_metric(name="DeliveryEventUnreadable", unit=MetricUnit.Count, value=1)
        return {"outcome": "unreadable"}
    delivery_event = delivery_event_from(parsed.detail)
    result = apply_delivery_event(delivery_event, wiring.messages, wiring.sellers)
    facts = {
        "eventType": delivery_event.kind,
        "messageId": delivery_event.message_id,
        "sellerId": delivery_event.seller_id,
        "statusChange": result.message,
    }
    if result.message == "unknown_message":
        logger.info("SES event for a message the relay does not know; ignored", extra=facts)
    else:
        logger.info("SES event applied", extra=facts)
    metrics.add_metric(name=f"DeliveryEvent_{delivery_event.kind}", unit=MetricUnit.Count, value=1)
    if result.sellers_marked_bouncing:
        logger.warning("Seller's reply-to address marked bouncing", extra=facts)
        metrics.add_metric(
            name=SELLER_MARKED_BOUNCING,
            unit=MetricUnit.Count,
            value=result.sellers_marked_bouncing,
        )
    return {"outcome": result.message, "sellersMarkedBouncing": result.sellers_marked_bouncing}


def delivery_event_from(detail: SesSendingEvent) -> DeliveryEvent:
    """The relay's reading of an SES event: its kind, our ids from the tags, and when it
    happened (the event's own time where SES gives one, else the send's)."""
    tags = detail.mail.tags
    message_id = tag_value(tags, MESSAGE_ID_TAG)
    seller_id = tag_value(tags, SELLER_ID_TAG)
    occurred_at = detail.mail.timestamp
    if detail.bounce is not None:
        return DeliveryEvent(
            kind=detail.event_type,
            message_id=message_id,
            seller_id=seller_id,
            occurred_at=detail.bounce.timestamp,
            bounce_type=detail.bounce.bounce_type,
            bounce_subtype=detail.bounce.bounce_subtype,
            recipients=tuple(r.email_address for r in detail.bounce.bounced_recipients),
        )
    if detail.complaint is not None:
        return DeliveryEvent(
            kind=detail.event_type,
            message_id=message_id,
            seller_id=seller_id,
            occurred_at=detail.complaint.timestamp,
            recipients=tuple(r.email_address for r in detail.complaint.complained_recipients),
        )
    timed = detail.delivery or detail.delivery_delay
    return DeliveryEvent(
        kind=detail.event_type,
        message_id=message_id,
        seller_id=seller_id,
        occurred_at=timed.timestamp if timed is not None else occurred_at,
    )
