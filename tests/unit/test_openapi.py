"""The committed openapi.json is the document the code generates, and says only what is so."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from contact_relay.handlers import api_examples
from contact_relay.handlers.api_models import (
    NAME_PATTERN,
    ONE_LINE_PATTERN,
    ContactAccepted,
    MessageStatusView,
    SellerView,
    TopicsResponse,
)
from contact_relay.handlers.app import create_app
from contact_relay.handlers.documented_responses import page_response
from contact_relay.handlers.openapi_document import api_document, openapi_document
from contact_relay.service import ContactRelay, RelayPolicy
from contact_relay.settings import DEFAULT_MAX_MESSAGE_CHARS, load_settings
from contact_relay.text_rules import has_forbidden_single_line_character
from contact_relay.verification import seller_of
from contact_relay_local.openapi_command import run_openapi
from contact_relay_local.relay_defaults import RELAY_DEFAULTS
from contact_relay_local.stack import demo_messages, demo_sellers
from tests.fakes import InMemoryLedger, InMemorySellers, RecordingMailer
from tests.support import (
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    confirmer_of,
    deliver_directly,
    load_event,
    lookups_of,
    post_event,
    response_json,
)

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"
# What `contact-relay openapi` (`make openapi`) documents: a deployment with the defaults.
DEFAULTS = load_settings(RELAY_DEFAULTS)


def test_the_committed_document_matches_the_code() -> None:
    generated = json.loads(api_document(DEFAULTS))
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))

    assert generated == committed, "openapi.json is stale: run `make openapi` and commit it"


# Mutants (make mutate): the document's indentation changed or lost, which rewrites every line
# of openapi.json at the next `make openapi` though nothing in the API changed.
def test_contact_relay_openapi_prints_the_committed_file_as_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_openapi(argparse.Namespace()) == 0

    assert capsys.readouterr().out == COMMITTED.read_text(encoding="utf-8")


def test_the_document_describes_every_route_and_error_status() -> None:
    document = json.loads(api_document(DEFAULTS))

    post = document["paths"]["/sellers/{sellerId}/messages"]["post"]
    assert set(post["responses"]) == {
        "201", "202", "400", "404", "405", "409", "413", "415", "422", "429", "502", "503",
    }  # fmt: skip
    error_schema = {"$ref": "#/components/schemas/ErrorResponse"}
    assert all(
        response["content"]["application/json"]["schema"] == error_schema
        for status, response in post["responses"].items()
        if status not in {"201", "202"}
    )
    accepted = {"$ref": "#/components/schemas/ContactAccepted"}
    assert all(
        post["responses"][status]["content"]["application/json"]["schema"] == accepted
        for status in ("201", "202")
    )
    assert set(document["paths"]["/topics"]["get"]["responses"]) == {"200", "405"}


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()


def test_the_document_holds_no_answer_the_api_never_gives() -> None:
    # Powertools adds a 422 of its own shape to every operation, and its schemas (one requiring
    # an undefined `msg`); every validation error here is an ErrorResponse.
    document = json.loads(api_document(DEFAULTS))
    schemas = document["components"]["schemas"]
    referenced = {ref.removeprefix("#/components/schemas/") for ref in _references(document)}

    assert referenced == set(schemas)
    assert not {"HTTPValidationError", "ValidationError", "ResponseValidationError"} & set(schemas)
    assert all(
        set(schema.get("required", ())) <= set(schema.get("properties", {}))
        for schema in schemas.values()
    )


# Mutants (make mutate): the `{}` defaults of `_without_answers_we_never_give` lost, which breaks
# the document of a route with a 422 of its own that is not Powertools' JSON, or with none.
def test_only_powertools_own_422_goes_and_a_route_s_own_stays() -> None:
    app = APIGatewayRestResolver(enable_validation=True)
    page_422 = page_response("What was wrong, for a person")
    bare_422: Any = {"description": "Refused", "content": {"application/json": {}}}

    @app.get("/page", responses={200: page_response("A page"), 422: page_422})
    def _page() -> Response[str]:
        return Response(200, "text/html", "")

    @app.get("/bare", responses={200: page_response("A page"), 422: bare_422})
    def _bare() -> Response[str]:
        return Response(200, "text/html", "")

    @app.get("/plain")
    def _plain() -> dict[str, str]:
        return {}

    paths = json.loads(openapi_document(app))["paths"]
    assert paths["/page"]["get"]["responses"]["422"] == page_422
    assert paths["/bare"]["get"]["responses"]["422"] == bare_422
    assert "422" not in paths["/plain"]["get"]["responses"]
    # A resolver that validates nothing documents no 422 at all: there is nothing to remove.
    unvalidated = APIGatewayRestResolver()
    unvalidated.get("/plain")(_plain)
    assert set(
        json.loads(openapi_document(unvalidated))["paths"]["/plain"]["get"]["responses"]
    ) == {"200"}


def _message_schema(document: str) -> dict[str, object]:
    schema: dict[str, object] = json.loads(document)["components"]["schemas"]["ContactRequest"][
        "properties"
    ]["message"]
    return schema


def test_the_document_states_the_message_limit_the_route_enforces() -> None:
    # The committed document is the default deployment's; another limit documents itself.
    settings = load_settings({**TEST_ENVIRONMENT, "MAX_MESSAGE_CHARS": "1234"})
    app = create_app(settings, lambda _inquiry, _key: {}, lookups_of(), confirmer_of())

    assert _message_schema(api_document(DEFAULTS))["maxLength"] == DEFAULT_MAX_MESSAGE_CHARS == 4000
    assert _message_schema(openapi_document(app))["maxLength"] == 1234


def _example_values(media: dict[str, Any]) -> list[Any]:
    return [example["value"] for example in media["examples"].values()]


def test_the_request_example_reaches_the_success_path_with_the_answer_documented() -> None:
    # Given a relay whose directory has the seller the examples name
    sellers, mailer = InMemorySellers(), RecordingMailer()
    sellers.add(api_examples.DEMO_SELLER_ID)
    settings = load_settings(TEST_ENVIRONMENT)
    relay = ContactRelay(
        sellers, mailer, InMemoryLedger(), RelayPolicy("Amazon", "n@relay.example")
    )
    app = create_app(settings, deliver_directly(relay), lookups_of(sellers), confirmer_of())
    post = json.loads(openapi_document(app))["paths"]["/sellers/{sellerId}/messages"]["post"]
    [seller_id] = _example_values(post["parameters"][0])
    [key] = _example_values(post["parameters"][1])
    [body] = _example_values(post["requestBody"]["content"]["application/json"])

    # When the documented request is sent
    response = app.resolve(
        post_event(body, seller_id=seller_id, headers={"Idempotency-Key": key}),
        FakeLambdaContext(),
    )

    # Then it is sent, and the answer has the documented example's shape
    assert response["statusCode"] == 201, response["body"]
    assert len(mailer.sent) == 1
    [documented] = _example_values(post["responses"]["201"]["content"]["application/json"])
    answer = ContactAccepted.model_validate(response_json(response))
    example = ContactAccepted.model_validate(documented)
    assert (example.topic, example.subject) == (answer.topic, answer.subject)
    assert example.removed == answer.removed


def test_the_topics_example_is_the_answer() -> None:
    app = create_app(
        load_settings(TEST_ENVIRONMENT), lambda _inquiry, _key: {}, lookups_of(), confirmer_of()
    )
    get = json.loads(openapi_document(app))["paths"]["/topics"]["get"]
    [documented] = _example_values(get["responses"]["200"]["content"]["application/json"])

    answer = response_json(app.resolve(load_event("get-topics"), FakeLambdaContext()))

    assert TopicsResponse.model_validate(documented) == TopicsResponse.model_validate(answer)


def test_the_example_seller_is_an_active_demo_seller_of_the_local_stack() -> None:
    # So a contract fuzzer run against `contact-relay dev` reaches 201 from the examples.
    [seller] = [s for s in demo_sellers() if s["sellerId"] == api_examples.DEMO_SELLER_ID]

    assert seller["status"] == "active" and seller.get("replyToEmail")
    assert seller["displayName"] == api_examples.DEMO_SELLER_NAME


def test_the_one_line_pattern_refuses_exactly_what_text_rules_refuses() -> None:
    # The schema's form of the rule, checked against the rule, character by character.
    one_line = re.compile(ONE_LINE_PATTERN)
    disagreements = [
        hex(code)
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF  # no pattern names a lone surrogate; validators do
        and (one_line.fullmatch(chr(code)) is None)
        != has_forbidden_single_line_character(chr(code))
    ]

    assert disagreements == []


@pytest.mark.parametrize("name", ["\x13", "Eve\x00", "Hana\u202ekoY", " \u2028 ", "\t", "   "])
def test_the_name_pattern_refuses_what_the_api_refuses(name: str) -> None:
    assert re.fullmatch(NAME_PATTERN, name) is None


@pytest.mark.parametrize("name", ["Eve", " 山田 花子 ", "🎁", "a b"])
def test_the_name_pattern_allows_what_the_api_allows(name: str) -> None:
    assert re.fullmatch(NAME_PATTERN, name) is not None


def test_the_read_routes_document_their_answers_and_nothing_of_an_address() -> None:
    document = json.loads(api_document(DEFAULTS))

    seller = document["paths"]["/sellers/{sellerId}"]["get"]
    message = document["paths"]["/messages/{messageId}"]["get"]
    assert set(seller["responses"]) == set(message["responses"]) == {"200", "404", "405", "503"}
    schemas = document["components"]["schemas"]
    assert set(schemas["SellerView"]["properties"]) == {"sellerId", "displayName", "accepting"}
    assert set(schemas["MessageStatusView"]["properties"]) == {
        "messageId", "status", "topic", "createdAt", "updatedAt",
    }  # fmt: skip


def test_the_read_routes_examples_are_answers_the_local_stack_gives() -> None:
    # So a contract fuzzer against `contact-relay dev` reaches each read route's 200.
    sellers = {seller["sellerId"]: seller for seller in demo_sellers()}
    for example in api_examples.SELLER_VIEWS.values():
        view = SellerView.model_validate(example.value)
        seller = sellers[view.seller_id]
        assert seller["displayName"] == view.display_name
        assert bool(seller.get("replyToEmail")) is view.accepting
    [row] = demo_messages()
    [documented] = [example.value for example in api_examples.MESSAGE_STATUSES.values()]
    message = MessageStatusView.model_validate(documented)
    assert row["messageId"] == message.message_id == api_examples.DEMO_MESSAGE_ID
    assert (row["status"], row["topic"]) == (message.status, message.topic)
    assert (row["createdAt"], row["updatedAt"]) == (
        int(message.created_at.timestamp()),
        int(message.updated_at.timestamp()),
    )


def test_the_verification_example_is_the_link_of_the_local_stacks_pending_seller() -> None:
    # So a contract fuzzer against `contact-relay dev` confirms an address once.
    [seller] = [s for s in demo_sellers() if s["sellerId"] == "pending-store"]
    post = json.loads(api_document(DEFAULTS))["paths"]["/verify/{token}"]["post"]
    [token] = _example_values(post["parameters"][0])

    assert token == api_examples.DEMO_VERIFICATION_TOKEN
    assert seller_of(token) == seller["sellerId"]
    assert seller["replyToStatus"] == "pending"
    assert set(post["responses"]) == {"200", "404", "405", "503"}
    assert "text/html; charset=utf-8" in post["responses"]["200"]["content"]
