"""Replies through the local stack: `POST /_local/inbound` receives mail to an alias as SES
receiving would, and `contact-relay reply` plays the seller or the buyer from the command line.
Everything goes through the real inbound function, in its own warm environment."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import boto3
import pytest

from contact_relay_local.local_inbound import MAX_INBOUND_BYTES
from contact_relay_local.running_stack import CLI, RunningStack, free_port
from contact_relay_local.stack import LOCAL_DEFAULTS, LOCAL_REPLY_DOMAIN
from contact_relay_local.template_functions import literal_variables

pytestmark = pytest.mark.e2e

SELLER = "cs@example-store.example"
DOMAIN = re.escape(LOCAL_REPLY_DOMAIN)
RELAYED_FROM = re.compile(rf'^"(?P<name>[^"]+) via Amazon" <(?P<alias>[a-z2-7]{{32}}@{DOMAIN})>$')


@pytest.fixture(scope="module")
def stack() -> Any:
    # A stack of its own: the tests read its whole outbox.
    running = RunningStack()
    yield running
    assert running.stop() == 0


def form_message(stack: RunningStack, buyer_email: str, seller_id: str = "example-store") -> None:
    response = stack.request(
        "POST",
        f"/sellers/{seller_id}/messages",
        {
            "topic": "shipping",
            "message": "When will my order ship?",
            "buyer": {"name": "Hanako Yamada", "email": buyer_email},
        },
    )
    assert response.status == 201, response.body


def reply(stack: RunningStack, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "reply", "--url", stack.url, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def raw_message(sender: str, to: str, text: str = "Hello", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Shipping inquiry from Amazon customer"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes(policy=SMTP)


def post_inbound(stack: RunningStack, raw: bytes, verdicts: str | None = None) -> Any:
    headers = {"Content-Type": "message/rfc822"}
    if verdicts is not None:
        headers["X-Local-Verdicts"] = verdicts
    return stack.request("POST", "/_local/inbound", raw, headers)


def newest_buyer_alias(stack: RunningStack) -> str:
    [alias] = stack.outbox()[-1]["replyTo"]
    assert re.fullmatch(rf"[a-z2-7]{{32}}@{DOMAIN}", alias), alias
    return str(alias)


def test_a_body_that_is_not_a_raw_message_is_refused(stack: RunningStack) -> None:
    for content_type in ("application/json", "text/plain", None):
        headers = {"Content-Type": content_type} if content_type else {}
        request_body = b'{"hello": 1}'
        answer = (
            stack.request("POST", "/_local/inbound", request_body, headers)
            if content_type
            else stack.raw(
                b"POST /_local/inbound HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                % (stack.port, len(request_body), request_body)
            )
        )

        assert answer.status == 415
        assert answer.json()["error"]["code"] == "unsupported_media_type"
        assert "message/rfc822" in answer.json()["error"]["message"]


def test_a_malformed_verdicts_header_is_refused_naming_it(stack: RunningStack) -> None:
    answer = post_inbound(stack, raw_message(SELLER, f"x@{LOCAL_REPLY_DOMAIN}"), "dmarc=MAYBE")

    assert answer.status == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid_verdicts"
    assert "X-Local-Verdicts" in error["message"]
    assert error["details"][0]["field"] == "X-Local-Verdicts"


def test_an_oversize_message_is_refused_before_it_is_read(stack: RunningStack) -> None:
    answer = stack.raw(
        b"POST /_local/inbound HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
        b"Content-Type: message/rfc822\r\nContent-Length: %d\r\n\r\n"
        % (stack.port, MAX_INBOUND_BYTES + 1)
    )

    assert answer.status == 413
    assert answer.json()["error"]["code"] == "payload_too_large"
    assert str(MAX_INBOUND_BYTES) in answer.json()["error"]["message"]


def test_a_message_for_no_alias_is_not_received(stack: RunningStack) -> None:
    before = stack.outbox()

    answer = post_inbound(stack, raw_message(SELLER, "someone@example.com"))

    assert answer.status == 422
    assert answer.json()["error"]["code"] == "no_alias_recipient"
    assert stack.outbox() == before


def test_the_seller_replies_from_the_command_line_and_the_buyer_gets_it(
    stack: RunningStack,
) -> None:
    buyer = f"hanako.{secrets.token_hex(4)}@example.com"
    form_message(stack, buyer, "tokyo-tea")
    buyer_alias = newest_buyer_alias(stack)

    replied = reply(stack, "--text", "It ships tomorrow.")

    assert replied.returncode == 0, replied.stderr
    printed = json.loads(replied.stdout)
    assert printed["results"] == [
        {"recipient": buyer_alias, "disposition": "relayed", "reason": None}
    ]
    assert (printed["from"], printed["to"]) == ("support@tokyo-tea.example", buyer_alias)
    relayed = stack.outbox()[-1]
    assert relayed["to"] == [buyer]
    match = RELAYED_FROM.fullmatch(relayed["from"])
    assert match is not None, relayed["from"]
    # The seller's display name, decoded; the seller alias, never the seller's address.
    assert match["name"] == "東京ティーハウス"
    assert "It ships tomorrow." in relayed["body"]
    assert "Shipping inquiry from Amazon customer" in relayed["subject"]


def test_the_buyer_replies_back_and_the_seller_never_sees_the_buyer_address(
    stack: RunningStack,
) -> None:
    buyer = f"ichiro.{secrets.token_hex(4)}@example.com"
    form_message(stack, buyer)
    assert reply(stack, "--text", "Tomorrow, by post.").returncode == 0
    seller_alias = RELAYED_FROM.fullmatch(stack.outbox()[-1]["from"])["alias"]  # type: ignore[index]

    # The buyer answers the relayed reply, its text on stdin.
    replied = subprocess.run(
        [str(CLI), "reply", "--url", stack.url],
        input="Thank you, that is quick.",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert replied.returncode == 0, replied.stderr
    [result] = json.loads(replied.stdout)["results"]
    assert result == {"recipient": seller_alias, "disposition": "relayed", "reason": None}
    to_seller = stack.outbox()[-1]
    assert to_seller["to"] == [SELLER]
    assert "Thank you, that is quick." in to_seller["body"]
    for email in stack.outbox():
        if any(address != buyer for address in email["to"]):
            assert buyer not in json.dumps(email), email
    assert buyer not in stack.printed()


def test_mail_that_fails_dmarc_is_dropped(stack: RunningStack) -> None:
    form_message(stack, f"jiro.{secrets.token_hex(4)}@example.com")
    before = len(stack.outbox())

    replied = reply(stack, "--text", "Spoofed?", "--verdicts", "dmarc=FAIL")

    assert replied.returncode == 0, replied.stderr
    [result] = json.loads(replied.stdout)["results"]
    assert (result["disposition"], result["reason"]) == ("dropped", "unauthenticated")
    assert len(stack.outbox()) == before


def test_mail_to_an_unknown_alias_is_dropped(stack: RunningStack) -> None:
    before = len(stack.outbox())
    unknown = f"{'a' * 32}@{LOCAL_REPLY_DOMAIN}"

    answer = post_inbound(stack, raw_message(SELLER, unknown))

    assert answer.status == 200
    assert answer.json() == {
        "results": [{"recipient": unknown, "disposition": "dropped", "reason": "unknown_alias"}]
    }
    assert len(stack.outbox()) == before


def test_what_was_received_is_kept_in_the_inbound_bucket(stack: RunningStack) -> None:
    match = re.search(r"moto at (http://[0-9.:]+)", stack.wait_for_lines("moto at", 1, 1)[0])
    assert match, stack.printed()
    s3 = boto3.client(
        "s3",
        endpoint_url=match.group(1),
        region_name=LOCAL_DEFAULTS["AWS_DEFAULT_REGION"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    prefix = literal_variables("InboundFunction")["INBOUND_PREFIX"]
    marker = secrets.token_hex(8)

    assert (
        post_inbound(stack, raw_message(SELLER, f"{'b' * 32}@{LOCAL_REPLY_DOMAIN}", marker)).status
        == 200
    )

    bucket = LOCAL_DEFAULTS["INBOUND_BUCKET"]
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert all(key.startswith(prefix) for key in keys)
    bodies = [s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys]
    [stored] = [body for body in bodies if marker.encode() in body]
    # Under the headers SES adds on receipt.
    assert stored.startswith(
        b"Return-Path: <cs@example-store.example>\r\n"
        b"X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\nFrom: "
    )


def test_the_outbox_keeps_its_format(stack: RunningStack) -> None:
    outbox = stack.outbox()

    assert outbox
    assert all(set(email) == {"from", "to", "replyTo", "subject", "body"} for email in outbox)


def test_reply_says_when_no_stack_is_running() -> None:
    replied = subprocess.run(
        [str(CLI), "reply", "--url", f"http://127.0.0.1:{free_port()}", "--text", "hello"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert replied.returncode == 1
    assert "no local stack answers at http://127.0.0.1:" in replied.stderr
    assert "contact-relay dev" in replied.stderr


def test_reply_says_which_messages_there_are(stack: RunningStack) -> None:
    count = len(stack.outbox())

    replied = reply(stack, "--to-message", str(count + 1), "--text", "hello")

    assert replied.returncode == 1
    assert f"--to-message must be 1 to {count}" in replied.stderr
