"""Fixtures: the environment, and AWS under moto with tables built from template.yaml."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from contact_relay.handlers import contact
from contact_relay_local.template_tables import create_tables
from tests.support import SENDER, TEST_ENVIRONMENT, FakeLambdaContext, parse_mime

DEMO_SELLERS = (
    Path(__file__).resolve().parent.parent / "local/contact_relay_local/demo_sellers.json"
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return dict(TEST_ENVIRONMENT)


@dataclass
class MotoAWS:
    dynamodb: Any
    sesv2: Any

    def sent_emails(self) -> list[Message]:
        backend = ses_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]]
        return [parse_mime(message.raw_data) for message in backend.sent_messages]

    def sent_raw(self) -> list[Any]:
        backend = ses_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]]
        return list(backend.sent_messages)

    def message_rows(self) -> list[dict[str, Any]]:
        items = self.dynamodb.scan(TableName=TEST_ENVIRONMENT["MESSAGES_TABLE"])["Items"]
        return [{key: next(iter(value.values())) for key, value in item.items()} for item in items]

    def put_seller(self, item: dict[str, str]) -> None:
        self.dynamodb.put_item(
            TableName=TEST_ENVIRONMENT["SELLERS_TABLE"],
            Item={key: {"S": value} for key, value in item.items()},
        )


@pytest.fixture
def aws(environment: dict[str, str]) -> Iterator[MotoAWS]:
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        sesv2 = boto3.client("sesv2")
        create_tables(
            dynamodb,
            {
                "SellersTable": environment["SELLERS_TABLE"],
                "MessagesTable": environment["MESSAGES_TABLE"],
                "IdempotencyTable": environment["IDEMPOTENCY_TABLE"],
                "RateLimitTable": environment["RATE_LIMIT_TABLE"],
            },
        )
        sesv2.create_email_identity(EmailIdentity=SENDER)
        moto = MotoAWS(dynamodb, sesv2)
        for seller in json.loads(DEMO_SELLERS.read_text(encoding="utf-8")):
            moto.put_seller(seller)
        contact.reset_for_tests()
        yield moto
        contact.reset_for_tests()


@pytest.fixture
def invoke(aws: MotoAWS) -> Any:
    """Call the deployed entry point, exactly as API Gateway would."""

    def call(event: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = contact.lambda_handler(event, FakeLambdaContext())
        return response

    return call
