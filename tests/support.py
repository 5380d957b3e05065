"""Small builders and readers shared by the tests."""

from __future__ import annotations

import email
import io
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from email.message import Message
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from contact_relay.handlers.outcomes import accepted_body, log_and_count
from contact_relay.handlers.sending_route import Deliver
from contact_relay.lookups import Lookups
from contact_relay.ports import AddressVerifications, MessageStatuses, SellerDirectory
from contact_relay.service import ContactRelay, Inquiry
from contact_relay.verification import AddressConfirmer
from contact_relay_local.relay_defaults import RELAY_DEFAULTS
from tests.fakes import InMemoryMessageStatuses, InMemorySellers, InMemoryVerifications

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"

SENDER = RELAY_DEFAULTS["SENDER_ADDRESS"]
# The digest key's secret as the template's DigestKeySecret makes it: 64 letters and digits.
TEST_DIGEST_KEY = "Q7vN2kLp9XwR4tYb8ZcM1sJd6HfG3aUe5WqT0yPo2iKn7BxV4rLm9CzS1dF8gHj3"
# The local stack's tables and sender, with the tests' own credentials and Powertools settings.
TEST_ENVIRONMENT = {
    **RELAY_DEFAULTS,
    "MARKETPLACE_NAME": "Amazon",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "POWERTOOLS_TRACE_DISABLED": "1",
    "POWERTOOLS_METRICS_NAMESPACE": "ContactRelay",
    # Well-formed, so settings load; `create_test_secrets` makes a real one in moto and gives
    # its ARN for the environment of tests that read it.
    "DIGEST_KEY_SECRET_ARN": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/digest-key-AbCdEf"
    ),
}


def deliver_directly(relay: ContactRelay) -> Deliver:
    """What the routes are wired to in tests that need no idempotency records: the relay's
    answer, logged and counted as the deployed delivery does."""

    def deliver(inquiry: Inquiry, _idempotency_key: str | None) -> dict[str, Any]:
        receipt = relay.relay(inquiry)
        log_and_count(receipt)
        return accepted_body(receipt)

    return deliver


def lookups_of(
    sellers: SellerDirectory | None = None, messages: MessageStatuses | None = None
) -> Lookups:
    """The read routes' lookups, over in-memory ports unless given others."""
    return Lookups(sellers or InMemorySellers(), messages or InMemoryMessageStatuses())


def confirmer_of(verifications: AddressVerifications | None = None) -> AddressConfirmer:
    """The verification route's confirmer, over an in-memory port unless given another."""
    return AddressConfirmer(verifications or InMemoryVerifications())


def create_test_secrets(secretsmanager: Any) -> dict[str, str]:
    """Create, in moto, the secrets the function reads; return {variable: ARN} for its
    environment (moto appends its own six characters to each name, as Secrets Manager does)."""
    answer = secretsmanager.create_secret(
        Name="contact-relay/digest-key", SecretString=TEST_DIGEST_KEY
    )
    return {"DIGEST_KEY_SECRET_ARN": str(answer["ARN"])}


class FakeLambdaContext(LambdaContext):
    """The context Lambda passes a handler, with what the function reads of it."""

    def __init__(self) -> None:
        self._function_name = "contact-relay-test"
        self._memory_limit_in_mb = 512
        self._invoked_function_arn = (
            "arn:aws:lambda:us-east-1:123456789012:function:contact-relay-test"
        )
        self._aws_request_id = "00000000-0000-0000-0000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return event


def post_event(
    body: Any,
    seller_id: str = "example-store",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A POST event built from the shipping example, with the body and headers replaced."""
    event = load_event("post-shipping")
    event["path"] = f"/sellers/{seller_id}/messages"
    event["pathParameters"] = {"sellerId": seller_id}
    event["body"] = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    for name, value in (headers or {}).items():
        with_header(event, name, value)
    return event


def with_header(event: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    """Set a header the way API Gateway delivers it: in headers and multiValueHeaders alike."""
    event["headers"] = {**(event.get("headers") or {}), name: value}
    event["multiValueHeaders"] = {**(event.get("multiValueHeaders") or {}), name: [value]}
    return event


def contact_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "topic": "shipping",
        "message": "Hello, when will my order ship?",
        "buyer": {"name": "Hanako Yamada", "email": "hanako@example.com"},
    }
    body.update(overrides)
    return body


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def header(response: dict[str, Any], name: str) -> str | None:
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return str(values[0])
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def parse_mime(raw: str | bytes) -> Message:
    if isinstance(raw, bytes):
        return email.message_from_bytes(raw, policy=default_policy)
    return email.message_from_string(raw, policy=default_policy)


def body_of(mail: Message) -> str:
    """The decoded text of a single-part email, with line ends as `\n`."""
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(mail.get_content_charset() or "utf-8").replace("\r\n", "\n")


def traces_of_address(raw: bytes, address: str) -> list[str]:
    """Where an email shows anything of `address` (the whole of it, its local part or its
    domain, in any letter case): each header by name (its value decoded), "raw headers" (as
    sent, encoded words and all) and "body" (as sent, and decoded). Empty: no trace of it."""
    local_part, _, domain = address.lower().rpartition("@")
    needles = (address.lower(), local_part, domain)
    mail = parse_mime(raw)
    raw_head, _, raw_body = raw.decode("ascii").lower().partition("\r\n\r\n")

    def shows(text: str) -> bool:
        return any(needle in text.lower() for needle in needles)

    places = [name for name, value in mail.items() if shows(str(value))]
    if shows(raw_head):
        places.append("raw headers")
    if shows(raw_body) or shows(body_of(mail)):
        places.append("body")
    return places


SiteVerifyForm = dict[str, list[str]]


class LoopbackSiteVerify:
    """A captcha provider on 127.0.0.1 speaking the siteverify protocol: it keeps every form it
    receives and answers each with `answer(form)`, which a test may change between calls."""

    def __init__(self, answer: Callable[[SiteVerifyForm], dict[str, Any]]) -> None:
        self.answer = answer
        self.forms: list[SiteVerifyForm] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                provider.forms.append(form)
                body = json.dumps(provider.answer(form)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/siteverify"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def cases(table: Mapping[str, Sequence[Any]]) -> list[Any]:
    """A table's cases as pytest parameters, each named by its kind and its text."""
    return [
        pytest.param(case, id=f"{kind}: {case!r}"[:90])
        for kind, kind_cases in table.items()
        for case in kind_cases
    ]


class Trickle:
    """A byte stream that answers each read with at most `step` bytes, as a network may: lines
    and MIME delimiters straddle the reads."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def read(self, size: int = -1, /) -> bytes:
        return self._data.read(min(size, self._step))


def default_session_events() -> Any:
    """botocore's event hooks of boto3's default session, which the relay's clients are made
    from: what registers there sees (or changes) every call they make."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return boto3.DEFAULT_SESSION.events
