"""The two-way relay's contact side through `contact-relay dev`: the seller's email in the outbox
replies to the pair's buyer alias at reply.localhost, and its stop link works over HTTP, as a
person's browser opens it (GET: a page with one button) and presses the button (POST)."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest

from contact_relay.conversations import ALIAS_PATTERN
from contact_relay_local.relay_defaults import RELAY_DEFAULTS
from contact_relay_local.running_stack import RunningStack

pytestmark = pytest.mark.e2e

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def write(stack: RunningStack, buyer_email: str, message: str) -> dict[str, Any]:
    response = stack.request(
        "POST",
        "/sellers/example-store/messages",
        {
            "topic": "shipping",
            "message": message,
            "buyer": {"name": "Taro Suzuki", "email": buyer_email},
        },
    )
    assert response.status == 201, response.body
    email: dict[str, Any] = stack.outbox()[-1]
    return email


def test_the_seller_replies_to_the_buyer_alias_and_the_stop_link_stops_it(
    stack: RunningStack,
) -> None:
    first = write(stack, "t.suzuki.e2e@example.net", "Is the blue one in stock?")
    second = write(stack, "T.Suzuki.E2E@Example.NET", "And the red one?")

    [alias] = first["replyTo"]
    assert re.fullmatch(ALIAS_PATTERN[1:-1] + r"@reply\.localhost", alias)
    assert second["replyTo"] == [alias], "one conversation for the pair, in any letter case"
    for email in (first, second):
        assert "suzuki.e2e" not in str(email).lower()
    [path] = re.findall(
        re.escape(stack.url) + r"(/stop/[0-9a-f]{64}\.[0-9a-f]{64})\s", first["body"]
    )

    page = stack.request("GET", path)
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.body.count(b"<button") == 1
    still_open = write(stack, "t.suzuki.e2e@example.net", "Opening the link stopped nothing?")
    assert still_open["replyTo"] == [alias]

    stopped = stack.request("POST", path, b"", FORM)
    again = stack.request("POST", path, b"", FORM)
    assert (stopped.status, again.status) == (200, 200)
    assert b"This conversation is stopped" in stopped.body

    after = write(stack, "t.suzuki.e2e@example.net", "Hello?")
    assert after["replyTo"] == []
    assert "does not reach the buyer" in after["body"]
    assert "/stop/" not in after["body"]


def test_the_stack_s_ses_knows_the_reply_domain_and_its_table_keeps_conversations(
    stack: RunningStack,
) -> None:
    write(stack, "k.sato.e2e@example.net", "Do you ship to Osaka?")
    match = re.search(r"moto at (http://[0-9.:]+)", stack.wait_for_lines("moto at", 1, 1)[0])
    assert match, stack.printed()
    url, region = match.group(1), RELAY_DEFAULTS["AWS_DEFAULT_REGION"]
    sesv2 = boto3.client(
        "sesv2",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )

    identities = sesv2.list_email_identities()["EmailIdentities"]
    items = dynamodb.scan(TableName=RELAY_DEFAULTS["CONVERSATIONS_TABLE"])["Items"]

    assert "reply.localhost" in {identity["IdentityName"] for identity in identities}
    assert "k.sato.e2e@example.net" in {item["buyerEmail"]["S"] for item in items}


def test_a_forged_stop_link_is_a_page_saying_it_does_not_work(stack: RunningStack) -> None:
    response = stack.request("POST", f"/stop/{'a' * 64}.{'0' * 64}", b"", FORM)

    assert response.status == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"does not work" in response.body
