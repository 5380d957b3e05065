"""How the adapters bound botocore calls and translate their failures: client configurations,
and error codes (never error texts) into the relay's domain errors."""

from __future__ import annotations

from collections.abc import Callable

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.errors import DependencyUnavailable

# Neither client lets botocore retry. Standard mode retries read timeouts and closed connections
# (HTTPClientError) and 5xx answers, none of which proves the request was not carried out: a
# retried SendEmail can send the email twice, a retried rate-limit UpdateItem (ADD) counts the
# buyer twice, and a retried idempotency PutItem finds its own record and reports the request
# "in progress". Its first backoff alone may also be 1 s + 5 s (aws_budgets), so two attempts
# of any useful timeouts no longer fit in a third of the function timeout. A failed DynamoDB
# call ends in a 503 with Retry-After; the SES mailer retries only the failures that prove SES
# never took the message (ses_mailer.SEND_RETRIES).
#
# No client-side parameter validation: the adapters build every request from typed values, the
# services validate it again, and botocore's check was the largest part of a warm request's CPU.
DYNAMODB_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=1,
    read_timeout=2,
    parameter_validation=False,
)
# A read timeout leaves a send unconfirmed (it may be out, and must not be repeated): SES gets
# the longer read timeout, as a slow answer is worth more than no answer.
SES_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=1,
    read_timeout=3,
    parameter_validation=False,
)
# Reading an inbound message from S3 changes nothing, so botocore may retry it; the read timeout
# bounds each chunk of a streamed body, not the whole object.
S3_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=1,
    read_timeout=5,
)
# The name the DynamoDB adapters and the handler's wiring import.
AWS_CLIENT_CONFIG = DYNAMODB_CLIENT_CONFIG


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def http_status(exc: ClientError) -> int | None:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status if isinstance(status, int) else None


def unavailable(dependency: str, exc: ClientError | BotoCoreError) -> DependencyUnavailable:
    """A DynamoDB or SES failure that a later retry may get past."""
    reason = error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    return DependencyUnavailable(dependency, reason)


CONDITION_FAILED = "ConditionalCheckFailedException"


def written_unless_condition_failed(write: Callable[[], object]) -> bool:
    """A conditional DynamoDB write: True when it was written, False when its condition failed;
    any other failure is DependencyUnavailable."""
    try:
        write()
    except ClientError as exc:
        if error_code(exc) == CONDITION_FAILED:
            return False
        raise unavailable("dynamodb", exc) from exc
    except BotoCoreError as exc:
        raise unavailable("dynamodb", exc) from exc
    return True
