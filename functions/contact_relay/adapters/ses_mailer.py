"""Mailer on Amazon SES v2: SendEmail with Content.Raw.

Raw rather than Simple so the seller receives exactly the MIME message `seller_email` built (moto
keeps a raw message whole, but drops the Reply-To of a simple one). No Destination is given: SES
takes the recipients from the To header, which holds the seller alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, error_code, unavailable
from contact_relay.errors import DeliveryFailed
from contact_relay.observability import tracer

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sesv2.type_defs import SendEmailRequestTypeDef

# SES will refuse this message however often it is sent.
PERMANENT_REFUSALS = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "NotFoundException",
        "BadRequestException",
    }
)


class SESMailer:
    def __init__(
        self,
        sender_address: str,
        configuration_set: str | None = None,
        client: SESV2Client | None = None,
    ) -> None:
        self._sender_address = sender_address
        self._configuration_set = configuration_set
        self._client = client or boto3.client("sesv2", config=AWS_CLIENT_CONFIG)

    @tracer.capture_method(capture_response=False)
    def send(self, raw_message: bytes) -> str:
        request: SendEmailRequestTypeDef = {
            "FromEmailAddress": self._sender_address,
            "Content": {"Raw": {"Data": raw_message}},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._client.send_email(**request)
        except ClientError as exc:
            if error_code(exc) in PERMANENT_REFUSALS:
                raise DeliveryFailed(error_code(exc)) from exc
            raise unavailable("ses", exc) from exc
        except BotoCoreError as exc:
            raise unavailable("ses", exc) from exc
        return response["MessageId"]
