"""The local stack's SES event publishing, over HTTP: each email's events reach the real delivery
events function, which moves the message's status and marks a bouncing seller."""

from __future__ import annotations

import re
import time
from typing import Any

import boto3
import pytest

from contact_relay_local.relay_defaults import RELAY_DEFAULTS
from contact_relay_local.running_stack import RunningStack

pytestmark = pytest.mark.e2e


def moto(stack: RunningStack) -> Any:
    """A DynamoDB client on the stack's moto, whose address its banner prints."""
    match = re.search(r"moto at (http://[0-9.:]+)", stack.wait_for_lines("moto at", 1, 1)[0])
    assert match, stack.printed()
    return boto3.client(
        "dynamodb",
        endpoint_url=match.group(1),
        region_name=RELAY_DEFAULTS["AWS_DEFAULT_REGION"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def send(stack: RunningStack, seller_id: str, text: str) -> Any:
    return stack.request(
        "POST",
        f"/sellers/{seller_id}/messages",
        {
            "topic": "shipping",
            "message": text,
            "buyer": {"name": "Hanako", "email": "hanako@example.com"},
        },
    )


def item(client: Any, table: str, key: str, value: str) -> dict[str, Any]:
    answer = client.get_item(TableName=RELAY_DEFAULTS[table], Key={key: {"S": value}})
    return {name: next(iter(v.values())) for name, v in answer.get("Item", {}).items()}


def eventually(read: Any, expected: Any, timeout: float = 15) -> Any:
    """What `read()` returns once it equals `expected`, or at the deadline."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


@pytest.fixture(scope="module")
def events_stack() -> Any:
    # --verbose: the stack then prints a line for each SES event it hands the function.
    running = RunningStack(arguments=["--verbose"])
    yield running
    assert running.stop() == 0


def put_seller(client: Any, seller_id: str, address: str) -> None:
    client.put_item(
        TableName=RELAY_DEFAULTS["SELLERS_TABLE"],
        Item={
            "sellerId": {"S": seller_id},
            "displayName": {"S": seller_id},
            "replyToEmail": {"S": address},
            "status": {"S": "active"},
        },
    )


def message_status(stack: RunningStack, message_id: str) -> Any:
    """What the buyer's page reads: GET /messages/{messageId}."""
    answer = stack.request("GET", f"/messages/{message_id}")
    return answer.json().get("status") if answer.status == 200 else answer.status


def test_the_bouncing_demo_seller_shows_the_whole_loop(events_stack: RunningStack) -> None:
    client = moto(events_stack)
    assert events_stack.request("GET", "/sellers/bouncing-store").json()["accepting"] is True

    # Given the demo seller whose address is SES's bounce simulator: the first message is sent
    first = send(events_stack, "bouncing-store", "Is the teapot in stock?")
    assert first.status == 201, first.body
    assert first.json()["status"] == "sent"
    message_id = first.json()["messageId"]

    # Then SES's permanent bounce marks the message bounced and the seller bouncing
    assert eventually(lambda: message_status(events_stack, message_id), "bounced") == "bounced"
    reason = eventually(
        lambda: item(client, "SELLERS_TABLE", "sellerId", "bouncing-store").get("replyToStatus"),
        "bouncing",
    )
    assert reason == "bouncing"
    seller = item(client, "SELLERS_TABLE", "sellerId", "bouncing-store")
    assert seller["replyToStatusReason"] == "permanent_bounce:General"
    lines = events_stack.wait_for_lines("SES Email Bounced -> DeliveryEventsFunction: changed", 1)
    assert lines, events_stack.printed()

    # And the seller takes no more messages: nothing more is sent to the bouncing address
    emails = len(events_stack.outbox())
    second = send(events_stack, "bouncing-store", "Hello again?")
    assert second.status == 409
    assert second.json()["error"]["code"] == "seller_unavailable"
    assert len(events_stack.outbox()) == emails
    assert events_stack.request("GET", "/sellers/bouncing-store").json()["accepting"] is False


@pytest.mark.parametrize(
    ("address", "expected_status", "seller_status"),
    [
        ("cs@ordinary-shop.example", "delivered", None),
        ("success@simulator.amazonses.com", "delivered", None),
        ("ooto@simulator.amazonses.com", "delivered", None),
        ("complaint@simulator.amazonses.com", "complained", "complaint"),
        ("suppressionlist@simulator.amazonses.com", "bounced", "permanent_bounce:Suppressed"),
        ("bounce+label@simulator.amazonses.com", "bounced", "permanent_bounce:General"),
    ],
)
def test_each_recipient_gets_the_events_ses_documents(
    events_stack: RunningStack, address: str, expected_status: str, seller_status: str | None
) -> None:
    client = moto(events_stack)
    seller_id = "shop-" + re.sub(r"[^a-z0-9]", "-", address.split("@", maxsplit=1)[0])
    put_seller(client, seller_id, address)

    sent = send(events_stack, seller_id, f"A question for {seller_id}")
    assert sent.status == 201, sent.body

    message_id = sent.json()["messageId"]
    status = eventually(lambda: message_status(events_stack, message_id), expected_status)
    assert status == expected_status
    # The same invocation marks the seller just after the message: read once it is done.
    reason = eventually(
        lambda: item(client, "SELLERS_TABLE", "sellerId", seller_id).get("replyToStatusReason"),
        seller_status,
        timeout=15 if seller_status else 1,
    )
    assert reason == seller_status


def test_the_outbox_keeps_its_format(events_stack: RunningStack) -> None:
    assert send(events_stack, "example-store", "Does the outbox change?").status == 201

    [*_, last] = events_stack.outbox()

    assert set(last) == {"from", "to", "replyTo", "subject", "body"}
