"""One email per request, whatever the retries: Powertools idempotency records, one kind per key.

A request with an `Idempotency-Key` is remembered for a day under (seller, buyer, key): the same
key from another buyer, or to another seller, is another request, and a reuse must match what
the buyer sent (seller, topic, message, name, address in any case, order id), never how it
came (source IP, captcha token). A request without a key is remembered for ten minutes under a
digest of the buyer, seller, topic and what the seller would read (order id, name, reduced
text): a double click, a POST retried by the browser.

Each kind has its own persistence layer: Powertools configures a layer once, from the first
function that uses it, so two kinds sharing one would read each other's keys.

A retry is answered from its record before the checks it could not pass twice (a captcha token
is single use; a rate limit counts every request): look, then admit, then record and send.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyItemNotFoundError,
    IdempotencyPersistenceLayerError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import STATUS_CONSTANTS
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.digests import Digester
from contact_relay.handlers.outcomes import accepted_body, log_and_count
from contact_relay.observability import logger, metrics
from contact_relay.service import ContactRelay, Inquiry, PreparedInquiry

IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
CONTENT_KEY_TTL_SECONDS = 10 * 60


@dataclass(frozen=True, slots=True)
class KeyedDelivery:
    """What a request with an Idempotency-Key is remembered by."""

    prepared: PreparedInquiry
    buyer: str  # a digest of the buyer's address: a key belongs to the buyer who sent it
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class UnkeyedDelivery:
    """What a request without an Idempotency-Key is remembered by."""

    prepared: PreparedInquiry
    content_key: str


BY_KEY = IdempotencyConfig(
    event_key_jmespath="[prepared.inquiry.seller_id, buyer, idempotency_key]",
    payload_validation_jmespath=(
        "[buyer, prepared.inquiry.[seller_id, topic, message, buyer_name, order_id]]"
    ),
    expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
)
BY_CONTENT = IdempotencyConfig(
    event_key_jmespath="content_key", expires_after_seconds=CONTENT_KEY_TTL_SECONDS
)


class _Kind:
    """One kind of key: its configuration, its own persistence layer, its decorated send."""

    def __init__(
        self,
        config: IdempotencyConfig,
        key_prefix: str,
        persistence: DynamoDBPersistenceLayer,
        relay: ContactRelay,
    ) -> None:
        self.config = config
        self._key_prefix = key_prefix
        self._persistence = persistence

        self._answer: dict[str, Any] | None = None
        self._request: KeyedDelivery | UnkeyedDelivery | None = None

        def send(request: dict[str, Any]) -> dict[str, Any]:
            # Powertools hands back the record it keys (record_of); the request is kept here.
            if self._request is None:
                raise RuntimeError("send_once sets the request before Powertools calls send")
            receipt = relay.send(self._request.prepared)
            log_and_count(receipt)
            self._answer = accepted_body(receipt)
            return self._answer

        self._send_once = idempotent_function(
            data_keyword_argument="request",
            persistence_store=persistence,
            config=config,
            key_prefix=key_prefix,
        )(send)

    def send_once(self, request: KeyedDelivery | UnkeyedDelivery) -> dict[str, Any]:
        """Send under a record; once the email is out, its answer is the answer, record or not.

        Powertools completes the record after the send: if that write fails, it raises as if
        nothing happened, and the buyer would hear "nothing was sent" of a sent email."""
        self._answer = None
        self._request = request
        try:
            result: dict[str, Any] = self._send_once(request=record_of(request))
        except IdempotencyPersistenceLayerError:
            if self._answer is None:
                raise  # the in-progress record could not be written: nothing was sent
            metrics.add_metric(name="IdempotencyRecordIncomplete", unit=MetricUnit.Count, value=1)
            logger.error(
                "message sent but its idempotency record was not completed",
                extra={"message_id": self._answer.get("messageId")},
            )
            return self._answer
        return result

    def earlier_answer(self, request: KeyedDelivery | UnkeyedDelivery) -> dict[str, Any] | None:
        """The answer this request already got, if any; raises when it is still being sent,
        or when its key was used for another request."""
        self._persistence.configure(self.config, key_prefix=self._key_prefix)
        try:
            record = self._persistence.get_record(data=record_of(request))
        except IdempotencyItemNotFoundError:
            return None
        except (ClientError, BotoCoreError) as exc:
            # As Powertools reports its own reads of the store: the error table's 503.
            raise IdempotencyPersistenceLayerError("idempotency record unreadable", exc) from exc
        if record is None:
            return None
        if record.status == STATUS_CONSTANTS["COMPLETED"]:
            return record.response_json_as_dict()
        in_progress_until = record.in_progress_expiry_timestamp
        if record.status == STATUS_CONSTANTS["INPROGRESS"] and (
            in_progress_until is None or in_progress_until > time.time() * 1000
        ):
            raise IdempotencyAlreadyInProgressError("this request is being sent")
        return None  # expired, or abandoned by an environment that timed out: send again


class OncePerRequest:
    """Delivery with idempotency records, as the deployed function runs it."""

    def __init__(
        self, relay: ContactRelay, table_name: str, dynamodb: Any, digester: Digester
    ) -> None:
        self._relay = relay
        self._digester = digester
        self.by_key = _Kind(BY_KEY, "deliver_by_key", _persistence(table_name, dynamodb), relay)
        self.by_content = _Kind(
            BY_CONTENT, "deliver_by_content", _persistence(table_name, dynamodb), relay
        )

    def register_lambda_context(self, context: LambdaContext) -> None:
        self.by_key.config.register_lambda_context(context)
        self.by_content.config.register_lambda_context(context)

    def deliver(self, inquiry: Inquiry, idempotency_key: str | None) -> dict[str, Any]:
        prepared = self._relay.prepare(inquiry)
        kind: _Kind
        request: KeyedDelivery | UnkeyedDelivery
        if idempotency_key is not None:
            buyer = self._digester.digest("buyer", inquiry.buyer_email.lower())
            kind, request = self.by_key, KeyedDelivery(prepared, buyer, idempotency_key)
        else:
            key = content_key(prepared, self._digester)
            kind, request = self.by_content, UnkeyedDelivery(prepared, key)
        earlier = kind.earlier_answer(request)
        if earlier is not None:
            return earlier
        self._relay.admit(inquiry)
        return kind.send_once(request)


def record_of(request: KeyedDelivery | UnkeyedDelivery) -> dict[str, Any]:
    """What the idempotency expressions read a request by: the dict `dataclasses.asdict` makes,
    without its deep copy of every value (each is a str, an int, a bool or None here). Powertools
    would make that copy itself from a dataclass, and it cost about 0.1 ms a request."""
    record: dict[str, Any] = _fields_of(request)
    return record


def _fields_of(value: Any) -> Any:
    if not is_dataclass(value):
        return value
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        names = _FIELD_NAMES[type(value)] = tuple(field.name for field in fields(value))
    return {name: _fields_of(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _persistence(table_name: str, dynamodb: Any) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb)


def content_key(prepared: PreparedInquiry, digester: Digester) -> str:
    """The key of a request without an Idempotency-Key: an HMAC of the prepared inquiry's
    identity, so the table holds nothing a guess at an address could be checked against."""
    return digester.digest("content", prepared.identity)
