"""The HTTP contract of DESIGN.md, on the resolver with in-memory ports."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from typing import Any, Literal

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
)

from contact_relay.errors import DeliveryFailed, DependencyUnavailable
from contact_relay.handlers.api_models import MessageStatusView
from contact_relay.handlers.app import create_app
from contact_relay.handlers.edge_checks import edge_rejection
from contact_relay.handlers.error_responses import NAME_WITHOUT_TEXT
from contact_relay.links import MOST_LINKS
from contact_relay.ports import MessageProgress
from contact_relay.service import ContactRelay, RelayPolicy
from contact_relay.settings import load_settings
from contact_relay.verification import issue_token
from tests.fakes import (
    InMemoryLedger,
    InMemoryMessageStatuses,
    InMemorySellers,
    InMemoryVerifications,
    RecordingMailer,
)
from tests.support import (
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    body_of,
    confirmer_of,
    contact_body,
    deliver_directly,
    header,
    load_event,
    lookups_of,
    parse_mime,
    post_event,
    response_json,
    with_header,
)


class Api:
    def __init__(self, link_policy: Literal["remove", "reject"] = "remove") -> None:
        self.sellers, self.mailer, self.ledger = (
            InMemorySellers(),
            RecordingMailer(),
            InMemoryLedger(),
        )
        self.sellers.add("example-store")
        self.messages = InMemoryMessageStatuses()
        self.verifications = InMemoryVerifications()
        settings = load_settings(TEST_ENVIRONMENT)
        policy = RelayPolicy("Amazon", settings.sender_address, link_policy=link_policy)
        relay = ContactRelay(self.sellers, self.mailer, self.ledger, policy)
        self.app: APIGatewayRestResolver = create_app(
            settings,
            deliver_directly(relay),
            lookups_of(self.sellers, self.messages),
            confirmer_of(self.verifications),
        )

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        rejected = edge_rejection(event, None)
        if rejected is not None:
            return rejected
        response: dict[str, Any] = self.app.resolve(event, FakeLambdaContext())
        return response


@pytest.fixture
def api() -> Api:
    return Api()


def error_of(response: dict[str, Any]) -> dict[str, Any]:
    body = response_json(response)
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_a_good_request_gets_201_with_the_designed_body(api: Api) -> None:
    response = api(post_event(contact_body(message="<i>Hi</i> www.example.com")))

    assert response["statusCode"] == 201
    body = response_json(response)
    assert set(body) == {"messageId", "status", "topic", "subject", "confirmation", "removed"}
    assert body["removed"] == {"links": 1, "markup": True}


@pytest.mark.parametrize(
    "body", ["{", "not json", '{"topic": "shipping",}', "[1, 2]", '"a string"', "null", "42", ""]
)
def test_a_body_that_is_not_a_json_object_is_400_invalid_json(api: Api, body: str) -> None:
    response = api(post_event(body))

    assert response["statusCode"] == 400
    assert error_of(response)["code"] == "invalid_json"
    assert api.mailer.sent == []


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_a_non_json_content_type_is_415(api: Api, content_type: str) -> None:
    response = api(post_event(contact_body(), headers={"Content-Type": content_type}))

    assert response["statusCode"] == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_an_answer_given_before_routing_is_written_as_a_routed_one(api: Api) -> None:
    refused = api(post_event(contact_body(), headers={"Content-Type": "text/plain"}))
    routed = api(post_event("[]"))

    assert (refused["statusCode"], routed["statusCode"]) == (415, 400)
    for response in (refused, routed):
        compact = json.dumps(json.loads(response["body"]), separators=(",", ":"))
        assert response["body"] == compact


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"]
)
def test_json_content_types_are_accepted(api: Api, content_type: str) -> None:
    assert (
        api(post_event(contact_body(), headers={"Content-Type": content_type}))["statusCode"] == 201
    )


def test_an_accepted_json_type_reaches_the_route_as_application_json_in_both_header_views() -> None:
    # Powertools parses a body only under `application/json`, read from `headers`; API Gateway
    # delivers each header in `multiValueHeaders` too, which header parameters are read from.
    event = post_event(contact_body(), headers={"content-type": "application/contact+json; v=1"})

    assert edge_rejection(event, None) is None

    assert event["headers"]["content-type"] == "application/json"
    assert event["multiValueHeaders"]["content-type"] == ["application/json"]
    assert event["headers"]["Content-Type"] == "application/json"
    assert event["multiValueHeaders"]["Content-Type"] == ["application/json"]


def test_a_body_over_32_kib_is_413_even_when_base64_encoded(api: Api) -> None:
    plain = post_event(json.dumps(contact_body(message="x" * 33_000)))
    encoded = post_event(base64.b64encode(b"{" + b" " * 33_000 + b"}").decode())
    encoded["isBase64Encoded"] = True

    for event in (plain, encoded):
        response = api(event)
        assert response["statusCode"] == 413
        assert error_of(response)["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (base64.b64encode(json.dumps(contact_body(message="こんにちは")).encode()).decode(), 201),
        ("not base64 at all!", 400),
        (base64.b64encode(b"\xff\xfe{}").decode(), 400),
        # A lenient decoder would skip the stray `*` and read the JSON.
        ("*" + base64.b64encode(json.dumps(contact_body()).encode()).decode(), 400),
    ],
    ids=["utf-8 json", "not base64", "not utf-8", "a character outside base64"],
)
def test_a_base64_body_is_read_only_when_it_decodes_to_utf_8(
    api: Api, body: str, status: int
) -> None:
    # make mutate found no test of a base64 body under the limit.
    event = post_event(body)
    event["isBase64Encoded"] = True

    response = api(event)

    assert response["statusCode"] == status
    if status == 400:
        assert error_of(response)["code"] == "invalid_json"


def test_the_32_kib_limit_counts_bytes_not_characters(api: Api) -> None:
    # 12,000 characters of Japanese are 36,000 bytes of UTF-8.
    response = api(post_event(json.dumps(contact_body(message="あ" * 12_000), ensure_ascii=False)))

    assert response["statusCode"] == 413


@pytest.mark.parametrize("base64_encoded", [False, True])
def test_a_body_of_exactly_32_kib_is_parsed(api: Api, base64_encoded: bool) -> None:
    body = json.dumps(contact_body(message="x"))
    padded = body[:-1] + " " * (32 * 1024 - len(body)) + "}"
    # Encoded, the same 32 KiB take 43,692 characters: the limit is on what they decode to.
    event = post_event(base64.b64encode(padded.encode()).decode() if base64_encoded else padded)
    event["isBase64Encoded"] = base64_encoded

    assert api(event)["statusCode"] == 201


@pytest.mark.parametrize("base64_encoded", [False, True])
def test_a_body_one_byte_over_32_kib_is_413(api: Api, base64_encoded: bool) -> None:
    body = json.dumps(contact_body(message="x"))
    padded = body[:-1] + " " * (32 * 1024 + 1 - len(body)) + "}"
    # Encoded, 32,769 bytes need no padding: the same 43,692 characters as 32 KiB with one `=`.
    event = post_event(base64.b64encode(padded.encode()).decode() if base64_encoded else padded)
    event["isBase64Encoded"] = base64_encoded

    response = api(event)

    assert response["statusCode"] == 413
    assert error_of(response)["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "bad_name",
    [
        "Eve\r\nBcc: x@example.com",
        "Eve\nX",
        "Eve\rX",
        "Eve\x85X",
        "Eve\u2028X",
        "Eve\u2029X",
        "Eve\x00",
        "Eve\x1bX",
        "Eve\u202eX",
        "   ",
        "",
    ],
)
def test_line_breaks_and_controls_in_the_name_are_422_naming_the_field(
    api: Api, bad_name: str
) -> None:
    response = api(post_event(contact_body(buyer={"name": bad_name, "email": "eve@example.com"})))

    assert response["statusCode"] == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert [detail["field"] for detail in error["details"]] == ["buyer.name"]
    assert "Bcc" not in response["body"]
    assert api.mailer.sent == []


@pytest.mark.parametrize(
    "bad_email",
    [
        "eve@example.com\r\nBcc: x@example.com",
        "eve@example.com\u2028",
        "not-an-address",
        "a" * 250 + "@example.com",
    ],
)
def test_a_bad_buyer_email_is_422_without_echoing_it(api: Api, bad_email: str) -> None:
    response = api(post_event(contact_body(buyer={"name": "Eve", "email": bad_email})))

    assert response["statusCode"] == 422
    assert [detail["field"] for detail in error_of(response)["details"]] == ["buyer.email"]
    assert "x@example.com" not in response["body"] and "not-an-address" not in response["body"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"message": "hi", "buyer": {"name": "A", "email": "a@example.com"}}, ["topic"]),
        (contact_body(topic="refunds"), ["topic"]),
        (contact_body(message=""), ["message"]),
        (contact_body(message=42), ["message"]),
        ({"topic": "other", "message": "hi"}, ["buyer"]),
        (contact_body(buyer={"name": "A"}), ["buyer.email"]),
        (contact_body(buyer={"name": "A" * 101, "email": "a@example.com"}), ["buyer.name"]),
        (contact_body(orderId="503 123"), ["orderId"]),
        (contact_body(orderId="x" * 41), ["orderId"]),
        (contact_body(orderId="503-1\r\n"), ["orderId"]),
        (contact_body(admin=True), ["<unknown field #1>"]),
        (contact_body(order_id="503-1"), ["<unknown field #1>"]),
        (
            contact_body(buyer={"name": "A", "email": "a@example.com", "x": 1, "y": 2}, z=3),
            ["buyer.<unknown field #1>", "buyer.<unknown field #2>", "<unknown field #1>"],
        ),
        (contact_body(captchaToken="tok\nen"), ["captchaToken"]),
        (
            {"topic": "x", "message": "", "buyer": {}},
            ["topic", "message", "buyer.name", "buyer.email"],
        ),
    ],
)
def test_each_bad_field_gets_one_detail_naming_it(
    api: Api, body: dict[str, Any], fields: list[str]
) -> None:
    response = api(post_event(body))

    assert response["statusCode"] == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert [detail["field"] for detail in error["details"]] == fields
    assert all(detail["issue"] for detail in error["details"])


# What an attacker or a careless client might send, in keys and values alike: none of it may
# come back in an answer, whose text a page may show or a log may keep.
HOSTILE = {
    "markup": "<script>alert(1)</script>",
    "link": "https://evil.example/phish",
    "header": "\r\nBcc: victim@evil.example",
    "long": "q7Z" * 2000,
    "buyer email": "hanako.private@example.com",
}
# The tell-tale parts of each; our own answers hold none of them.
HOSTILE_FRAGMENTS = ["script", "alert(", "evil", "phish", "Bcc", "q7Zq7Z", "hanako.private"]
_ALL_HOSTILE = "".join(HOSTILE.values())
_UNKNOWN_KEYS = {value[:300]: 1 for value in HOSTILE.values()}
_GOOD_BUYER = {"name": "A", "email": "a@example.com"}


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(post_event({**contact_body(), **_UNKNOWN_KEYS}), id="unknown keys"),
        pytest.param(
            post_event(contact_body(buyer={**_GOOD_BUYER, **_UNKNOWN_KEYS})),
            id="unknown keys in buyer",
        ),
        pytest.param(
            post_event(
                {
                    "topic": _ALL_HOSTILE,
                    "message": _ALL_HOSTILE * 2,
                    "buyer": {"name": _ALL_HOSTILE, "email": _ALL_HOSTILE},
                    "orderId": _ALL_HOSTILE,
                    "website": _ALL_HOSTILE,
                    "captchaToken": _ALL_HOSTILE,
                }
            ),
            id="bad values everywhere",
        ),
        pytest.param(
            post_event(
                contact_body(
                    buyer={"name": "A", "email": HOSTILE["buyer email"] + HOSTILE["header"]}
                )
            ),
            id="an email that is almost an address",
        ),
        pytest.param(
            post_event(contact_body(buyer={**_GOOD_BUYER, "name": "A" + HOSTILE["header"]})),
            id="a name with a line break",
        ),
        pytest.param(
            post_event({"topic": [HOSTILE["markup"]], "message": {HOSTILE["link"]: 1}, "buyer": 7}),
            id="wrong types",
        ),
        pytest.param(
            post_event(contact_body(message=HOSTILE["markup"])), id="a message with nothing left"
        ),
        pytest.param(
            post_event(contact_body(buyer={**_GOOD_BUYER, "name": HOSTILE["link"]})),
            id="a name with nothing left",
        ),
        pytest.param(
            post_event(contact_body(), headers={"Idempotency-Key": HOSTILE["markup"]}),
            id="a bad idempotency key",
        ),
        pytest.param(post_event(contact_body(), seller_id=HOSTILE["link"]), id="a bad seller id"),
        pytest.param(post_event(contact_body(), seller_id="evil-phish"), id="an unknown seller"),
        pytest.param(
            post_event('{"' + HOSTILE["markup"] + '": "' + HOSTILE["link"]), id="broken JSON"
        ),
        pytest.param(
            post_event(contact_body(), headers={"Content-Type": "text/html; " + HOSTILE["markup"]}),
            id="a content type of markup",
        ),
    ],
)
def test_no_answer_echoes_what_the_client_sent(api: Api, event: dict[str, Any]) -> None:
    response = api(event)

    assert 400 <= response["statusCode"] < 500
    answer = response["body"] + json.dumps(
        [response.get("headers"), response.get("multiValueHeaders")]
    )
    assert [fragment for fragment in HOSTILE_FRAGMENTS if fragment in answer] == []
    assert api.mailer.sent == []


def test_a_bad_idempotency_key_is_422_naming_the_header(api: Api) -> None:
    response = api(post_event(contact_body(), headers={"Idempotency-Key": "has spaces and !"}))

    assert response["statusCode"] == 422
    assert [d["field"] for d in error_of(response)["details"]] == ["Idempotency-Key"]


def test_a_message_that_reduces_to_nothing_is_message_empty(api: Api) -> None:
    response = api(post_event(contact_body(message="<style>p{}</style><b> </b>")))

    assert response["statusCode"] == 422
    assert error_of(response)["code"] == "message_empty"


@pytest.mark.parametrize(
    "message",
    [
        "x" * 4001,
        # Counted as sent: markup that reduction would take out still counts.
        "<b>" * 1400 + "Hello",
    ],
)
def test_a_message_over_the_limit_as_sent_is_validation_failed(api: Api, message: str) -> None:
    response = api(post_event(contact_body(message=message)))

    assert response["statusCode"] == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert error["details"] == [{"field": "message", "issue": "must be at most 4000 characters"}]
    assert api.mailer.sent == []


def test_a_message_within_the_limit_is_sent_even_when_reduction_lengthens_it(api: Api) -> None:
    # Each four-letter link becomes the fourteen letters of `[link removed]`.
    links = "x.co " * (MOST_LINKS - 1)
    message = links + "a" * (4000 - len(links))

    response = api(post_event(contact_body(message=message)))

    assert len(message) == 4000
    assert response["statusCode"] == 201
    assert response_json(response)["removed"]["links"] == MOST_LINKS - 1
    delivered = "[link removed] " * (MOST_LINKS - 1) + "a" * (4000 - len(links))
    assert delivered in body_of(parse_mime(api.mailer.sent[0]))


def test_max_message_chars_sets_the_limit_the_route_enforces() -> None:
    settings = load_settings({**TEST_ENVIRONMENT, "MAX_MESSAGE_CHARS": "10"})
    app = create_app(settings, lambda _inquiry, _key: {"sent": True}, lookups_of(), confirmer_of())

    accepted = app.resolve(post_event(contact_body(message="x" * 10)), FakeLambdaContext())
    refused = app.resolve(post_event(contact_body(message="x" * 11)), FakeLambdaContext())

    assert accepted["statusCode"] == 201
    assert refused["statusCode"] == 422
    assert error_of(refused)["details"] == [
        {"field": "message", "issue": "must be at most 10 characters"}
    ]


def test_a_link_in_the_name_is_removed_and_the_counts_stay_the_message_s(api: Api) -> None:
    name = "Amazon Security https://evil.example/verify"
    response = api(post_event(contact_body(buyer={"name": name, "email": "eve@example.com"})))

    assert response["statusCode"] == 201
    assert response_json(response)["removed"] == {"links": 0, "markup": False}
    body = body_of(parse_mime(api.mailer.sent[0]))
    assert "From: Amazon Security [link removed] (reply" in body
    assert "evil" not in body


@pytest.mark.parametrize("name", ["<b></b>", "https://evil.example", "&lt;i&gt;&lt;/i&gt;"])
def test_a_name_with_nothing_honest_left_is_422_naming_it(api: Api, name: str) -> None:
    response = api(post_event(contact_body(buyer={"name": name, "email": "eve@example.com"})))

    assert response["statusCode"] == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert error["details"] == [{"field": "buyer.name", "issue": NAME_WITHOUT_TEXT}]
    assert api.mailer.sent == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (contact_body(message="see www.example.com"), "message"),
        (
            contact_body(buyer={"name": "Eve www.example.com", "email": "eve@example.com"}),
            "buyer.name",
        ),
    ],
)
def test_reject_policy_refuses_a_link_naming_where_it_was(body: dict[str, Any], field: str) -> None:
    api = Api(link_policy="reject")

    response = api(post_event(body))

    assert response["statusCode"] == 422
    error = error_of(response)
    assert error["code"] == "links_not_allowed"
    assert [detail["field"] for detail in error["details"]] == [field]
    assert api.mailer.sent == []


@pytest.mark.parametrize("seller_id", ["no-such-seller", "has.dot", "x" * 65])
def test_a_seller_that_does_not_exist_is_404(api: Api, seller_id: str) -> None:
    response = api(post_event(contact_body(), seller_id=seller_id))

    assert response["statusCode"] == 404
    assert error_of(response)["code"] == "seller_not_found"


def test_unknown_routes_are_404_not_found(api: Api) -> None:
    for path in ["/", "/admin", "/sellers", "/sellers/x/messages/y", "/messages", "/topics/x"]:
        event = load_event("get-topics")
        event["path"] = path
        response = api(event)
        assert response["statusCode"] == 404, path
        assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/topics", "GET, OPTIONS"),
        ("DELETE", "/topics", "GET, OPTIONS"),
        ("GET", "/sellers/example-store/messages", "OPTIONS, POST"),
        ("PUT", "/sellers/example-store/messages", "OPTIONS, POST"),
        ("POST", "/sellers/example-store", "GET, OPTIONS"),
        ("DELETE", "/messages/3f6d2c1e-8a4b-4f0e-9d7a-2b5c1e0f9a63", "GET, OPTIONS"),
    ],
)
def test_a_known_path_with_the_wrong_method_is_405_with_allow(
    api: Api, method: str, path: str, allow: str
) -> None:
    event = load_event("get-topics")
    event["httpMethod"], event["path"] = method, path
    if method in {"POST", "PUT"}:
        with_header(event, "Content-Type", "application/json")
        event["body"] = "{}"

    response = api(event)

    assert response["statusCode"] == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert header(response, "Allow") == allow


def test_delivery_failed_is_502_and_hides_the_aws_reason(api: Api) -> None:
    api.mailer.failure = DeliveryFailed("MessageRejected")

    response = api(post_event(contact_body()))

    assert response["statusCode"] == 502
    assert error_of(response)["code"] == "delivery_failed"
    assert "MessageRejected" not in response["body"]


def test_an_unavailable_dependency_is_503_with_retry_after(api: Api) -> None:
    api.sellers.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    response = api(post_event(contact_body()))

    assert response["statusCode"] == 503
    assert error_of(response)["code"] == "service_unavailable"
    assert header(response, "Retry-After") == "5"
    assert "Throttling" not in response["body"]
    assert api.mailer.sent == []


def _app_whose_delivery_raises(error: Exception) -> Any:
    def deliver(_inquiry: Any, _key: str | None) -> dict[str, Any]:
        raise error

    return create_app(load_settings(TEST_ENVIRONMENT), deliver, lookups_of(), confirmer_of())


def test_a_key_still_in_flight_is_409_request_in_progress_with_retry_after() -> None:
    app = _app_whose_delivery_raises(IdempotencyAlreadyInProgressError("in progress"))

    response = app.resolve(post_event(contact_body(), headers={"Idempotency-Key": "k-1"}), {})

    assert response["statusCode"] == 409
    assert error_of(response)["code"] == "request_in_progress"
    assert int(header(response, "Retry-After") or 0) >= 1


def test_an_idempotency_store_outage_is_503_with_retry_after() -> None:
    app = _app_whose_delivery_raises(IdempotencyPersistenceLayerError("down"))

    response = app.resolve(post_event(contact_body(), headers={"Idempotency-Key": "k-2"}), {})

    assert response["statusCode"] == 503
    assert error_of(response)["code"] == "service_unavailable"
    assert header(response, "Retry-After") == "5"


def test_a_seller_is_its_name_and_whether_it_accepts_and_never_its_address(api: Api) -> None:
    response = api(load_event("get-seller"))

    assert response["statusCode"] == 200
    assert response_json(response) == {
        "sellerId": "example-store",
        "displayName": "Shop example-store",
        "accepting": True,
    }
    assert "@" not in response["body"]


def test_a_seller_whose_address_bounces_is_not_accepting(api: Api) -> None:
    api.sellers.add("example-store", reply_to_status="bouncing")

    response = api(load_event("get-seller"))

    assert response["statusCode"] == 200
    assert response_json(response)["accepting"] is False


@pytest.mark.parametrize("seller_id", ["nobody", "closed", "bad%20id", "x" * 65])
def test_an_unknown_suspended_or_impossible_seller_is_404_seller_not_found(
    api: Api, seller_id: str
) -> None:
    api.sellers.add("closed", status="suspended")
    event = load_event("get-seller")
    event["path"], event["pathParameters"] = f"/sellers/{seller_id}", {"sellerId": seller_id}

    response = api(event)

    assert response["statusCode"] == 404
    assert error_of(response)["code"] == "seller_not_found"


DEMO_MESSAGE_ID = "3f6d2c1e-8a4b-4f0e-9d7a-2b5c1e0f9a63"


def test_a_message_is_its_status_topic_and_times(api: Api) -> None:
    api.messages.messages[DEMO_MESSAGE_ID] = MessageProgress(
        DEMO_MESSAGE_ID, "bounced", "shipping", 1795694400, 1795694403
    )

    response = api(load_event("get-message-status"))

    assert response["statusCode"] == 200
    assert MessageStatusView.model_validate(response_json(response)) == MessageStatusView(
        message_id=DEMO_MESSAGE_ID,
        status="bounced",
        topic="shipping",
        created_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 26, 12, 0, 3, tzinfo=UTC),
    )
    assert set(response_json(response)) == {
        "messageId",
        "status",
        "topic",
        "createdAt",
        "updatedAt",
    }


@pytest.mark.parametrize(
    "message_id", [DEMO_MESSAGE_ID, "not-a-uuid", DEMO_MESSAGE_ID.upper(), DEMO_MESSAGE_ID + "0"]
)
def test_an_unknown_or_impossible_message_is_404_message_not_found(
    api: Api, message_id: str
) -> None:
    event = load_event("get-message-status")
    event["path"], event["pathParameters"] = f"/messages/{message_id}", {"messageId": message_id}

    response = api(event)

    assert response["statusCode"] == 404
    assert error_of(response)["code"] == "message_not_found"


def test_a_lookup_while_dynamodb_is_down_is_503(api: Api) -> None:
    api.messages.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    response = api(load_event("get-message-status"))

    assert response["statusCode"] == 503
    assert error_of(response)["code"] == "service_unavailable"


def _verify_event(method: str, token: str) -> dict[str, Any]:
    event = load_event("get-topics")
    event["httpMethod"], event["path"] = method, f"/verify/{token}"
    event["resource"], event["pathParameters"] = "/verify/{token}", {"token": token}
    if method == "POST":
        # What the page's form sends: a form post, which no JSON route would take.
        with_header(event, "Content-Type", "application/x-www-form-urlencoded")
    return event


def _pending_link(api: Api) -> str:
    issued = issue_token("example-store", time.time())
    api.verifications.pending["example-store"] = (issued.digest, issued.expires_at)
    return issued.token


def test_opening_a_verification_link_shows_one_button_and_confirms_nothing(api: Api) -> None:
    token = _pending_link(api)

    response = api(_verify_event("GET", token))

    assert response["statusCode"] == 200
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert response["body"].count("<button") == 1
    assert '<form method="post">' in response["body"]
    assert "<h1>Confirm your reply-to address</h1>" in response["body"]
    assert token not in response["body"]
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert "frame-ancestors 'none'" in (header(response, "Content-Security-Policy") or "")
    assert api.verifications.confirmed == []
    assert "example-store" in api.verifications.pending


def test_pressing_the_button_confirms_the_address_once(api: Api) -> None:
    token = _pending_link(api)

    first = api(_verify_event("POST", token))
    second = api(_verify_event("POST", token))

    assert first["statusCode"] == 200
    assert "<h1>Your address is confirmed</h1>" in first["body"]
    assert "messages will now reach this address" in first["body"]
    assert second["statusCode"] == 404
    assert header(second, "Content-Type") == "text/html; charset=utf-8"
    assert "<h1>This link does not work</h1>" in second["body"]
    assert "Ask the marketplace for a new one" in second["body"], "what the seller can do"
    assert api.verifications.confirmed == ["example-store"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_malformed_link_is_a_page_saying_it_does_not_work(api: Api, method: str) -> None:
    response = api(_verify_event(method, "not-a-token"))

    assert response["statusCode"] == 404
    assert "does not work" in response["body"]


def test_a_verification_link_takes_neither_put_nor_delete(api: Api) -> None:
    event = _verify_event("GET", "x")
    event["httpMethod"] = "DELETE"

    response = api(event)

    assert response["statusCode"] == 405
    assert header(response, "Allow") == "GET, OPTIONS, POST"
