"""What the API refuses before routing: an oversized body (413), a body that is not JSON (415).

An oversized or non-JSON body never reaches the parser. A JSON media type written another way
(`Application/JSON`, `application/problem+json`) is rewritten to `application/json`, the only
spelling Powertools' body parser recognises.
"""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools.event_handler import CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from contact_relay.handlers.api_models import MAX_BODY_BYTES
from contact_relay.handlers.error_responses import (
    error_response,
    invalid_json,
    unsupported_media_type,
)
from contact_relay.handlers.routes import reads_a_json_body


def edge_rejection(event: dict[str, Any], cors: CORSConfig | None) -> dict[str, Any] | None:
    """The proxy result refusing this request before routing, or None to route it."""
    body = event.get("body") or ""
    # Bytes, as API Gateway counts them: 32 KiB of Japanese is about 11,000 characters.
    size = len(body.encode("utf-8")) if not event.get("isBase64Encoded") else _decoded_size(body)
    if size > MAX_BODY_BYTES:
        response = error_response(
            413, "payload_too_large", f"The body must be at most {MAX_BODY_BYTES} bytes."
        )
        return _build(response, event, cors)
    if not reads_a_json_body(event.get("httpMethod"), event.get("path")):
        return None
    content_type = _header(event, "content-type")
    if not _is_json(content_type):
        return _build(unsupported_media_type(), event, cors)
    if event.get("isBase64Encoded") and not _is_utf8_base64(body):
        return _build(invalid_json(), event, cors)
    if content_type is not None:
        _set_header(event, "content-type", "application/json")
    return None


def _decoded_size(base64_body: str) -> int:
    """What a base64 body decodes to, in bytes: three per four characters, less its padding (a
    body of exactly the limit ends in `=`). Malformed base64 is refused after this."""
    padding = 2 if base64_body.endswith("==") else 1 if base64_body.endswith("=") else 0
    return len(base64_body) * 3 // 4 - padding


def _build(
    response: Response[Any], event: dict[str, Any], cors: CORSConfig | None
) -> dict[str, Any]:
    """The proxy result for an answer given before routing, with the CORS headers a routed
    answer would get (Powertools adds them only to answers that have a route)."""
    # A request naming no origin (no page sent it) is granted none, as Powertools does.
    request_origin = _header(event, "origin")
    if cors is not None and request_origin is not None:
        origin = cors.allowed_origin(request_origin)
        if origin is not None:
            response.headers.update(cors.to_dict(origin))
    # Powertools' default serializer writes the body as a routed answer's: compact JSON. Without
    # a route, build() reads no CORS configuration: the headers are set above.
    builder: ResponseBuilder[Any] = ResponseBuilder(response=response)
    return builder.build(APIGatewayProxyEvent(event))


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _is_utf8_base64(body: str) -> bool:
    try:
        base64.b64decode(body, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _set_header(event: dict[str, Any], name: str, value: str) -> None:
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field) or {}
        for key in [key for key in headers if key.lower() == name]:
            headers[key] = value if field == "headers" else [value]


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        # A body without a type is what a page of another origin can post without a CORS
        # preflight (`fetch` in `no-cors` mode): accepting it would let any site use the form.
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == content_types.APPLICATION_JSON or media_type.endswith("+json")
