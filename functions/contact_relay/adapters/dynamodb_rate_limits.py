"""Rate limits counted atomically in DynamoDB: one counter per subject and hour, expiring by TTL.

Each message adds one to its source address's counter and its buyer's counter with a conditional
UpdateItem, so concurrent requests can never both take the last slot. Subjects are stored as
HMAC-SHA256 digests under the digest key (`contact_relay.digests`): the table holds no email or
IP address, and no one without the key can test a guess against it.

The hour is part of the row's key, so a counter is only ever read during its own hour. DynamoDB's
TTL deletes rows lazily (up to days after `expiresAt`), and a row of a past hour that is still
there is never looked at again: it cannot count against a new hour.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, error_code, unavailable
from contact_relay.digests import Digester
from contact_relay.errors import RateLimited
from contact_relay.observability import tracer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

WINDOW_SECONDS = 3600
# Each counter's kind (its rows' key prefix, and the digest's purpose) and the limit it enforces.
_LIMIT_NAMES: dict[str, Literal["buyer", "source_ip"]] = {"ip": "source_ip", "buyer": "buyer"}


class DynamoDBRateLimiter:
    def __init__(
        self,
        table_name: str,
        buyer_per_hour: int,
        source_ip_per_hour: int,
        client: DynamoDBClient | None = None,
        clock: Callable[[], float] = time.time,
        *,
        digester: Digester,
    ) -> None:
        self._table_name = table_name
        self._limits = (("ip", source_ip_per_hour), ("buyer", buyer_per_hour))
        self._client = client or boto3.client("dynamodb", config=AWS_CLIENT_CONFIG)
        self._clock = clock
        self._digester = digester

    @tracer.capture_method(capture_response=False)
    def admit(self, buyer_email: str, source_ip: str | None) -> None:
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        window_end = (window + 1) * WINDOW_SECONDS
        # An address is one buyer in any case: Hanako@Example.com must not get a second allowance.
        subjects = {"ip": source_ip, "buyer": buyer_email.lower()}
        for kind, limit in self._limits:
            subject = subjects[kind]
            if limit <= 0 or not subject:
                continue
            digest = self._digester.digest(kind, subject)
            self._count(kind, f"{kind}#{digest}#{window}", limit, window_end, now)

    def _count(self, kind: str, key: str, limit: int, window_end: int, now: float) -> None:
        try:
            self._client.update_item(
                TableName=self._table_name,
                Key={"key": {"S": key}},
                UpdateExpression="ADD #count :one SET #expires = if_not_exists(#expires, :expires)",
                ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames={"#count": "count", "#expires": "expiresAt"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    # Kept a little past its window, so a late request still finds it.
                    ":expires": {"N": str(window_end + WINDOW_SECONDS)},
                },
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise RateLimited(
                    max(1, math.ceil(window_end - now)), limit=_LIMIT_NAMES[kind]
                ) from exc
            raise unavailable("dynamodb", exc) from exc
        except BotoCoreError as exc:
            raise unavailable("dynamodb", exc) from exc
