"""Adapters translate AWS failures into domain errors by code: botocore Stubber, exact params."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import boto3
import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    ReadTimeoutError,
    SSLError,
)
from botocore.stub import Stubber

from contact_relay.adapters.dynamodb_messages import (
    DynamoDBMessageLedger,
    progress_from_item,
)
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory, seller_from_item
from contact_relay.adapters.ses_mailer import (
    CONTENT_REFUSALS,
    MISCONFIGURATIONS,
    SEND_RETRIES,
    SESMailer,
)
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
)
from contact_relay.message_tags import message_tags
from contact_relay.ports import MessageProgress, MessageRecord, Seller

RAW = b"From: x@relay.example\r\n\r\nhello\r\n"


def _stubbed(service: Literal["dynamodb", "sesv2"]) -> Iterator[tuple[Any, Stubber]]:
    """A client whose every call must be one the test queued, and all of them made."""
    client = boto3.client(
        service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def sesv2() -> Iterator[tuple[Any, Stubber]]:
    yield from _stubbed("sesv2")


@pytest.fixture
def dynamodb() -> Iterator[tuple[Any, Stubber]]:
    yield from _stubbed("dynamodb")


def test_the_mailer_sends_raw_content_with_the_configuration_set(
    sesv2: tuple[Any, Stubber],
) -> None:
    client, stubber = sesv2
    stubber.add_response(
        "send_email",
        {"MessageId": "ses-123"},
        {
            "FromEmailAddress": "noreply@relay.example",
            "Content": {"Raw": {"Data": RAW}},
            "ConfigurationSetName": "relay-events",
        },
    )

    assert SESMailer("noreply@relay.example", "relay-events", client).send(RAW) == "ses-123"


def test_the_mailer_sends_the_tags_that_tie_ses_events_to_the_message(
    sesv2: tuple[Any, Stubber],
) -> None:
    client, stubber = sesv2
    stubber.add_response(
        "send_email",
        {"MessageId": "ses-9"},
        {
            "FromEmailAddress": "noreply@relay.example",
            "Content": {"Raw": {"Data": RAW}},
            "ConfigurationSetName": "relay-events",
            "EmailTags": [
                {"Name": "relayMessageId", "Value": "m-1"},
                {"Name": "relaySellerId", "Value": "shop-1"},
            ],
        },
    )

    SESMailer("noreply@relay.example", "relay-events", client).send(
        RAW, message_tags("m-1", "shop-1")
    )


def test_the_mailer_names_no_destination_so_the_to_header_is_the_only_recipient(
    sesv2: tuple[Any, Stubber],
) -> None:
    client, stubber = sesv2
    stubber.add_response(
        "send_email",
        {"MessageId": "ses-1"},
        {"FromEmailAddress": "noreply@relay.example", "Content": {"Raw": {"Data": RAW}}},
    )

    SESMailer("noreply@relay.example", None, client).send(RAW)


def _mailer(client: Any, **options: Any) -> SESMailer:
    """A mailer whose backoff sleeps are recorded, not slept, and always the longest."""
    return SESMailer("noreply@relay.example", None, client, jitter=lambda: 1.0, **options)


def _no_sleep(_: float) -> None:
    raise AssertionError("this failure must not be retried")


def _connect_timeout() -> ConnectTimeoutError:
    return ConnectTimeoutError(endpoint_url="https://email.example")


def _throttled() -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TooManyRequestsException", "Message": "slow down"},
            # What the adapters read of it (botocore's stubs want all five fields).
            "ResponseMetadata": {"HTTPStatusCode": 429},  # type: ignore[typeddict-item]
        },
        "SendEmail",
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class ScriptedSES:
    """An SES client whose SendEmail answers with its script: raising an exception, or
    returning a message id; each call may take time on a fake clock."""

    def __init__(
        self, *script: Exception | str, clock: FakeClock | None = None, seconds_per_call: float = 0
    ) -> None:
        self._script = list(script)
        self._clock = clock
        self._seconds_per_call = seconds_per_call
        self.started_at: list[float] = []

    @property
    def calls(self) -> int:
        return len(self.started_at)

    def send_email(self, **_: Any) -> dict[str, Any]:
        self.started_at.append(self._clock.now if self._clock else 0.0)
        if self._clock:
            self._clock.now += self._seconds_per_call
        outcome = self._script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return {"MessageId": outcome}


@pytest.mark.parametrize("code", sorted(CONTENT_REFUSALS))
def test_content_refusals_are_delivery_failed_and_not_retried(
    sesv2: tuple[Any, Stubber], code: str
) -> None:
    client, stubber = sesv2
    stubber.add_client_error(
        "send_email", service_error_code=code, service_message="secret detail", http_status_code=400
    )

    with pytest.raises(DeliveryFailed) as raised:
        _mailer(client, sleep=_no_sleep).send(RAW)
    assert raised.value.reason == code


# SendEmail's configuration errors (botocore's sesv2 model gives their statuses) and AWS's
# common permission errors: an operator must act, so neither the mailer nor the buyer retries.
@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("AccessDenied", 403),
        ("AccessDeniedException", 403),
        ("MailFromDomainNotVerifiedException", 400),
        ("NotFoundException", 404),
        ("AccountSuspendedException", 400),
        ("SendingPausedException", 400),
    ],
)
def test_configuration_faults_are_delivery_misconfigured_and_not_retried(
    sesv2: tuple[Any, Stubber], code: str, status: int
) -> None:
    client, stubber = sesv2
    stubber.add_client_error(
        "send_email", service_error_code=code, service_message="detail", http_status_code=status
    )

    with pytest.raises(DeliveryMisconfigured) as raised:
        _mailer(client, sleep=_no_sleep).send(RAW)
    assert raised.value.reason == code
    assert code in MISCONFIGURATIONS


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("LimitExceededException", 400),
        ("InternalFailure", 500),
        ("ServiceUnavailable", 503),
        ("SomethingNew", 500),
    ],
)
def test_other_failures_are_dependency_unavailable_and_not_retried(
    sesv2: tuple[Any, Stubber], code: str, status: int
) -> None:
    # A 5xx does not prove SES did not take the message: no retry of ours may repeat it.
    client, stubber = sesv2
    stubber.add_client_error("send_email", service_error_code=code, http_status_code=status)

    with pytest.raises(DependencyUnavailable) as raised:
        _mailer(client, sleep=_no_sleep).send(RAW)
    assert (raised.value.dependency, raised.value.reason) == ("ses", code)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("TooManyRequestsException", 429),
        ("ThrottlingException", 400),
        ("Throttling", 400),
        ("SomethingNew", 429),
    ],
)
def test_throttling_is_retried_up_to_the_attempt_budget_with_jittered_backoff(
    sesv2: tuple[Any, Stubber], code: str, status: int
) -> None:
    client, stubber = sesv2
    for _ in range(SEND_RETRIES.attempts):
        stubber.add_client_error("send_email", service_error_code=code, http_status_code=status)
    slept: list[float] = []

    with pytest.raises(DependencyUnavailable) as raised:
        _mailer(client, sleep=slept.append).send(RAW)

    assert (raised.value.dependency, raised.value.reason) == ("ses", code)
    # Every queued answer was used (the fixture checks) and no more: `attempts` calls in all.
    assert slept == [SEND_RETRIES.longest_backoff(r) for r in range(1, SEND_RETRIES.attempts)]
    assert all(0 < delay <= SEND_RETRIES.max_backoff_seconds for delay in slept)


def test_throttled_twice_then_accepted_is_sent(sesv2: tuple[Any, Stubber]) -> None:
    client, stubber = sesv2
    stubber.add_client_error(
        "send_email", service_error_code="TooManyRequestsException", http_status_code=429
    )
    stubber.add_client_error(
        "send_email", service_error_code="TooManyRequestsException", http_status_code=429
    )
    stubber.add_response("send_email", {"MessageId": "ses-3"})
    slept: list[float] = []

    assert _mailer(client, sleep=slept.append).send(RAW) == "ses-3"
    assert len(slept) == 2


@pytest.mark.parametrize(("jitter", "expected"), [(0.0, 0.0), (0.5, 0.025), (0.999, 0.04995)])
def test_the_backoff_is_full_jitter_up_to_the_longest(jitter: float, expected: float) -> None:
    client = ScriptedSES(_connect_timeout(), "ses-2")
    slept: list[float] = []
    mailer = SESMailer(
        "noreply@relay.example",
        None,
        client,  # type: ignore[arg-type]
        sleep=slept.append,
        jitter=lambda: jitter,
    )

    mailer.send(RAW)

    assert slept == [pytest.approx(expected)]


def test_a_read_timeout_is_unconfirmed_and_never_retried() -> None:
    # SES may have accepted the email before its answer was lost: sending again could repeat it.
    client = ScriptedSES(ReadTimeoutError(endpoint_url="https://email.example"), "ses-2")

    with pytest.raises(DeliveryUnconfirmed) as raised:
        _mailer(client, sleep=_no_sleep).send(RAW)

    assert client.calls == 1
    assert raised.value.reason == "ReadTimeoutError"


@pytest.mark.parametrize(
    "lost_answer",
    [
        ConnectionClosedError(endpoint_url="https://email.example"),
        HTTPClientError(error=OSError("reset")),
        SSLError(endpoint_url="https://email.example", error=OSError("bad record mac")),
    ],
)
def test_a_connection_lost_once_connected_is_unconfirmed_and_never_retried(
    lost_answer: Exception,
) -> None:
    client = ScriptedSES(lost_answer, "ses-2")

    with pytest.raises(DeliveryUnconfirmed):
        _mailer(client, sleep=_no_sleep).send(RAW)

    assert client.calls == 1


@pytest.mark.parametrize(
    "never_connected",
    [_connect_timeout(), EndpointConnectionError(endpoint_url="https://email.example")],
)
def test_a_connection_never_made_is_retried_and_the_send_goes_through(
    never_connected: Exception,
) -> None:
    client = ScriptedSES(never_connected, "ses-2")
    slept: list[float] = []

    assert _mailer(client, sleep=slept.append).send(RAW) == "ses-2"

    assert client.calls == 2
    assert slept == [SEND_RETRIES.first_backoff_seconds]


def test_connections_never_made_end_in_dependency_unavailable_after_the_attempt_budget() -> None:
    client = ScriptedSES(*[_connect_timeout() for _ in range(SEND_RETRIES.attempts + 1)])

    with pytest.raises(DependencyUnavailable) as raised:
        _mailer(client, sleep=lambda _: None).send(RAW)

    assert client.calls == SEND_RETRIES.attempts
    assert raised.value.reason == "ConnectTimeoutError"


def test_no_retry_starts_after_the_retry_window() -> None:
    # Given throttling answers that each take 1.5 s to come back
    clock = FakeClock()
    client = ScriptedSES(*[_throttled() for _ in range(3)], clock=clock, seconds_per_call=1.5)
    mailer = _mailer(client, sleep=clock.sleep, clock=clock)

    # When the mailer sends
    with pytest.raises(DependencyUnavailable):
        mailer.send(RAW)

    # Then the second attempt started inside the window, and no third began after it
    assert client.started_at == [0.0, pytest.approx(1.55)]
    assert clock.now <= SEND_RETRIES.retries_end_seconds + 1.5


def test_a_failure_before_any_request_is_dependency_unavailable_and_not_retried() -> None:
    client = ScriptedSES(NoCredentialsError(), "ses-2")

    with pytest.raises(DependencyUnavailable) as raised:
        _mailer(client, sleep=_no_sleep).send(RAW)

    assert client.calls == 1
    assert raised.value.reason == "NoCredentialsError"


def test_a_seller_item_is_read_with_a_projection(dynamodb: tuple[Any, Stubber]) -> None:
    client, stubber = dynamodb
    stubber.add_response(
        "get_item",
        {
            "Item": {
                "sellerId": {"S": "shop-1"},
                "displayName": {"S": "Shop One"},
                "replyToEmail": {"S": "cs@shop.example"},
                "status": {"S": "active"},
            }
        },
        {
            "TableName": "sellers",
            "Key": {"sellerId": {"S": "shop-1"}},
            "ProjectionExpression": "sellerId, displayName, replyToEmail, replyToStatus, #status",
            "ExpressionAttributeNames": {"#status": "status"},
        },
    )

    seller = DynamoDBSellerDirectory("sellers", client).find("shop-1")

    assert seller == Seller("shop-1", "Shop One", "cs@shop.example", "active")


def test_a_missing_seller_is_none_and_odd_attributes_read_as_absent(
    dynamodb: tuple[Any, Stubber],
) -> None:
    client, stubber = dynamodb
    stubber.add_response("get_item", {})
    stubber.add_response(
        "get_item", {"Item": {"sellerId": {"S": "shop-2"}, "replyToEmail": {"N": "5"}}}
    )
    directory = DynamoDBSellerDirectory("sellers", client)

    assert directory.find("nobody") is None
    assert directory.find("shop-2") == Seller("shop-2", "shop-2", None, "suspended")


def test_a_seller_item_without_a_reply_to_status_is_verified() -> None:
    # Items written before verification existed keep receiving messages.
    item = {"sellerId": {"S": "shop-4"}, "replyToEmail": {"S": "cs@shop.example"}}

    assert seller_from_item(item).reply_to_status == "verified"


@pytest.mark.parametrize("stored", ["verified", "pending", "bouncing"])
def test_a_seller_items_reply_to_status_is_read(stored: str) -> None:
    item = {"sellerId": {"S": "shop-4"}, "replyToStatus": {"S": stored}}

    assert seller_from_item(item).reply_to_status == stored


@pytest.mark.parametrize(
    "stored", [{"S": "Verified"}, {"S": ""}, {"S": "ok"}, {"BOOL": True}, {"NULL": True}]
)
def test_a_reply_to_status_that_is_none_of_the_three_is_not_verified(
    stored: dict[str, Any],
) -> None:
    item = {"sellerId": {"S": "shop-4"}, "replyToStatus": stored}

    assert seller_from_item(item).reply_to_status == "pending"


@pytest.mark.parametrize("stored", [{"S": "closed"}, {"S": ""}, {"S": "Active"}, {"BOOL": True}])
def test_a_seller_whose_status_is_not_active_reads_as_suspended(stored: dict[str, Any]) -> None:
    item = {"sellerId": {"S": "shop-3"}, "replyToEmail": {"S": "cs@shop.example"}}

    seller = seller_from_item({**item, "status": stored})

    assert seller.status == "suspended"


@pytest.mark.parametrize(
    "code",
    [
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
    ],
)
def test_dynamodb_failures_are_dependency_unavailable(
    dynamodb: tuple[Any, Stubber], code: str
) -> None:
    client, stubber = dynamodb
    stubber.add_client_error("get_item", service_error_code=code, http_status_code=400)
    stubber.add_client_error("put_item", service_error_code=code, http_status_code=400)

    with pytest.raises(DependencyUnavailable):
        DynamoDBSellerDirectory("sellers", client).find("shop-1")
    with pytest.raises(DependencyUnavailable):
        DynamoDBMessageLedger("messages", client).record(_record())


def test_a_message_row_carries_its_status_reason_and_ttl(dynamodb: tuple[Any, Stubber]) -> None:
    client, stubber = dynamodb
    stubber.add_response(
        "put_item",
        {},
        {
            "TableName": "messages",
            "Item": {
                "messageId": {"S": "msg-1"},
                "sellerId": {"S": "shop-1"},
                "topic": {"S": "shipping"},
                "buyerEmail": {"S": "hanako@example.com"},
                "status": {"S": "failed"},
                "createdAt": {"N": "1795000000"},
                "updatedAt": {"N": "1795000000"},
                "expiresAt": {"N": "1802776000"},
                "direction": {"S": "buyer_to_seller"},
                "failureReason": {"S": "MessageRejected"},
            },
        },
    )

    DynamoDBMessageLedger("messages", client).record(
        _record(status="failed", failure_reason="MessageRejected")
    )


@pytest.mark.parametrize(
    "timeout",
    [ConnectTimeoutError(endpoint_url="https://x"), ReadTimeoutError(endpoint_url="https://x")],
)
def test_dynamodb_timeouts_are_dependency_unavailable(timeout: Exception) -> None:
    class TimingOut:
        def get_item(self, **_: Any) -> Any:
            raise timeout

    with pytest.raises(DependencyUnavailable):
        DynamoDBSellerDirectory("sellers", TimingOut()).find("shop-1")  # type: ignore[arg-type]


def _record(**changes: Any) -> MessageRecord:
    values: dict[str, Any] = {
        "message_id": "msg-1",
        "seller_id": "shop-1",
        "topic": "shipping",
        "buyer_email": "hanako@example.com",
        "status": "sent",
        "created_at": 1795000000,
        "expires_at": 1802776000,
    }
    values.update(changes)
    return MessageRecord(**values)


def test_a_messages_progress_is_read_with_a_projection_that_leaves_the_buyer_out(
    dynamodb: tuple[Any, Stubber],
) -> None:
    client, stubber = dynamodb
    stubber.add_response(
        "get_item",
        {
            "Item": {
                "messageId": {"S": "m-1"},
                "status": {"S": "delivered"},
                "topic": {"S": "shipping"},
                "createdAt": {"N": "1000"},
                "updatedAt": {"N": "1004"},
                "expiresAt": {"N": "9000"},
            }
        },
        {
            "TableName": "messages",
            "Key": {"messageId": {"S": "m-1"}},
            "ProjectionExpression": "messageId, #status, topic, createdAt, updatedAt, expiresAt",
            "ExpressionAttributeNames": {"#status": "status"},
        },
    )
    ledger = DynamoDBMessageLedger("messages", client, clock=lambda: 2000.0)

    assert ledger.progress("m-1") == MessageProgress("m-1", "delivered", "shipping", 1000, 1004)


_ROW = {
    "messageId": {"S": "m-1"},
    "status": {"S": "sent"},
    "topic": {"S": "other"},
    "createdAt": {"N": "1000"},
    "expiresAt": {"N": "9000"},
}


def test_a_row_written_before_rows_had_updated_at_was_updated_when_created() -> None:
    assert progress_from_item(_ROW, now=2000) == MessageProgress("m-1", "sent", "other", 1000, 1000)


@pytest.mark.parametrize(
    "changes",
    [
        {"expiresAt": {"N": "2000"}},  # expired; TTL has not deleted it yet
        {"status": {"S": "lost"}},
        {"topic": {"S": "gossip"}},
        {"createdAt": {"S": "yesterday"}},
    ],
)
def test_an_expired_or_unreadable_row_is_no_message(changes: dict[str, Any]) -> None:
    assert progress_from_item({**_ROW, **changes}, now=2000) is None
