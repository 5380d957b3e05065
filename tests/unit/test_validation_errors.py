"""Pydantic's errors as the API reports them: named by our fields, worded by the rule."""

from __future__ import annotations

from typing import Any

from contact_relay.handlers.api_models import ErrorDetail
from contact_relay.handlers.validation_errors import (
    field_details,
    invalid_path_parameter,
    says_the_body_is_not_a_json_object,
)


def _error(kind: str, *loc: str | int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": "quoting <script>alert(1)</script>", **extra}


def test_unknown_keys_are_named_by_their_place_in_their_own_object() -> None:
    errors = [
        _error("extra_forbidden", "body", "buyer", "<img src=x>"),
        _error("extra_forbidden", "body", "admin"),
        _error("extra_forbidden", "body", "buyer", "phone"),
    ]

    assert [detail.field for detail in field_details(errors)] == [
        "buyer.<unknown field #1>",
        "<unknown field #1>",
        "buyer.<unknown field #2>",
    ]


def test_an_issue_states_the_rule_and_never_pydantic_s_message() -> None:
    errors = [
        _error("string_too_long", "body", "buyer", "name", ctx={"max_length": 100}),
        _error("string_pattern_mismatch", "header", "idempotency-key"),
        _error("string_pattern_mismatch", "header", "idempotency-key"),
        _error("url_parsing", "body", "website"),
    ]

    assert field_details(errors) == [
        ErrorDetail(field="buyer.name", issue="must be at most 100 characters"),
        ErrorDetail(
            field="Idempotency-Key", issue="has characters or a length that are not allowed"
        ),
        ErrorDetail(field="website", issue="is invalid"),
    ]


def test_which_errors_name_no_field_of_the_body() -> None:
    assert invalid_path_parameter([_error("string_pattern_mismatch", "path", "sellerId")]) == (
        "sellerId"
    )
    assert invalid_path_parameter([_error("string_pattern_mismatch", "path", "messageId")]) == (
        "messageId"
    )
    assert invalid_path_parameter([_error("missing", "body", "topic")]) is None
    assert says_the_body_is_not_a_json_object([_error("model_attributes_type", "body")])
    assert says_the_body_is_not_a_json_object([_error("json_invalid", "body", 0)])
    assert not says_the_body_is_not_a_json_object([_error("missing", "body", "topic")])
