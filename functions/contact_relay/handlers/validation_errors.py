"""Pydantic's validation errors as the API reports them: which field, and which rule it broke.

A field is named with our models' names (a key the API does not know, by its place); an issue
states the rule, never the value. Nothing a client sent is repeated back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from contact_relay.handlers.api_models import ErrorDetail

# How a key the API does not know is named in `details[].field`: by its place among the unknown
# keys of its object, in the order sent (`<unknown field #1>`, `buyer.<unknown field #2>`).
# A client that sent it can tell which it is; its text, which may be anything, is never echoed.
UNKNOWN_FIELD = "<unknown field #{number}>"


def invalid_path_parameter(errors: Sequence[dict[str, Any]]) -> str | None:
    """The name of the first invalid path parameter (`sellerId`, `messageId`), or None."""
    for error in errors:
        location = tuple(error.get("loc", ()))
        if location[:1] == ("path",):
            return str(location[1]) if len(location) > 1 else ""
    return None


def says_the_body_is_not_a_json_object(errors: Sequence[dict[str, Any]]) -> bool:
    """Whether the body is missing, is not JSON, or is JSON but not an object."""
    return any(_is_not_a_json_object(error) for error in errors)


def field_details(errors: Sequence[dict[str, Any]]) -> list[ErrorDetail]:
    """One detail per field and issue, in the order pydantic reported them."""
    details: list[ErrorDetail] = []
    unknown_keys: Counter[tuple[str, ...]] = Counter()
    for error in errors:
        location = tuple(str(part) for part in error.get("loc", ()))
        if error.get("type") == "extra_forbidden":
            # The key is the client's text, never ours to repeat: it is named by its place.
            parent = location[:-1]
            unknown_keys[parent] += 1
            location = (*parent, UNKNOWN_FIELD.format(number=unknown_keys[parent]))
        detail = ErrorDetail(field=_field_name(location), issue=_issue(error))
        if detail not in details:
            details.append(detail)
    return details


def _is_not_a_json_object(error: dict[str, Any]) -> bool:
    location = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        return True
    # No body or null (`missing`), or an array, string or number rather than an object: what
    # Powertools' lax validation of the body's model reports (pydantic's strict `model_type`
    # and a dict body's `dict_type` never arise here).
    return location == ("body",) and error.get("type") in {"missing", "model_attributes_type"}


def _field_name(location: Sequence[str]) -> str:
    """`buyer.name`, `Idempotency-Key`: every part is a name from our models, or UNKNOWN_FIELD."""
    where, parts = (location[0], location[1:]) if len(location) > 1 else ("body", location)
    name = ".".join(parts) or "body"
    if where == "header":
        name = "-".join(word.capitalize() for word in name.split("-"))
    return name


# Worded for a buyer, and about the rule, never the value: pydantic's own `msg` is not used
# (for some types it quotes the input).
_ISSUES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "literal_error": "must be one of the listed values",
    "string_type": "must be a string",
    "string_too_short": "is too short",
    "string_too_long": "is too long",
    "string_pattern_mismatch": "has characters or a length that are not allowed",
    "model_attributes_type": "must be an object",
    "model_type": "must be an object",
}


def _issue(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected")
        return f"must be one of {expected}" if expected else _ISSUES[kind]
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "must not be empty"
    if kind in {"string_too_long", "string_too_short"}:
        limit = error.get("ctx", {}).get(
            "max_length" if kind == "string_too_long" else "min_length"
        )
        if limit is not None:
            return (
                f"must be at {'most' if kind == 'string_too_long' else 'least'} {limit} characters"
            )
    if kind == "value_error":
        # Raised only by api_models' own validators, whose messages state the rule and never
        # quote the value (email_address promises the same of its reasons).
        return str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    return _ISSUES.get(kind, "is invalid")
