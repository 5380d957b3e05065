"""The local stack over HTTP, as a storefront page would use it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from contact_relay.conversations import ALIAS_PATTERN
from contact_relay.handlers.routes import ROUTES
from contact_relay_local.running_stack import RunningStack

pytestmark = pytest.mark.e2e

BUYER = {"name": "Hanako Yamada", "email": "hanako@example.com"}
SUBJECTS = {
    "product-details": "Product details inquiry from Amazon customer",
    "shipping": "Shipping inquiry from Amazon customer",
    "returns-policy": "Return policy inquiry from Amazon customer",
    "other": "Inquiry from Amazon customer",
}


def test_the_stack_announces_its_url(stack: RunningStack) -> None:
    assert f"ready on {stack.url}/" in stack.ready_line


def test_topics_are_served_for_the_form(stack: RunningStack) -> None:
    response = stack.request("GET", "/topics")

    assert response.status == 200
    topics = response.json()["topics"]
    assert {topic["id"]: topic["subject"] for topic in topics} == SUBJECTS


@pytest.mark.parametrize("topic", sorted(SUBJECTS))
def test_each_topic_reaches_the_outbox_reduced(stack: RunningStack, topic: str) -> None:
    before = len(stack.outbox())
    message = f"About {topic}: is it <b>in stock</b>? See https://phish.example/{topic}"

    response = stack.request(
        "POST",
        "/sellers/example-store/messages",
        {"topic": topic, "message": message, "buyer": BUYER, "orderId": "503-1234567-1234567"},
    )

    assert response.status == 201, response.body
    assert response.headers["Content-Type"] == "application/json"
    outbox = stack.outbox()
    assert len(outbox) == before + 1
    email = outbox[-1]
    assert email["from"] == '"Amazon Messaging" <noreply@relay.example>'
    assert email["to"] == ["cs@example-store.example"]
    # The stack runs the two-way relay: the seller replies to the pair's buyer alias.
    [reply_to] = email["replyTo"]
    assert re.fullmatch(ALIAS_PATTERN[1:-1] + r"@reply\.localhost", reply_to)
    assert "hanako@example.com" not in json.dumps(email).lower()
    assert email["subject"] == SUBJECTS[topic]
    assert f"About {topic}: is it in stock? See [link removed]" in email["body"]
    assert "Order ID: 503-1234567-1234567" in email["body"]
    assert response.json()["messageId"] in email["body"]


def test_a_form_can_ask_about_the_seller_and_then_about_its_message(
    stack: RunningStack,
) -> None:
    seller = stack.request("GET", "/sellers/tokyo-tea")
    no_inbox = stack.request("GET", "/sellers/no-inbox-store")
    sent = stack.request(
        "POST",
        "/sellers/tokyo-tea/messages",
        {"topic": "shipping", "message": "When will it ship?", "buyer": BUYER},
    ).json()

    message = stack.request("GET", f"/messages/{sent['messageId']}")

    assert seller.json() == {
        "sellerId": "tokyo-tea",
        "displayName": "東京ティーハウス",
        "accepting": True,
    }
    assert no_inbox.json()["accepting"] is False
    assert message.status == 200
    assert message.json()["messageId"] == sent["messageId"]
    assert message.json()["topic"] == "shipping"
    assert b"@" not in seller.body + no_inbox.body + message.body


def test_non_ascii_text_arrives_decoded(stack: RunningStack) -> None:
    response = stack.request(
        "POST",
        "/sellers/tokyo-tea/messages",
        {
            "topic": "other",
            "message": "抹茶は何グラムですか？🍵",
            "buyer": {"name": "山田 花子", "email": "hanako@example.jp"},
        },
    )

    assert response.status == 201
    assert response.json()["confirmation"].startswith("Your message was sent to 東京ティーハウス.")
    email = stack.outbox()[-1]
    assert email["to"] == ["support@tokyo-tea.example"]
    assert "抹茶は何グラムですか？🍵" in email["body"]
    assert "山田 花子" in email["body"]


ERRORS = [
    ("POST", "/sellers/example-store/messages", b'{"topic": ', {}, 400, "invalid_json"),
    (
        "POST",
        "/sellers/nobody/messages",
        {"topic": "other", "message": "hi", "buyer": BUYER},
        {},
        404,
        "seller_not_found",
    ),
    (
        "POST",
        "/sellers/closed-shop/messages",
        {"topic": "other", "message": "hi", "buyer": BUYER},
        {},
        404,
        "seller_not_found",
    ),
    ("GET", "/no/such/route", None, {}, 404, "not_found"),
    ("DELETE", "/topics", None, {}, 405, "method_not_allowed"),
    (
        "POST",
        "/sellers/no-inbox-store/messages",
        {"topic": "other", "message": "hi", "buyer": BUYER},
        {},
        409,
        "seller_unavailable",
    ),
    (
        "POST",
        "/sellers/example-store/messages",
        {"topic": "other", "message": "x" * 40_000, "buyer": BUYER},
        {},
        413,
        "payload_too_large",
    ),
    (
        "POST",
        "/sellers/example-store/messages",
        b"topic=other",
        {"Content-Type": "application/x-www-form-urlencoded"},
        415,
        "unsupported_media_type",
    ),
    (
        "POST",
        "/sellers/example-store/messages",
        {"topic": "refund", "message": "hi", "buyer": BUYER},
        {},
        422,
        "validation_failed",
    ),
    (
        "POST",
        "/sellers/example-store/messages",
        {
            "topic": "other",
            "message": "hi",
            "buyer": {"name": "Eve\r\nBcc: x@evil.example", "email": "e@example.com"},
        },
        {},
        422,
        "validation_failed",
    ),
    (
        "POST",
        "/sellers/example-store/messages",
        {"topic": "other", "message": "<script>x</script>", "buyer": BUYER},
        {},
        422,
        "message_empty",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "code"), ERRORS)
def test_each_error_status_comes_back_in_the_envelope_and_sends_nothing(
    stack: RunningStack,
    method: str,
    path: str,
    body: object,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = len(stack.outbox())

    response = stack.request(method, path, body, headers)

    assert response.status == status, response.body
    assert response.json()["error"]["code"] == code
    assert len(stack.outbox()) == before


def test_an_idempotency_key_sends_once_over_http(stack: RunningStack) -> None:
    before = len(stack.outbox())
    body = {"topic": "shipping", "message": "Only once, please", "buyer": BUYER}
    headers = {"Idempotency-Key": "e2e-once-0001"}

    first = stack.request("POST", "/sellers/example-store/messages", body, headers)
    second = stack.request("POST", "/sellers/example-store/messages", body, headers)

    assert first.status == second.status == 201
    assert first.json()["messageId"] == second.json()["messageId"]
    assert len(stack.outbox()) == before + 1


def test_the_demo_page_and_the_openapi_document_are_served(stack: RunningStack) -> None:
    page = stack.request("GET", "/")
    document = stack.request("GET", "/openapi.json")

    assert page.status == 200 and b'<label for="topic">Topic</label>' in page.body
    assert b'content="example-store"' in page.body
    assert document.status == 200
    assert set(document.json()["paths"]) == {route.resource for route in ROUTES}


def test_environment_variables_apply_and_sellers_load_from_a_file(tmp_path: Path) -> None:
    sellers = tmp_path / "sellers.json"
    sellers.write_text(
        json.dumps(
            [
                {
                    "sellerId": "my-shop",
                    "displayName": "My Shop",
                    "replyToEmail": "me@my-shop.example",
                    "status": "active",
                }
            ]
        )
    )
    stack = RunningStack(
        {
            "LINK_POLICY": "reject",
            "MARKETPLACE_NAME": "Example Mall",
            "RATE_LIMIT_BUYER_PER_HOUR": "1",
        },
        ["--sellers", str(sellers)],
    )
    try:
        refused = stack.request(
            "POST",
            "/sellers/my-shop/messages",
            {"topic": "other", "message": "see www.example.com", "buyer": BUYER},
        )
        accepted = stack.request(
            "POST",
            "/sellers/my-shop/messages",
            {"topic": "other", "message": "hello", "buyer": BUYER},
        )
        limited = stack.request(
            "POST",
            "/sellers/my-shop/messages",
            {"topic": "other", "message": "again", "buyer": BUYER},
        )
        other_buyer = {"name": "Taro", "email": "taro@example.com"}
        demo_seller = stack.request(
            "POST",
            "/sellers/example-store/messages",
            {"topic": "other", "message": "hello", "buyer": other_buyer},
        )
    finally:
        assert stack.stop() == 0

    assert refused.status == 422 and refused.json()["error"]["code"] == "links_not_allowed"
    assert (
        accepted.status == 201
        and accepted.json()["subject"] == "Inquiry from Example Mall customer"
    )
    # The accepted message used up this buyer's one an hour (the refused one did not count).
    assert limited.status == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert demo_seller.status == 404
    assert "contact-relay dev: stopped" in stack.output
    assert "POST /sellers/my-shop/messages 201" in stack.output


# What the stack prints for each request: method, path, status, reason, time, and notes.
REQUEST_LINE = re.compile(r"^[A-Z-]+ \S+ \d{3} [A-Za-z -]* \d+\.\d ms( \(.+\))*$")


def test_by_default_the_stack_prints_one_line_per_request_and_nothing_else(
    stack: RunningStack,
) -> None:
    # A request of its own marks where this test's lines start.
    stack.request("GET", "/quiet-check-start")
    assert stack.wait_for_lines("GET /quiet-check-start 404", 1)
    stack.cold_start()
    stack.request("GET", "/topics")
    stack.request(
        "POST",
        "/sellers/example-store/messages",
        {"topic": "other", "message": "hello <b>there</b>", "buyer": BUYER},
        headers={"Idempotency-Key": "quiet-1"},
    )
    stack.request("GET", "/quiet-check-end")
    assert stack.wait_for_lines("GET /quiet-check-end 404", 1)
    printed = stack.printed().splitlines()
    lines = printed[printed.index(stack.lines_with("/quiet-check-start")[0].rstrip("\n")) + 1 :]

    # No EMF ColdStart line, no Powertools warning, no function log: the requests alone.
    assert len(lines) == 4, lines
    assert all(REQUEST_LINE.match(line) for line in lines), lines
    assert "(cold start, init" in lines[1]


def test_verbose_adds_what_the_function_prints() -> None:
    stack = RunningStack(arguments=["--verbose"])
    try:
        stack.request("GET", "/topics")
        emf = stack.wait_for_lines('"ColdStart"', 1)
        warning = stack.wait_for_lines("UserWarning", 1)
    finally:
        assert stack.stop() == 0

    assert emf and warning
