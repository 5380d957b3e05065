"""Pydantic's errors as the API reports them: named by our fields, worded by the rule."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from contact_relay.handlers.api_models import ContactRequest, ErrorDetail
from contact_relay.handlers.validation_errors import (
    field_details,
    invalid_path_parameter,
    says_the_body_is_not_a_json_object,
)
from contact_relay.topics import TOPICS


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


def _model_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors pydantic reports for a request body, placed under "body" as Powertools does."""
    with pytest.raises(ValidationError) as raised:
        ContactRequest.model_validate(body)
    return [{**error, "loc": ("body", *error["loc"])} for error in raised.value.errors()]


# Mutants (make mutate): the `literal_error` branch of `_issue` skipped or its `expected` lost,
# which words a bad topic as "must be one of the listed values" without naming them.
def test_a_topic_outside_the_list_is_told_the_topics_it_may_be() -> None:
    body = {"topic": "nope", "message": "Hi", "buyer": {"name": "A", "email": "a@b.example"}}

    [detail] = field_details(_model_errors(body))

    assert detail.field == "topic"
    quoted = [f"'{topic.id}'" for topic in TOPICS]
    assert detail.issue == f"must be one of {', '.join(quoted[:-1])} or {quoted[-1]}"
    # Without the list to name, the rule is still stated.
    assert field_details([_error("literal_error", "body", "topic")]) == [
        ErrorDetail(field="topic", issue="must be one of the listed values")
    ]


# Mutants: the `min_length == 1` test of `_issue` widened to any error, or turned round.
def test_an_empty_field_must_not_be_empty_and_a_short_one_is_told_its_minimum() -> None:
    body = {"topic": "shipping", "message": "", "buyer": {"name": "A", "email": "x"}}

    assert field_details(_model_errors(body)) == [
        ErrorDetail(field="message", issue="must not be empty"),
        ErrorDetail(field="buyer.email", issue="must be at least 3 characters"),
    ]


# Mutant: a validator's own message replaced by "is invalid" (`error.get("msg")` lost).
def test_a_validator_s_rule_is_given_without_pydantic_s_prefix() -> None:
    body = {"topic": "shipping", "message": "Hi", "buyer": {"name": "A", "email": "not-an-address"}}

    [detail] = field_details(_model_errors(body))

    assert detail == ErrorDetail(
        field="buyer.email", issue="is not a valid email address: must look like name@example.com"
    )


# Mutants: `len(location) > 1` made `>= 1` or always true in `_field_name` and
# `invalid_path_parameter`; the "body" of an error with no place at all changed or lost.
def test_an_error_of_one_place_or_none_is_named_all_the_same() -> None:
    assert [detail.field for detail in field_details([_error("missing", "topic")])] == ["topic"]
    assert [detail.field for detail in field_details([{"type": "missing"}])] == ["body"]
    assert [detail.field for detail in field_details([_error("missing", "body")])] == ["body"]
    # A path error that names no parameter: "", not a parameter's name, and no IndexError.
    assert invalid_path_parameter([_error("string_pattern_mismatch", "path")]) == ""


# Mutants: the `()` default of an error's place lost (`tuple(None)`) in `invalid_path_parameter`
# and `says_the_body_is_not_a_json_object`: an error with no place is about no parameter and
# says nothing of the body, and reading it raises nothing.
def test_an_error_with_no_place_names_no_parameter_and_no_bad_body() -> None:
    assert invalid_path_parameter([{"type": "missing"}]) is None
    assert not says_the_body_is_not_a_json_object([{"type": "missing"}])


# Mutants: the `{}` default of an error's `ctx` lost (`None.get`): a length error that does not
# state its limit (pydantic's `ctx` is optional) is still worded by its rule.
@pytest.mark.parametrize(
    ("kind", "issue"), [("string_too_short", "is too short"), ("string_too_long", "is too long")]
)
def test_a_length_error_without_its_limit_states_the_rule(kind: str, issue: str) -> None:
    assert field_details([_error(kind, "body", "message")]) == [
        ErrorDetail(field="message", issue=issue)
    ]


# Mutants: the "is invalid" default of a validator's message changed or lost (`"None"`).
def test_a_validator_error_without_a_message_is_invalid() -> None:
    error = {"type": "value_error", "loc": ("body", "buyer", "email")}

    assert field_details([error]) == [ErrorDetail(field="buyer.email", issue="is invalid")]
