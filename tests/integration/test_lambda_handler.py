"""lambda_handler with the real adapters against moto: what a seller receives, byte for byte."""

from __future__ import annotations

import io
import json
import logging
import os
import time
from typing import Any

import pytest

from contact_relay.environment_variables import ConfigurationError
from contact_relay.handlers import contact
from contact_relay.observability import logger
from tests.support import (
    SENDER,
    FakeLambdaContext,
    body_of,
    contact_body,
    header,
    load_event,
    post_event,
    response_json,
    with_header,
)

SUBJECTS = {
    "post-product-details": ("product-details", "Product details inquiry from Amazon customer"),
    "post-shipping": ("shipping", "Shipping inquiry from Amazon customer"),
    "post-returns-policy": ("returns-policy", "Return policy inquiry from Amazon customer"),
    "post-other": ("other", "Inquiry from Amazon customer"),
}


@pytest.mark.parametrize("event_name", sorted(SUBJECTS))
def test_each_topic_sends_one_plain_text_email_with_its_subject(
    event_name: str, invoke: Any, aws: Any
) -> None:
    # Given a buyer's request for one topic
    event = load_event(event_name)
    request = json.loads(event["body"])
    topic, subject = SUBJECTS[event_name]

    # When it reaches the Lambda
    response = invoke(event)

    # Then the buyer is told it went out
    assert response["statusCode"] == 201, response["body"]
    body = response_json(response)
    assert body["status"] == "sent"
    assert body["topic"] == topic
    assert body["subject"] == subject
    assert (
        body["confirmation"]
        == "Your message was sent to Example Store. The seller will contact you shortly."
    )

    # And the seller gets exactly one email, to them alone, replying to the buyer
    [raw] = aws.sent_raw()
    assert raw.destinations == ["cs@example-store.example"]
    [mail] = aws.sent_emails()
    assert mail["To"] == "cs@example-store.example"
    assert mail["Reply-To"] == request["buyer"]["email"]
    [sender] = mail["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Amazon Messaging", SENDER)
    assert f'From: "Amazon Messaging" <{SENDER}>' in raw.raw_data
    assert mail["Subject"] == subject
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].startswith("<") and body["messageId"] in mail["Message-ID"]
    assert "Cc" not in mail and "Bcc" not in mail

    # As a single text/plain UTF-8 part whose header lines are all ASCII
    assert not mail.is_multipart()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    header_block = raw.raw_data.split("\r\n\r\n", 1)[0]
    assert header_block.isascii()
    text = body_of(mail)
    assert request["buyer"]["name"] in text
    assert body["messageId"] in text
    if "orderId" in request:
        assert f"Order ID: {request['orderId']}" in text


def test_markup_and_links_are_reduced_and_reported(invoke: Any, aws: Any) -> None:
    response = invoke(load_event("post-product-details"))

    assert response_json(response)["removed"] == {"links": 1, "markup": True}
    text = body_of(aws.sent_emails()[0])
    assert "Is the blue kettle dishwasher safe? I saw it on [link removed]" in text
    assert "www.example.com" not in text and "<b>" not in text


def test_non_ascii_name_and_marketplace_are_encoded_by_the_library(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARKETPLACE_NAME", "アマゾン")
    response = invoke(load_event("post-returns-policy"))

    assert response["statusCode"] == 201
    [raw] = aws.sent_raw()
    assert "=?utf-8?" in raw.raw_data.split("\r\n\r\n", 1)[0]
    [mail] = aws.sent_emails()
    assert mail["Subject"] == "Return policy inquiry from アマゾン customer"
    assert mail["From"].addresses[0].display_name == "アマゾン Messaging"
    assert "山田 花子" in body_of(mail)


def test_the_message_row_is_kept_with_its_ttl_and_ses_id(invoke: Any, aws: Any) -> None:
    body = response_json(invoke(load_event("post-shipping")))

    [row] = aws.message_rows()
    assert row["messageId"] == body["messageId"]
    assert row["sellerId"] == "example-store"
    assert row["topic"] == "shipping"
    assert row["status"] == "sent"
    assert row["buyerEmail"] == "hanako@example.com"
    assert row["sesMessageId"]
    retention = int(row["expiresAt"]) - int(row["createdAt"])
    assert retention == 90 * 24 * 60 * 60


# Mutant (make mutate): the wiring left the retention setting out of the relay's policy, so each
# row was kept the default 90 days whatever MESSAGE_RETENTION_DAYS said.
def test_the_message_row_is_kept_as_long_as_the_retention_setting_says(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MESSAGE_RETENTION_DAYS", "30")

    assert invoke(load_event("post-shipping"))["statusCode"] == 201

    [row] = aws.message_rows()
    assert int(row["expiresAt"]) - int(row["createdAt"]) == 30 * 24 * 60 * 60


def test_get_topics_lists_the_four_topics_in_order(invoke: Any) -> None:
    response = invoke(load_event("get-topics"))

    assert response["statusCode"] == 200
    assert [topic["id"] for topic in response_json(response)["topics"]] == [
        "product-details",
        "shipping",
        "returns-policy",
        "other",
    ]


BAD_EVENTS = {
    "bad-invalid-json": (400, "invalid_json"),
    "bad-unsupported-media-type": (415, "unsupported_media_type"),
    "bad-crlf-in-name": (422, "validation_failed"),
    "bad-unknown-topic": (422, "validation_failed"),
    "bad-message-only-markup": (422, "message_empty"),
    "bad-unknown-seller": (404, "seller_not_found"),
    "bad-suspended-seller": (404, "seller_not_found"),
    "bad-seller-without-inbox": (409, "seller_unavailable"),
    "bad-unknown-route": (404, "not_found"),
    "bad-wrong-method": (405, "method_not_allowed"),
}


@pytest.mark.parametrize("event_name", sorted(BAD_EVENTS))
def test_bad_requests_get_their_error_and_send_nothing(
    event_name: str, invoke: Any, aws: Any
) -> None:
    status, code = BAD_EVENTS[event_name]

    response = invoke(load_event(event_name))

    assert response["statusCode"] == status, response["body"]
    assert header(response, "Content-Type") == "application/json"
    assert response_json(response)["error"]["code"] == code
    assert aws.sent_raw() == []
    assert aws.message_rows() == []


def test_a_crlf_header_injection_names_the_field_and_does_not_echo_it(invoke: Any) -> None:
    response = invoke(load_event("bad-crlf-in-name"))

    error = response_json(response)["error"]
    assert [detail["field"] for detail in error["details"]] == ["buyer.name"]
    assert "victim@example.com" not in response["body"]
    assert "Bcc" not in response["body"]


def test_an_oversized_body_is_refused_before_parsing(invoke: Any, aws: Any) -> None:
    event = post_event("{" + " " * (32 * 1024) + "}")

    response = invoke(event)

    assert response["statusCode"] == 413
    assert response_json(response)["error"]["code"] == "payload_too_large"
    assert aws.sent_raw() == []


def test_a_repeated_idempotency_key_returns_the_first_answer_and_sends_once(
    invoke: Any, aws: Any
) -> None:
    first = invoke(load_event("post-other"))
    second = invoke(load_event("post-other"))

    assert first["statusCode"] == second["statusCode"] == 201
    assert response_json(first) == response_json(second)
    assert len(aws.sent_raw()) == 1
    assert len(aws.message_rows()) == 1


def test_an_idempotency_key_reused_for_another_message_is_refused(invoke: Any, aws: Any) -> None:
    headers = {"Idempotency-Key": "order-42-question"}
    invoke(post_event(contact_body(message="First question"), headers=headers))

    response = invoke(post_event(contact_body(message="A different question"), headers=headers))

    assert response["statusCode"] == 422
    assert response_json(response)["error"]["details"] == [
        {"field": "Idempotency-Key", "issue": "was already used for a different request"}
    ]
    assert len(aws.sent_raw()) == 1


# Mutants (make mutate): the handler registered no Lambda context with the idempotency records
# (or with the records of requests without a key), so a request whose environment ran out of time
# mid-send stayed "in progress" (409) until its record expired, instead of until the invocation's
# own deadline.
@pytest.mark.parametrize(
    "headers", [{"Idempotency-Key": "deadline-1"}, {}], ids=["with a key", "without a key"]
)
def test_a_record_in_progress_ends_when_the_invocation_would_time_out(
    invoke: Any, aws: Any, headers: dict[str, str]
) -> None:
    # Given a wired environment, and a look at the idempotency records while SES is called
    assert invoke(load_event("get-topics"))["statusCode"] == 200
    seen: list[dict[str, Any]] = []

    def look(**_: Any) -> None:
        seen.extend(aws.dynamodb.scan(TableName=os.environ["IDEMPOTENCY_TABLE"])["Items"])

    contact.environments.current().clients.sesv2.meta.events.register(
        "before-call.sesv2.SendEmail", look
    )
    started_ms = time.time() * 1000

    # When a message is sent in an invocation with FakeLambdaContext's time left
    response = invoke(post_event(contact_body(), headers=headers))

    # Then while it was being sent, each record said it is in progress only until then
    assert response["statusCode"] == 201
    assert seen and {item["status"]["S"] for item in seen} == {"INPROGRESS"}
    remaining_ms = FakeLambdaContext.get_remaining_time_in_millis()
    for item in seen:
        until_ms = int(item["in_progress_expiration"]["N"])
        assert started_ms + remaining_ms - 1_000 <= until_ms <= time.time() * 1000 + remaining_ms


def test_a_failed_request_does_not_burn_its_idempotency_key(invoke: Any, aws: Any) -> None:
    headers = {"Idempotency-Key": "retry-after-fix"}
    refused = invoke(post_event(contact_body(), seller_id="no-inbox-store", headers=headers))
    aws.put_seller(
        {
            "sellerId": "no-inbox-store",
            "displayName": "No Inbox Store",
            "status": "active",
            "replyToEmail": "cs@fixed.example",
        }
    )

    accepted = invoke(post_event(contact_body(), seller_id="no-inbox-store", headers=headers))

    assert refused["statusCode"] == 409
    assert accepted["statusCode"] == 201
    assert len(aws.sent_raw()) == 1


@pytest.mark.parametrize("reply_to_status", ["pending", "bouncing"])
def test_a_seller_whose_stored_address_is_not_verified_gets_409_and_nothing_is_sent(
    invoke: Any, aws: Any, reply_to_status: str
) -> None:
    aws.put_seller(
        {
            "sellerId": "example-store",
            "displayName": "Example Store",
            "status": "active",
            "replyToEmail": "cs@example-store.example",
            "replyToStatus": reply_to_status,
        }
    )

    response = invoke(post_event(contact_body()))

    assert response["statusCode"] == 409
    assert response_json(response)["error"]["code"] == "seller_unavailable"
    assert aws.sent_raw() == []
    assert aws.message_rows() == []


def test_a_seller_whose_stored_address_is_verified_again_receives_messages(
    invoke: Any, aws: Any
) -> None:
    seller = {
        "sellerId": "example-store",
        "displayName": "Example Store",
        "status": "active",
        "replyToEmail": "cs@example-store.example",
    }
    aws.put_seller({**seller, "replyToStatus": "verified"})

    response = invoke(post_event(contact_body()))

    assert response["statusCode"] == 201
    assert len(aws.sent_raw()) == 1


def test_the_honeypot_answers_like_success_and_sends_nothing(invoke: Any, aws: Any) -> None:
    response = invoke(post_event(contact_body(website="http://spam.example")))

    assert response["statusCode"] == 201
    assert response_json(response)["status"] == "sent"
    assert aws.sent_raw() == []
    assert aws.message_rows() == []


def test_link_policy_reject_refuses_messages_with_links(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINK_POLICY", "reject")

    response = invoke(load_event("post-product-details"))

    assert response["statusCode"] == 422
    assert response_json(response)["error"]["code"] == "links_not_allowed"
    assert aws.sent_raw() == []


def test_max_message_chars_limits_the_message_as_sent(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "20")

    refused = invoke(post_event(contact_body(message="<b>" * 7)))
    accepted = invoke(post_event(contact_body(message="x" * 20)))

    assert refused["statusCode"] == 422
    assert response_json(refused)["error"]["details"] == [
        {"field": "message", "issue": "must be at most 20 characters"}
    ]
    assert accepted["statusCode"] == 201
    assert len(aws.sent_raw()) == 1


def test_cors_echoes_only_allowed_origins(invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://shop.example,https://www.shop.example")
    allowed = load_event("get-topics")
    also_allowed = with_header(load_event("get-topics"), "Origin", "https://www.shop.example")
    refused = with_header(load_event("get-topics"), "Origin", "https://evil.example")

    assert header(invoke(allowed), "Access-Control-Allow-Origin") == "https://shop.example"
    assert header(invoke(also_allowed), "Access-Control-Allow-Origin") == "https://www.shop.example"
    assert header(invoke(refused), "Access-Control-Allow-Origin") is None


def test_logs_hold_no_buyer_address_or_message_text(
    invoke: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given every log record rendered exactly as Lambda would print it
    rendered = io.StringIO()
    handler = logging.StreamHandler(rendered)
    handler.setFormatter(logger.registered_formatter)
    logging.getLogger(logger.name).addHandler(handler)
    try:
        # When buyers send messages (keyed and key-less, in one environment) and a hostile
        # request comes in: every answer is the one each deserves, so nothing below passes
        # for want of a message that was refused
        statuses = [invoke(load_event(name))["statusCode"] for name in sorted(SUBJECTS)]
        statuses.append(invoke(load_event("bad-crlf-in-name"))["statusCode"])
        assert statuses == [201] * len(SUBJECTS) + [422]
    finally:
        logging.getLogger(logger.name).removeHandler(handler)

    # Then neither the logs nor the metrics hold an address or a message
    output = capsys.readouterr()
    logs = rendered.getvalue() + output.out + output.err
    assert "message sent" in logs
    assert "hanako@example.com" not in logs
    assert "eve@example.com" not in logs
    assert "dishwasher" not in logs and "order 503" not in logs


def test_a_bad_configuration_fails_the_cold_start_naming_the_variable(
    invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENDER_ADDRESS")
    monkeypatch.setenv("LINK_POLICY", "sometimes")

    with pytest.raises(ConfigurationError) as raised:
        invoke(load_event("get-topics"))

    assert "SENDER_ADDRESS" in str(raised.value)
    assert "LINK_POLICY" in str(raised.value)


def _get(path: str, **parameters: str) -> dict[str, Any]:
    event = load_event("get-seller" if path.startswith("/sellers") else "get-message-status")
    event["path"], event["pathParameters"] = path, parameters
    return event


def test_a_sent_message_can_be_looked_up_by_its_id_and_shows_no_address(
    invoke: Any, aws: Any
) -> None:
    sent = response_json(invoke(post_event(contact_body())))

    response = invoke(_get(f"/messages/{sent['messageId']}", messageId=sent["messageId"]))

    assert response["statusCode"] == 200
    answer = response_json(response)
    assert (answer["messageId"], answer["status"], answer["topic"]) == (
        sent["messageId"],
        "sent",
        "shipping",
    )
    assert answer["updatedAt"] == answer["createdAt"]
    assert "@" not in response["body"]


def test_an_unknown_message_is_404_message_not_found(invoke: Any) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"

    response = invoke(_get(f"/messages/{unknown}", messageId=unknown))

    assert response["statusCode"] == 404
    assert response_json(response)["error"]["code"] == "message_not_found"


@pytest.mark.parametrize(
    ("seller_id", "status", "accepting"),
    [
        ("example-store", 200, True),
        ("no-inbox-store", 200, False),
        ("closed-shop", 404, None),
        ("nobody", 404, None),
    ],
)
def test_a_seller_is_looked_up_in_the_sellers_table(
    invoke: Any, seller_id: str, status: int, accepting: bool | None
) -> None:
    response = invoke(_get(f"/sellers/{seller_id}", sellerId=seller_id))

    assert response["statusCode"] == status
    if accepting is not None:
        assert response_json(response)["accepting"] is accepting
        assert "@" not in response["body"]
