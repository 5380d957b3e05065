"""The two-way relay's contact side through lambda_handler, with the real adapters against moto:
the raw email the seller gets holds no trace of the buyer's address, its Reply-To is the pair's
buyer alias, and the footer's stop link stops the conversation through the API."""

from __future__ import annotations

import re
from typing import Any

import pytest

from contact_relay.conversations import is_alias
from contact_relay.email_address import normalise_email_address
from contact_relay.handlers import contact
from tests.support import (
    TEST_ENVIRONMENT,
    body_of,
    contact_body,
    header,
    load_event,
    parse_mime,
    post_event,
    traces_of_address,
)

REPLY_DOMAIN = "reply.shop.example"
API_URL = "https://api.shop.example/v1"
TABLE = TEST_ENVIRONMENT["CONVERSATIONS_TABLE"]


@pytest.fixture
def conversations(aws: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REPLY_DOMAIN", REPLY_DOMAIN)
    monkeypatch.setenv("PUBLIC_API_URL", API_URL)
    contact.environments.start_cold()
    return aws


def stored(aws: Any) -> list[dict[str, Any]]:
    items = aws.dynamodb.scan(TableName=TABLE)["Items"]
    return [{key: next(iter(value.values())) for key, value in item.items()} for item in items]


def send(invoke: Any, buyer_email: str, **overrides: Any) -> dict[str, Any]:
    body = contact_body(
        buyer={"name": "Hanako Yamada", "email": buyer_email},
        orderId="503-1234567-1234567",
        **overrides,
    )
    response: dict[str, Any] = invoke(post_event(body))
    assert response["statusCode"] == 201, response["body"]
    return response


@pytest.mark.parametrize(
    "address",
    [
        "h.yamada.1987@example.com",
        "H.YAMADA.1987@EXAMPLE.COM",
        "Tanaka+Shop@Mail.Example.co.jp",
        "kunde.42@bücher.example",
        "kunde.43@xn--bcher-kva.example",
        "o'brien_{x}@sub.domain-with-dash.example",
    ],
)
def test_the_raw_email_the_seller_gets_holds_no_trace_of_the_buyer(
    address: str, conversations: Any, invoke: Any
) -> None:
    send(invoke, address)

    [raw] = conversations.sent_raw()
    data = raw.raw_data.encode("ascii")
    assert traces_of_address(data, address) == []
    assert traces_of_address(data, normalise_email_address(address)) == []
    [conversation] = stored(conversations)
    mail = parse_mime(data)
    assert mail["Reply-To"] == f"{conversation['buyerAlias']}@{REPLY_DOMAIN}"
    assert is_alias(conversation["buyerAlias"])
    # Where the address is kept: the conversation and the audit row, never the email.
    assert conversation["buyerEmail"] == normalise_email_address(address)
    [row] = conversations.message_rows()
    assert row["direction"] == "buyer_to_seller"


def test_the_pair_s_second_message_goes_to_the_same_alias(conversations: Any, invoke: Any) -> None:
    send(invoke, "hanako@example.com")
    send(invoke, "Hanako@Example.com", message="And the second parcel?")

    replies = {mail["Reply-To"] for mail in conversations.sent_emails()}
    assert len(conversations.sent_emails()) == 2
    assert len(replies) == 1
    assert len(stored(conversations)) == 1


def _stop_event(method: str, path: str) -> dict[str, Any]:
    """events/get-stop-page.json or post-stop.json, for the link at `path`."""
    event = load_event("post-stop" if method == "POST" else "get-stop-page")
    event["path"], event["pathParameters"] = path, {"token": path.rsplit("/", 1)[1]}
    return event


def test_the_footer_s_stop_link_stops_the_conversation_for_good(
    conversations: Any, invoke: Any
) -> None:
    send(invoke, "hanako@example.com")
    body = body_of(conversations.sent_emails()[0])
    [path] = re.findall(re.escape(API_URL) + r"(/stop/\S+)", body)

    page = invoke(_stop_event("GET", path))
    assert page["statusCode"] == 200 and page["body"].count("<button") == 1
    assert "stoppedAt" not in stored(conversations)[0]
    stop = invoke(_stop_event("POST", path))
    assert stop["statusCode"] == 200, stop["body"]
    assert header(stop, "Content-Type") == "text/html; charset=utf-8"
    stopped_at = stored(conversations)[0]["stoppedAt"]
    assert invoke(_stop_event("POST", path))["statusCode"] == 200
    assert stored(conversations)[0]["stoppedAt"] == stopped_at

    # The buyer writes again: the seller's email says replies go nowhere, and offers no alias.
    send(invoke, "hanako@example.com", message="Hello again")
    again = conversations.sent_emails()[1]
    assert again["Reply-To"] is None
    assert "does not reach the buyer" in body_of(again)
    assert "/stop/" not in body_of(again)
    assert stored(conversations)[0]["stoppedAt"] == stopped_at


def test_a_forged_stop_link_stops_nothing(conversations: Any, invoke: Any) -> None:
    send(invoke, "hanako@example.com")
    body = body_of(conversations.sent_emails()[0])
    [path] = re.findall(re.escape(API_URL) + r"(/stop/\S+)", body)
    forged = path[:-1] + ("0" if path[-1] != "0" else "1")

    response = invoke(_stop_event("POST", forged))

    assert response["statusCode"] == 404
    assert "stoppedAt" not in stored(conversations)[0]


def test_without_a_reply_domain_the_email_is_as_before(aws: Any, invoke: Any) -> None:
    send(invoke, "hanako@example.com")

    [mail] = aws.sent_emails()
    assert mail["Reply-To"] == "hanako@example.com"
    assert "/stop/" not in body_of(mail)
    assert aws.dynamodb.scan(TableName=TABLE)["Items"] == []
