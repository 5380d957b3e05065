"""Fixtures: the environment, and AWS under moto with tables built from template.yaml."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from contact_relay.handlers import contact
from contact_relay.observability import logger
from contact_relay_local.stack import demo_sellers
from contact_relay_local.template_tables import create_tables
from tests.support import (
    EVENTS_DIR,
    SENDER,
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    create_test_secrets,
    parse_mime,
)

_EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _message_texts() -> set[str]:
    """Message texts the suite sends that are long enough to recognise in a log line."""
    events = [json.loads(path.read_text(encoding="utf-8")) for path in EVENTS_DIR.glob("*.json")]
    texts = {
        json.loads(event["body"]).get("message", "") for event in events if _is_json_object(event)
    }
    return {text for text in texts if len(text) > 12}


def _is_json_object(event: dict[str, Any]) -> bool:
    try:
        return isinstance(json.loads(event.get("body") or ""), dict)
    except ValueError:
        return False


@pytest.fixture(scope="session", autouse=True)
def log_audit() -> Iterator[list[str]]:
    """Every log record the suite produces, rendered as Lambda would print it; at the end, none
    may hold an email address or a message text."""
    rendered = io.StringIO()
    handler = logging.StreamHandler(rendered)
    handler.setFormatter(logger.registered_formatter)
    logging.getLogger(logger.name).addHandler(handler)
    lines: list[str] = []
    yield lines
    logging.getLogger(logger.name).removeHandler(handler)
    lines.extend(rendered.getvalue().splitlines())
    leaked_addresses = sorted({match for line in lines for match in _EMAIL_ADDRESS.findall(line)})
    assert leaked_addresses == [], f"email addresses in logs: {leaked_addresses[:5]}"
    leaked_texts = sorted(text for text in _message_texts() if any(text in line for line in lines))
    assert leaked_texts == [], f"message texts in logs: {leaked_texts[:3]}"


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
def aws(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoAWS]:
    with mock_aws():
        for name, arn in create_test_secrets(boto3.client("secretsmanager")).items():
            monkeypatch.setenv(name, arn)
        dynamodb = boto3.client("dynamodb")
        sesv2 = boto3.client("sesv2")
        create_tables(
            dynamodb,
            {
                "SellersTable": environment["SELLERS_TABLE"],
                "MessagesTable": environment["MESSAGES_TABLE"],
                "IdempotencyTable": environment["IDEMPOTENCY_TABLE"],
                "RateLimitTable": environment["RATE_LIMIT_TABLE"],
                "ConversationsTable": environment["CONVERSATIONS_TABLE"],
            },
        )
        sesv2.create_email_identity(EmailIdentity=SENDER)
        moto = MotoAWS(dynamodb, sesv2)
        for seller in demo_sellers():
            moto.put_seller(seller)
        contact.environments.start_cold()
        yield moto
        contact.environments.start_cold()


@pytest.fixture
def invoke(aws: MotoAWS) -> Any:
    """Call the deployed entry point, exactly as API Gateway would."""

    def call(event: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = contact.lambda_handler(event, FakeLambdaContext())
        return response

    return call
