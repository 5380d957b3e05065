"""The API's OpenAPI document: what Powertools generates from the routes and models, without
the answers this API never gives."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from contact_relay.handlers.app import create_app
from contact_relay.lookups import Lookups
from contact_relay.ports import MessageProgress, Seller
from contact_relay.service import Inquiry
from contact_relay.settings import Settings
from contact_relay.verification import AddressConfirmer


def openapi_document(app: APIGatewayRestResolver) -> str:
    document = json.loads(
        app.get_openapi_json_schema(
            title="contact-relay",
            version="1.0.0",
            summary="Relay a buyer's plain-text message to a seller",
        )
    )
    return json.dumps(_without_answers_we_never_give(document), indent=2, ensure_ascii=False)


_POWERTOOLS_VALIDATION_ERROR = "#/components/schemas/HTTPValidationError"


def _without_answers_we_never_give(document: dict[str, Any]) -> dict[str, Any]:
    """Powertools documents a 422 of its own shape (HTTPValidationError) on every operation that
    does not declare one, with schemas for it, one of which requires a `msg` it never defines.
    This API never answers so: error_responses turns every validation error into an
    ErrorResponse. Those responses go, then every schema nothing refers to any more."""
    for operations in document["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            default = responses.get("422", {}).get("content", {}).get("application/json", {})
            if default.get("schema", {}).get("$ref") == _POWERTOOLS_VALIDATION_ERROR:
                del responses["422"]
    schemas = document["components"]["schemas"]
    used = _referenced_schemas(document["paths"], schemas)
    document["components"]["schemas"] = {
        name: schema for name, schema in schemas.items() if name in used
    }
    return document


def _referenced_schemas(root: Any, schemas: dict[str, Any]) -> set[str]:
    """The names of the schemas `root` refers to, directly or through other schemas."""
    found: set[str] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/components/schemas/"):
                name = reference.removeprefix("#/components/schemas/")
                if name not in found:
                    found.add(name)
                    pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def api_document(settings: Settings) -> str:
    """The OpenAPI document of a deployment with `settings`, from the routes and models alone:
    no AWS. The committed openapi.json is the local stack's defaults' (`contact-relay openapi`)."""

    def never_called(_inquiry: Inquiry, _key: str | None) -> dict[str, Any]:
        raise NotImplementedError

    no_aws = _NoAWS()
    return openapi_document(
        create_app(settings, never_called, Lookups(no_aws, no_aws), AddressConfirmer(no_aws))
    )


class _NoAWS:
    """Ports that the document never calls: it is generated from the routes alone."""

    def find(self, seller_id: str) -> Seller | None:
        raise NotImplementedError

    def progress(self, message_id: str) -> MessageProgress | None:
        raise NotImplementedError

    def confirm(self, seller_id: str, token_digest: str, now: int) -> bool:
        raise NotImplementedError
