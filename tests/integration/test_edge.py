"""The edge of the deployed handler: what a page of another origin can and cannot make it do."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import contact_body, header, post_event, response_json, with_header

SHOP = "https://shop.example"


def _without_header(event: dict[str, Any], header_name: str) -> dict[str, Any]:
    for field in ("headers", "multiValueHeaders"):
        event[field] = {
            name: value for name, value in event[field].items() if name.lower() != header_name
        }
    return event


def _without_content_type(event: dict[str, Any]) -> dict[str, Any]:
    return _without_header(event, "content-type")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_post_a_page_can_send_without_a_preflight_is_415_and_sends_nothing(
    invoke: Any, aws: Any, content_type: str | None
) -> None:
    # `fetch(url, {mode: "no-cors", body})` from any site sends text/plain, or no type at all.
    event = _without_content_type(post_event(contact_body()))
    if content_type is not None:
        with_header(event, "Content-Type", content_type)

    response = invoke(event)

    assert response["statusCode"] == 415
    assert response_json(response)["error"]["code"] == "unsupported_media_type"
    assert aws.sent_raw() == []


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        # The media type is what comes before the first parameter, however many follow.
        "application/json; charset=utf-8; profile=contact",
        "Application/JSON",
        "application/x+json",
    ],
)
def test_json_in_any_spelling_is_accepted(invoke: Any, content_type: str) -> None:
    event = with_header(post_event(contact_body()), "Content-Type", content_type)

    assert invoke(event)["statusCode"] == 201


# 415, 413 and a base64 body that is no UTF-8 (400) are answered at the edge, before routing;
# 404 by a route.
ANSWERS_BEFORE_AND_AFTER_ROUTING = [
    (lambda: _without_content_type(post_event(contact_body())), 415),
    (lambda: post_event("x" * (33 * 1024)), 413),
    (lambda: {**post_event("not base64 at all!"), "isBase64Encoded": True}, 400),
    (lambda: post_event(contact_body(), seller_id="nobody"), 404),
]


@pytest.mark.parametrize(("event_of", "status"), ANSWERS_BEFORE_AND_AFTER_ROUTING)
def test_an_answer_names_an_allowed_origin_and_never_another(
    invoke: Any, monkeypatch: pytest.MonkeyPatch, event_of: Any, status: int
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", SHOP)

    allowed = invoke(with_header(event_of(), "Origin", SHOP))
    refused = invoke(with_header(event_of(), "Origin", "https://evil.example"))

    assert (allowed["statusCode"], refused["statusCode"]) == (status, status)
    assert header(allowed, "Access-Control-Allow-Origin") == SHOP
    assert header(refused, "Access-Control-Allow-Origin") is None
    assert "evil.example" not in str(refused)


@pytest.mark.parametrize(("event_of", "status"), ANSWERS_BEFORE_AND_AFTER_ROUTING)
def test_a_request_naming_no_origin_is_granted_none_before_routing_or_after(
    invoke: Any, monkeypatch: pytest.MonkeyPatch, event_of: Any, status: int
) -> None:
    # Every origin allowed; a client that is no page (curl, a server) sends no Origin.
    monkeypatch.setenv("ALLOWED_ORIGINS", "*")

    from_a_page = invoke(with_header(event_of(), "Origin", SHOP))
    from_no_page = invoke(_without_header(event_of(), "origin"))

    assert (from_a_page["statusCode"], from_no_page["statusCode"]) == (status, status)
    assert header(from_a_page, "Access-Control-Allow-Origin") == "*"
    assert header(from_no_page, "Access-Control-Allow-Origin") is None


def test_a_rate_limited_answer_lets_the_page_read_retry_after(
    invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", SHOP)
    monkeypatch.setenv("RATE_LIMIT_BUYER_PER_HOUR", "1")

    def post(message: str) -> dict[str, Any]:
        event = post_event(contact_body(message=message))
        return dict(invoke(with_header(event, "Origin", SHOP)))

    assert post("First question")["statusCode"] == 201
    limited = post("Second question")

    assert limited["statusCode"] == 429
    assert int(header(limited, "Retry-After") or 0) > 0
    exposed = (header(limited, "Access-Control-Expose-Headers") or "").lower()
    assert "retry-after" in [name.strip() for name in exposed.split(",")]


@pytest.mark.parametrize(("path", "status"), [("/topics", 405), ("/nowhere", 404)])
def test_a_post_without_a_type_elsewhere_is_answered_by_routing(
    invoke: Any, path: str, status: int
) -> None:
    # 415 is about the route that reads a JSON body; elsewhere the path decides.
    event = _without_content_type(post_event(contact_body()))
    event["path"], event["resource"] = path, path

    assert invoke(event)["statusCode"] == status
