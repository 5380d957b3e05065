"""Mailer on Amazon SES v2: SendEmail with Content.Raw, sent again only when SES never took it.

Raw rather than Simple so the seller receives exactly the MIME message `seller_email` built (moto
keeps a raw message whole, but drops the Reply-To of a simple one). No Destination is given: SES
takes the recipients from the To header, which holds the seller alone.

The client makes one attempt per call (`aws_errors.SES_CLIENT_CONFIG`): botocore would retry a
read timeout, and an email SES accepted before its answer was lost would go out twice. `send`
retries only what proves SES did not take the message: no connection was made, or SES answered
that it is throttling. A read timeout, or a connection closed once the request was on its way,
is `DeliveryUnconfirmed` and is never retried.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
)

from contact_relay.adapters.aws_budgets import worst_case_seconds
from contact_relay.adapters.aws_errors import (
    SES_CLIENT_CONFIG,
    error_code,
    http_status,
    unavailable,
)
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
)
from contact_relay.observability import logger, tracer

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

# SES refuses the sender, its identity, the account or our permissions: every message fails the
# same way until an operator acts, so a buyer's retry is pointless. SendEmail's own errors are in
# the SES v2 API reference (botocore's sesv2 service model); the credential and permission codes
# are AWS's common errors (AccessDenied is the SES v1 spelling).
MISCONFIGURATIONS = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "NotAuthorized",
        "OptInRequired",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "MailFromDomainNotVerifiedException",
        "NotFoundException",  # the configuration set (or identity) named does not exist
        "AccountSuspendedException",  # sending permanently restricted
        "SendingPausedException",  # paused for the account or the configuration set
    }
)
# SES refuses this message, and would refuse it however often it is sent.
CONTENT_REFUSALS = frozenset({"MessageRejected", "BadRequestException"})
# SES refused to look at the request: nothing was sent, a moment later it may be.
THROTTLING = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling"})
TOO_MANY_REQUESTS = 429
# No connection was made, so the request never left.
NEVER_CONNECTED = (ConnectTimeoutError, EndpointConnectionError)


@dataclass(frozen=True, slots=True)
class SendRetries:
    """How `SESMailer.send` retries a send SES provably did not take: up to `attempts` in all,
    full-jitter backoff doubling from `first_backoff_seconds` up to `max_backoff_seconds`, and no
    retry starting later than `retries_end_seconds` after the first attempt began."""

    attempts: int = 3
    first_backoff_seconds: float = 0.05
    max_backoff_seconds: float = 0.2
    retries_end_seconds: float = 2.0

    def longest_backoff(self, retry: int) -> float:
        """The longest sleep before retry number `retry` (1-based)."""
        backoff: float = min(
            self.first_backoff_seconds * 2 ** (retry - 1), self.max_backoff_seconds
        )
        return backoff

    def worst_case_seconds(self, config: Config) -> float:
        """The longest `send` can take through a client built with `config`: every attempt at
        its worst with the longest backoffs, or the last retry starting as late as allowed and
        taking its worst, whichever is less."""
        call = worst_case_seconds(config)
        every_attempt = self.attempts * call + sum(
            self.longest_backoff(retry) for retry in range(1, self.attempts)
        )
        return min(every_attempt, self.retries_end_seconds + call)


SEND_RETRIES = SendRetries()


class SESMailer:
    def __init__(
        self,
        sender_address: str,
        configuration_set: str | None = None,
        client: SESV2Client | None = None,
        retries: SendRetries = SEND_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._sender_address = sender_address
        self._configuration_set = configuration_set
        self._client = client or boto3.client("sesv2", config=SES_CLIENT_CONFIG)
        self._retries = retries
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter

    @tracer.capture_method(capture_response=False)
    def send(self, raw_message: bytes, tags: Mapping[str, str] | None = None) -> str:
        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": self._sender_address,
            "Content": {"Raw": {"Data": raw_message}},
        }
        if tags:
            request["EmailTags"] = [{"Name": name, "Value": value} for name, value in tags.items()]
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        started = self._clock()
        retry = 0
        while True:
            try:
                return self._client.send_email(**request)["MessageId"]
            except ClientError as exc:
                if not _throttled(exc):
                    raise _refusal(exc) from exc
                cause: ClientError | BotoCoreError = exc
            except NEVER_CONNECTED as exc:
                cause = exc
            except (HTTPClientError, ConnectionError) as exc:
                # Connected, and maybe sent and accepted: the answer is what was lost.
                raise DeliveryUnconfirmed(type(exc).__name__) from exc
            except BotoCoreError as exc:
                # Raised before any request is made (credentials, parameters).
                raise unavailable("ses", exc) from exc
            failure = unavailable("ses", cause)
            retry += 1
            delay = self._jitter() * self._retries.longest_backoff(retry)
            elapsed = self._clock() - started
            if (
                retry >= self._retries.attempts
                or elapsed + delay > self._retries.retries_end_seconds
            ):
                raise failure from cause
            logger.info("SES did not take the send; retrying", extra={"reason": failure.reason})
            self._sleep(delay)


def _throttled(exc: ClientError) -> bool:
    return error_code(exc) in THROTTLING or http_status(exc) == TOO_MANY_REQUESTS


def _refusal(exc: ClientError) -> DeliveryMisconfigured | DeliveryFailed | DependencyUnavailable:
    code = error_code(exc)
    if code in MISCONFIGURATIONS:
        return DeliveryMisconfigured(code)
    if code in CONTENT_REFUSALS:
        return DeliveryFailed(code)
    # A 5xx, or a code we do not know: SES may be down; a later retry by the buyer may work.
    return unavailable("ses", exc)
