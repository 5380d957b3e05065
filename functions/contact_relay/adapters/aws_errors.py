"""Translate botocore failures into the relay's domain errors, by error code, never by text."""

from __future__ import annotations

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.errors import DependencyUnavailable

# Bounded retries and timeouts, so a slow dependency ends in a 503 well inside the Lambda timeout.
# No client-side parameter validation: the adapters build every request from typed values, the
# services validate it again, and botocore's check was the largest part of a warm request's CPU.
AWS_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=2,
    read_timeout=5,
    parameter_validation=False,
)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def unavailable(dependency: str, exc: ClientError | BotoCoreError) -> DependencyUnavailable:
    """A DynamoDB or SES failure that a later retry may get past."""
    reason = error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    return DependencyUnavailable(dependency, reason)
