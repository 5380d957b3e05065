"""The committed openapi.json is the document the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from contact_relay.handlers.app import api_document, create_app, openapi_document
from contact_relay.settings import DEFAULT_MAX_MESSAGE_CHARS, load_settings
from tests.support import TEST_ENVIRONMENT

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_the_committed_document_matches_the_code() -> None:
    generated = json.loads(api_document())
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))

    assert generated == committed, "openapi.json is stale: run `make openapi` and commit it"


def test_the_document_describes_every_route_and_error_status() -> None:
    document = json.loads(api_document())

    post = document["paths"]["/sellers/{sellerId}/messages"]["post"]
    assert set(post["responses"]) == {
        "201", "400", "404", "405", "409", "413", "415", "422", "429", "502", "503",
    }  # fmt: skip
    error_schema = {"$ref": "#/components/schemas/ErrorResponse"}
    assert all(
        response["content"]["application/json"]["schema"] == error_schema
        for status, response in post["responses"].items()
        if status != "201"
    )
    assert "get" in document["paths"]["/topics"]


def _message_schema(document: str) -> dict[str, object]:
    schema: dict[str, object] = json.loads(document)["components"]["schemas"]["ContactRequest"][
        "properties"
    ]["message"]
    return schema


def test_the_document_states_the_message_limit_the_route_enforces() -> None:
    # The committed document is the default deployment's; another limit documents itself.
    settings = load_settings({**TEST_ENVIRONMENT, "MAX_MESSAGE_CHARS": "1234"})
    app = create_app(settings, lambda _inquiry, _key: {})

    assert _message_schema(api_document())["maxLength"] == DEFAULT_MAX_MESSAGE_CHARS == 4000
    assert _message_schema(openapi_document(app))["maxLength"] == 1234
