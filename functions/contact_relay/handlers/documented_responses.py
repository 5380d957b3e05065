"""The answers the routes document in the OpenAPI document: the error table, and HTML pages."""

from __future__ import annotations

from typing import Any

from contact_relay.handlers.api_models import MAX_BODY_BYTES, ErrorResponse
from contact_relay.handlers.html_pages import HTML

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer", "minimum": 1},
    }
}
_ALWAYS_RETRY_AFTER = {"Retry-After": {**_RETRY_AFTER["Retry-After"], "required": True}}
ERROR_RESPONSES: dict[int, Any] = {
    status: {
        "description": description,
        "content": {"application/json": {"model": ErrorResponse}},
        **({"headers": headers} if headers else {}),
    }
    for status, (description, headers) in {
        400: ("invalid_json: the body is not a JSON object", None),
        404: ("seller_not_found, or not_found for an unknown route", None),
        405: (
            "method_not_allowed",
            {
                "Allow": {
                    "description": "The methods this path accepts",
                    "schema": {"type": "string"},
                    "required": True,
                }
            },
        ),
        409: ("seller_unavailable, or request_in_progress (with Retry-After)", _RETRY_AFTER),
        # Bytes, which no limit in characters can state: fields at their limits in four-byte
        # characters, or escaped as \uXXXX (six bytes each), can make a body larger than this.
        413: (
            f"payload_too_large: the body is over {MAX_BODY_BYTES} bytes as sent, whatever the"
            " length of its fields in characters",
            None,
        ),
        415: ("unsupported_media_type: the body is not application/json", None),
        422: (
            "validation_failed: a field is invalid (details name each), the buyer's name is"
            " nothing but links or markup, or the Idempotency-Key was used for another request;"
            " message_empty: nothing is left of the message once reduced to plain text;"
            " links_not_allowed: LINK_POLICY=reject and the message or the name held a link",
            None,
        ),
        429: ("rate_limited", _ALWAYS_RETRY_AFTER),
        502: ("delivery_failed: SES refused the message", None),
        503: ("service_unavailable: nothing was sent", _ALWAYS_RETRY_AFTER),
    }.items()
}


def page_response(description: str) -> Any:
    """A response that is an HTML page for a person, not JSON."""
    return {"description": description, "content": {HTML: {"schema": {"type": "string"}}}}
