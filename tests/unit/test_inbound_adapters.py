"""The inbound function's adapters under moto: the raw message from S3, streamed and bounded,
and the relayed messages' rows, claimed once and settled only while unconfirmed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from moto import mock_aws

from contact_relay.adapters.dynamodb_relayed_messages import DynamoDBRelayedMessages
from contact_relay.adapters.s3_inbound import S3InboundMessages
from contact_relay.errors import (
    DependencyUnavailable,
    InboundMessageMissing,
    InboundMessageTooLarge,
)
from contact_relay.ports import MessageRecord
from contact_relay_local.template_tables import create_tables

BUCKET = "contact-relay-inbound-test"
TABLE = "contact-relay-messages"
RECORD = MessageRecord(
    message_id="8b5e0c4e-1f5a-5c1e-9d1b-2f1e8a7c6b5d",
    seller_id="example-store",
    topic="shipping",
    buyer_email="hanako@buyer.example",
    status="unconfirmed",
    created_at=1_700_000_000,
    expires_at=1_700_000_000 + 90 * 86400,
    direction="seller_to_buyer",
)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def table(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_tables(client, {"MessagesTable": TABLE})
    return client


def test_the_message_is_read_from_the_prefix_and_the_ses_message_id(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="inbound/ses-1", Body=b"From: a@b.example\r\n\r\nhi\r\n")
    store = S3InboundMessages(BUCKET, "inbound/", s3)
    with store.open("ses-1", max_bytes=1024) as stream:
        assert stream.read(4) == b"From"
        assert stream.read() == b": a@b.example\r\n\r\nhi\r\n"


def test_a_missing_message_is_missing(s3: Any) -> None:
    store = S3InboundMessages(BUCKET, "inbound/", s3)
    with pytest.raises(InboundMessageMissing), store.open("ses-none", max_bytes=1024):
        pass


def test_a_message_over_the_cap_is_refused_before_its_body_is_read(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="inbound/ses-big", Body=b"x" * 2048)
    store = S3InboundMessages(BUCKET, "inbound/", s3)
    with pytest.raises(InboundMessageTooLarge), store.open("ses-big", max_bytes=2047):
        pytest.fail("the body of a message over the cap must not be handed out")


def test_a_throttled_read_is_dependency_unavailable() -> None:
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        stubber.add_client_error("get_object", "SlowDown", http_status_code=503)
        store = S3InboundMessages(BUCKET, "inbound/", client)
        with pytest.raises(DependencyUnavailable), store.open("ses-1", max_bytes=1024):
            pass


def test_a_stream_that_breaks_off_is_dependency_unavailable(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="inbound/ses-1", Body=b"hello")
    store = S3InboundMessages(BUCKET, "inbound/", s3)
    with pytest.raises(DependencyUnavailable), store.open("ses-1", max_bytes=1024):
        raise ReadTimeoutError(endpoint_url="https://s3.example")


def item(client: Any) -> dict[str, Any]:
    found = client.get_item(TableName=TABLE, Key={"messageId": {"S": RECORD.message_id}})
    return {key: next(iter(value.values())) for key, value in found.get("Item", {}).items()}


def test_a_claim_writes_the_row_unconfirmed_once(table: Any) -> None:
    relayed = DynamoDBRelayedMessages(TABLE, table, clock=lambda: 1_700_000_001)
    assert relayed.claim(RECORD) is True
    assert relayed.claim(RECORD) is False
    row = item(table)
    assert (row["status"], row["direction"], row["buyerEmail"]) == (
        "unconfirmed",
        "seller_to_buyer",
        "hanako@buyer.example",
    )


def test_a_sent_claim_becomes_sent_with_the_ses_id(table: Any) -> None:
    relayed = DynamoDBRelayedMessages(TABLE, table, clock=lambda: 1_700_000_001)
    relayed.claim(RECORD)
    relayed.sent(RECORD.message_id, "ses-out-1")
    row = item(table)
    assert (row["status"], row["sesMessageId"], row["updatedAt"]) == (
        "sent",
        "ses-out-1",
        "1700000001",
    )


def test_a_failed_claim_becomes_failed_with_the_reason(table: Any) -> None:
    relayed = DynamoDBRelayedMessages(TABLE, table)
    relayed.claim(RECORD)
    relayed.failed(RECORD.message_id, "MessageRejected")
    row = item(table)
    assert (row["status"], row["failureReason"]) == ("failed", "MessageRejected")


def test_settling_never_undoes_what_ses_events_said(table: Any) -> None:
    relayed = DynamoDBRelayedMessages(TABLE, table)
    relayed.claim(RECORD)
    table.update_item(
        TableName=TABLE,
        Key={"messageId": {"S": RECORD.message_id}},
        UpdateExpression="SET #s = :d",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":d": {"S": "delivered"}},
    )
    relayed.sent(RECORD.message_id, "ses-out-1")
    relayed.release(RECORD.message_id)
    assert item(table)["status"] == "delivered"


def test_a_released_claim_can_be_claimed_again(table: Any) -> None:
    relayed = DynamoDBRelayedMessages(TABLE, table)
    relayed.claim(RECORD)
    relayed.release(RECORD.message_id)
    assert item(table) == {}
    assert relayed.claim(RECORD) is True


def test_a_throttled_claim_is_dependency_unavailable() -> None:
    client = boto3.client(
        "dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        stubber.add_client_error("put_item", "ProvisionedThroughputExceededException")
        with pytest.raises(DependencyUnavailable):
            DynamoDBRelayedMessages(TABLE, client).claim(RECORD)
