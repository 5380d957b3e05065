"""Adapters translate AWS failures into domain errors by code: botocore Stubber, exact params."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError
from botocore.stub import Stubber

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_messages import DynamoDBMessageLedger
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.errors import DeliveryFailed, DependencyUnavailable
from contact_relay.ports import MessageRecord, Seller

RAW = b"From: x@relay.example\r\n\r\nhello\r\n"


def _stubbed(service: str) -> Iterator[tuple[Any, Stubber]]:
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


@pytest.mark.parametrize(
    "code",
    [
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "NotFoundException",
        "BadRequestException",
    ],
)
def test_permanent_ses_refusals_are_delivery_failed(sesv2: tuple[Any, Stubber], code: str) -> None:
    client, stubber = sesv2
    stubber.add_client_error(
        "send_email", service_error_code=code, service_message="secret detail", http_status_code=400
    )

    with pytest.raises(DeliveryFailed) as raised:
        SESMailer("noreply@relay.example", None, client).send(RAW)
    assert raised.value.reason == code


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("TooManyRequestsException", 429),
        ("LimitExceededException", 400),
        ("SendingPausedException", 400),
        ("InternalFailure", 500),
        ("ServiceUnavailable", 503),
    ],
)
def test_transient_ses_failures_are_dependency_unavailable(
    sesv2: tuple[Any, Stubber], code: str, status: int
) -> None:
    client, stubber = sesv2
    stubber.add_client_error("send_email", service_error_code=code, http_status_code=status)

    with pytest.raises(DependencyUnavailable) as raised:
        SESMailer("noreply@relay.example", None, client).send(RAW)
    assert (raised.value.dependency, raised.value.reason) == ("ses", code)


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
            "ProjectionExpression": "sellerId, displayName, replyToEmail, #status",
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
                "expiresAt": {"N": "1802776000"},
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
def test_timeouts_are_dependency_unavailable(timeout: Exception) -> None:
    class TimingOut:
        def send_email(self, **_: Any) -> Any:
            raise timeout

        def get_item(self, **_: Any) -> Any:
            raise timeout

    with pytest.raises(DependencyUnavailable):
        SESMailer("noreply@relay.example", None, TimingOut()).send(RAW)  # type: ignore[arg-type]
    with pytest.raises(DependencyUnavailable):
        DynamoDBSellerDirectory("sellers", TimingOut()).find("shop-1")  # type: ignore[arg-type]


def test_retries_are_bounded_in_standard_mode() -> None:
    client = boto3.client(
        "sesv2",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=AWS_CLIENT_CONFIG,
    )
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert AWS_CLIENT_CONFIG.connect_timeout <= 5 and AWS_CLIENT_CONFIG.read_timeout <= 10


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
