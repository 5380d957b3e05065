"""Lambda entry point of inbound mail: the event of SES receiving's Lambda action, parsed, then
handed to `replies.ReplyRelay`.

SES invokes the function asynchronously (`InvocationType: Event`), so the answer goes nowhere in
AWS; `contact-relay dev`'s `POST /_local/inbound` reports it. An event that cannot be read is
logged (field names and error types, never values) and dropped: a retry would read it no better.
Only DependencyUnavailable raises, so Lambda retries the invocation; the relay's claims make the
retry send nothing twice. Logs carry SES's message id, our message ids and reasons: never an
address, a subject or text.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from contact_relay.errors import DependencyUnavailable
from contact_relay.handlers.inbound_wiring import InboundWiring
from contact_relay.handlers.per_environment import PerEnvironment
from contact_relay.handlers.ses_receiving_models import SesReceivingEvent
from contact_relay.observability import logger, metrics, tracer
from contact_relay.replies import RecipientOutcome

RELAYED = "InboundRelayed"
UNCONFIRMED = "InboundRelayUnconfirmed"
DROPPED = "InboundDropped"
# The same metric the contact function counts: its alarm covers both functions.
MISCONFIGURED = "DeliveryMisconfigured"
environments = PerEnvironment(InboundWiring.build)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring = environments.current()
    try:
        parsed = SesReceivingEvent.model_validate(event)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors()]
        logger.warning("Not an SES receiving event; dropped", extra={"problems": problems})
        metrics.add_metric(name="InboundUnreadable", unit=MetricUnit.Count, value=1)
        return {"results": []}
    envelope = parsed.envelope()
    try:
        outcomes = wiring.relay.relay(envelope)
    except DependencyUnavailable as exc:
        logger.warning(
            "Inbound message not relayed yet: a dependency is unavailable; Lambda retries it",
            extra={
                "sesMessageId": envelope.ses_message_id,
                "dependency": exc.dependency,
                "reason": exc.reason,
            },
        )
        metrics.add_metric(name="InboundRetried", unit=MetricUnit.Count, value=1)
        raise
    for outcome in outcomes:
        log_and_count(envelope.ses_message_id, outcome)
    return {"results": [result_of(outcome) for outcome in outcomes]}


def result_of(outcome: RecipientOutcome) -> dict[str, Any]:
    return {
        "recipient": outcome.recipient,
        "disposition": outcome.disposition,
        "reason": outcome.reason,
    }


def log_and_count(ses_message_id: str, outcome: RecipientOutcome) -> None:
    facts = {
        "sesMessageId": ses_message_id,
        "messageId": outcome.message_id,
        "disposition": outcome.disposition,
        "reason": outcome.reason,
    }
    if outcome.disposition == "relayed":
        logger.info("Inbound message relayed", extra={**facts, "unconfirmed": outcome.unconfirmed})
        metrics.add_metric(
            name=UNCONFIRMED if outcome.unconfirmed else RELAYED, unit=MetricUnit.Count, value=1
        )
        return
    logger.info("Inbound message dropped", extra=facts)
    metrics.add_metric(name=f"{DROPPED}_{outcome.reason}", unit=MetricUnit.Count, value=1)
    if outcome.reason == "delivery_misconfigured":
        metrics.add_metric(name=MISCONFIGURED, unit=MetricUnit.Count, value=1)
