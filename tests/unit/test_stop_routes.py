"""GET and POST /stop/{token} on the resolver with in-memory ports: a page with one button that
stops nothing, a button that stops the conversation for good, and one answer for every token
that stops nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from contact_relay.conversation_keeper import ConversationKeeper, ConversationPolicy
from contact_relay.conversations import Conversation, stop_token
from contact_relay.digests import Digester
from contact_relay.errors import DependencyUnavailable
from contact_relay.handlers.api_examples import STOP_TOKENS
from contact_relay.handlers.app import create_app
from contact_relay.handlers.edge_checks import edge_rejection
from contact_relay.service import ContactRelay, RelayPolicy
from contact_relay.settings import load_settings
from tests.fakes import InMemoryConversations, InMemoryLedger, InMemorySellers, RecordingMailer
from tests.support import (
    TEST_DIGEST_KEY,
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    confirmer_of,
    deliver_directly,
    header,
    load_event,
    lookups_of,
    with_header,
)

DIGESTER = Digester(TEST_DIGEST_KEY.encode())
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Api:
    def __init__(self, conversations: bool = True) -> None:
        self.book = InMemoryConversations()
        keeper = ConversationKeeper(
            self.book,
            DIGESTER,
            ConversationPolicy("reply.shop.example", "https://api.shop.example/v1"),
            clock=NOW.timestamp,
        )
        sellers = InMemorySellers()
        sellers.add("example-store")
        settings = load_settings(TEST_ENVIRONMENT)
        relay = ContactRelay(
            sellers, RecordingMailer(), InMemoryLedger(), RelayPolicy("Amazon", "a@relay.example")
        )
        self.keeper = keeper
        self.app: APIGatewayRestResolver = create_app(
            settings,
            deliver_directly(relay),
            lookups_of(sellers),
            confirmer_of(),
            keeper if conversations else None,
        )

    def open(self) -> tuple[Conversation, str]:
        """A conversation, as a first message opens it, and its stop link's token."""
        conversation = self.keeper.open_for(
            seller_id="example-store",
            buyer_email="hanako@example.com",
            buyer_name="Hanako",
            topic="shipping",
            now=NOW,
        )
        return conversation, stop_token(DIGESTER, conversation.conversation_id)

    def stopped(self, conversation: Conversation) -> bool:
        stored = self.book.find(conversation.conversation_id)
        return stored is not None and stored.stopped

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        rejected = edge_rejection(event, None)
        if rejected is not None:
            return rejected
        response: dict[str, Any] = self.app.resolve(event, FakeLambdaContext())
        return response


def stop_event(method: str, token: str, content_type: str | None = None) -> dict[str, Any]:
    """events/get-stop-page.json (or post-stop.json, the button's form post) for `token`."""
    event = load_event("post-stop" if method == "POST" else "get-stop-page")
    event["httpMethod"], event["path"] = method, f"/stop/{token}"
    event["pathParameters"] = {"token": token}
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("Content-Type", None)
    if content_type:
        with_header(event, "Content-Type", content_type)
    return event


FORM = "application/x-www-form-urlencoded"


def test_opening_a_stop_link_shows_one_button_and_stops_nothing() -> None:
    api = Api()
    conversation, token = api.open()

    response = api(stop_event("GET", token))

    assert response["statusCode"] == 200
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert response["body"].count("<button") == 1
    assert '<form method="post">' in response["body"]
    assert "<h1>Stop this conversation</h1>" in response["body"]
    assert "for good" in response["body"], "the page says a stop cannot be undone"
    assert token not in response["body"]
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert "frame-ancestors 'none'" in (header(response, "Content-Security-Policy") or "")
    assert not api.stopped(conversation)


@pytest.mark.parametrize("content_type", [FORM, None, "text/plain"])
def test_pressing_the_button_stops_the_conversation_for_good(content_type: str | None) -> None:
    api = Api()
    conversation, token = api.open()

    first = api(stop_event("POST", token, content_type))
    again = api(stop_event("POST", token, content_type))

    assert first["statusCode"] == 200, "a page's form post, never a 415"
    assert "<h1>This conversation is stopped</h1>" in first["body"]
    assert "no longer delivered" in first["body"]
    assert again["statusCode"] == 200
    assert again["body"] == first["body"]
    assert api.stopped(conversation)
    assert api.book.conversations[conversation.conversation_id].stopped_at == int(NOW.timestamp())


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "A" * 64 + "." + "0" * 64,
        stop_token(Digester(b"another key, another relay......"), "a" * 64),  # forged
        stop_token(DIGESTER, "b" * 64),  # genuine, names no conversation
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_bad_forged_or_unknown_token_gets_one_answer(token: str, method: str) -> None:
    api = Api()
    conversation, _ = api.open()
    unknown = api(stop_event("POST", stop_token(DIGESTER, "c" * 64), FORM))

    response = api(stop_event(method, token, FORM if method == "POST" else None))

    if method == "GET" and response["statusCode"] == 200:
        # A well-formed token's page is the button: GET reads nothing, whatever it names.
        assert response["body"].count("<button") == 1
    else:
        assert (response["statusCode"], response["body"]) == (404, unknown["body"])
        assert header(response, "Content-Type") == "text/html; charset=utf-8"
        assert "<h1>This link does not work</h1>" in response["body"]
        assert "names no conversation" in response["body"]
        assert "48 hours" not in response["body"], "the stop page, not the verification one"
    assert not api.stopped(conversation)


def test_without_conversations_a_stop_link_stops_nothing() -> None:
    api = Api(conversations=False)
    _, token = api.open()

    response = api(stop_event("POST", token, FORM))

    assert response["statusCode"] == 404
    assert "names no conversation" in response["body"]


def test_a_stop_while_dynamodb_is_down_is_503() -> None:
    api = Api()
    _, token = api.open()
    api.book.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    response = api(stop_event("POST", token, FORM))

    assert response["statusCode"] == 503
    assert header(response, "Retry-After")


@pytest.mark.parametrize("name", ["get-stop-page", "post-stop"])
def test_the_event_corpus_s_stop_link_is_answered_with_its_page(name: str) -> None:
    api = Api()

    event = load_event(name)
    response = api(event)

    # The corpus's token is the OpenAPI example: a token's shape, naming no conversation.
    assert event["pathParameters"]["token"] == STOP_TOKENS["a stop link"].value
    assert response["statusCode"] == (200 if name == "get-stop-page" else 404)
    assert header(response, "Content-Type") == "text/html; charset=utf-8"


def test_a_stop_link_takes_neither_put_nor_delete() -> None:
    api = Api()

    response = api(stop_event("DELETE", "x"))

    assert response["statusCode"] == 405
    assert header(response, "Allow") == "GET, OPTIONS, POST"
