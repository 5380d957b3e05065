"""Inbound messages on S3: the raw email SES receiving's S3 action stored, streamed once.

One GetObject: its ContentLength is checked against the cap before a byte of the body is read
(no HEAD first: one request, one permission), and the body is handed over as botocore's
StreamingBody, so a message is never held whole in memory. The function's role may read only
the inbound prefix and may not list the bucket, so S3 answers a missing object with AccessDenied
as well as NoSuchKey: both mean there is nothing to relay.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import S3_CLIENT_CONFIG, error_code, unavailable
from contact_relay.errors import InboundMessageMissing, InboundMessageTooLarge
from contact_relay.observability import tracer
from contact_relay.ports import ByteStream

_MISSING = frozenset({"NoSuchKey", "AccessDenied", "404", "403"})


class S3InboundMessages:
    def __init__(self, bucket: str, prefix: str, client: Any = None) -> None:
        self._bucket = bucket
        self._prefix = prefix
        # Typed as Any: boto3-stubs' s3 package is not among the dev dependencies.
        self._client = client or boto3.client("s3", config=S3_CLIENT_CONFIG)

    def key_of(self, ses_message_id: str) -> str:
        """Where SES's S3 action put the message: the rule's prefix and SES's message id."""
        return f"{self._prefix}{ses_message_id}"

    @contextmanager
    @tracer.capture_method(capture_response=False)
    def open(self, ses_message_id: str, max_bytes: int) -> Iterator[ByteStream]:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=self.key_of(ses_message_id))
        except ClientError as exc:
            if error_code(exc) in _MISSING:
                raise InboundMessageMissing(error_code(exc)) from exc
            raise unavailable("s3", exc) from exc
        except BotoCoreError as exc:
            raise unavailable("s3", exc) from exc
        body = response["Body"]
        try:
            if int(response.get("ContentLength", 0)) > max_bytes:
                raise InboundMessageTooLarge
            yield body
        except BotoCoreError as exc:
            # The stream broke off (a read timeout, a connection reset): nothing was relayed.
            raise unavailable("s3", exc) from exc
        finally:
            body.close()
