"""The committed openapi.json is the document the code generates."""

from __future__ import annotations

import json
from pathlib import Path

from contact_relay.handlers.app import api_document

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
