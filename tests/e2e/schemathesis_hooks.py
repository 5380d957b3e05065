"""Checks of our own for the contract fuzzing run (loaded by schemathesis.toml's `hooks`).

schemathesis.toml lets `positive_data_acceptance` take 413 and 422 for a schema-valid request,
because this API refuses some by rules no schema can state. These checks keep that from hiding
anything else: a 413 or 422 to schema-valid data must be one of those rules, and every operation
must answer some request with success.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis

from contact_relay.handlers.api_examples import STOP_TOKENS
from contact_relay.handlers.api_models import MAX_BODY_BYTES
from contact_relay.handlers.error_responses import KEY_REUSED, NAME_WITHOUT_TEXT

# 422s that schema-valid data may get: what reduction leaves of the message (`message_empty`)
# or of the name; a link under LINK_POLICY=reject; a key first used for another message.
_RULE_CODES = {"message_empty", "links_not_allowed"}
_RULE_DETAILS = {("buyer.name", NAME_WITHOUT_TEXT), ("Idempotency-Key", KEY_REUSED)}


@schemathesis.check
def valid_data_is_refused_only_by_rules_no_schema_states(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code == 413:
        sent = response.request.body or b""
        size = len(sent.encode() if isinstance(sent, str) else sent)
        if size <= MAX_BODY_BYTES:
            raise AssertionError(f"413 for a schema-valid body of {size} bytes")
    if response.status_code == 422:
        error = json.loads(response.content)["error"]
        details = {(detail["field"], detail["issue"]) for detail in error.get("details", [])}
        by_rule = error["code"] in _RULE_CODES or (
            error["code"] == "validation_failed" and details and details <= _RULE_DETAILS
        )
        if not by_rule:
            raise AssertionError(f"422 for schema-valid data, not by a business rule: {error}")
    return None


@schemathesis.check
class every_operation_succeeds_at_least_once:  # noqa: N801 (checks are named like functions)
    """The examples must take each operation to its success path, or the run tested only
    refusals."""

    def __init__(self) -> None:
        self.tested: set[str] = set()
        self.succeeded: set[str] = set()

    def after_response(self, ctx: Any, response: Any, case: Any) -> None:
        self.tested.add(case.operation.label)
        if 200 <= response.status_code < 300:
            self.succeeded.add(case.operation.label)

    def after_run(self, ctx: Any) -> None:
        if never := self.tested - self.succeeded:
            raise AssertionError(f"never answered with success: {', '.join(sorted(never))}")


# POST /stop/{token} succeeds only for a token the stack's own digest key made, and each stack
# makes a new key: no example in openapi.json can name a conversation. test_contract_fuzzing.py
# opens one before the run and hands its stop token over; the operation's example becomes it.
STOP_TOKEN_VARIABLE = "CONTRACT_FUZZING_STOP_TOKEN"
_STOP_EXAMPLE = STOP_TOKENS["a stop link"].value


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    token = os.environ.get(STOP_TOKEN_VARIABLE)
    parameters = case.path_parameters or {}
    if token and case.method == "POST" and parameters.get("token") == _STOP_EXAMPLE:
        parameters["token"] = token
