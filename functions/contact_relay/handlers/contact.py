"""Lambda entry point of the HTTP API: decorators, the edge checks, then `app.resolve`.

Everything a request needs is built once per execution environment (`wiring`); a test that
changes the environment or botocore's event hooks calls `environments.start_cold()`. Under
SnapStart it is built at import and primed before the snapshot (`contact_snapshot`).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from contact_relay.handlers import contact_snapshot
from contact_relay.handlers.edge_checks import edge_rejection
from contact_relay.handlers.wiring import ExecutionEnvironments
from contact_relay.observability import logger, metrics, tracer

environments = ExecutionEnvironments()


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, log_event=False
)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(event, context)


def serve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One request, without the invocation's logging, tracing and metrics decorators: what
    priming runs before a snapshot, when there is no invocation to report."""
    wiring = environments.current()
    wiring.register_lambda_context(context)
    return edge_rejection(event, wiring.cors) or wiring.app.resolve(event, context)


contact_snapshot.take_part(environments, serve)
