"""The local stack's SES receiving: what `X-Local-Verdicts` may say, and the stored message and
Lambda event it makes of a raw message, shaped as the SES developer guide's sample event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aws_lambda_powertools.utilities.parser.models import SesModel

from contact_relay_local.receipt_verdicts import BadVerdicts, Verdicts, parse_verdicts
from contact_relay_local.ses_receiving import (
    HEADERS_LIMIT,
    NoRecipientAtReplyDomain,
    new_message_id,
    receive,
)

RECEIVED = datetime(2026, 12, 5, 1, 2, 3, 456789, tzinfo=UTC)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:InboundFunction"
ALIAS = "abcdefghijklmnopqrstuvwxyz234567"
RAW = (
    "From: Example Store <cs@example-store.example>\r\n"
    f"To: {ALIAS}@reply.localhost, other@example.com, {ALIAS}@REPLY.localhost\r\n"
    "Cc: Someone <ABCDEFGHIJKLMNOPQRSTUVWXYZ234567@Reply.Localhost>\r\n"
    "Subject: Re: Shipping inquiry\r\n"
    "Date: Sat, 05 Dec 2026 01:02:00 +0000\r\n"
    "Message-ID: <reply-1@example-store.example>\r\n"
    "\r\n"
    "It ships tomorrow.\r\n"
).encode()


def received(raw: bytes = RAW, verdicts: Verdicts | None = None, domain: str = "reply.localhost"):  # type: ignore[no-untyped-def]
    return receive(
        raw,
        reply_domain=domain,
        verdicts=verdicts or Verdicts(),
        function_arn=ARN,
        received_at=RECEIVED,
        invoked_at=RECEIVED + timedelta(milliseconds=42),
        message_id="m1",
    )


def test_every_check_passes_unless_the_header_says_otherwise() -> None:
    assert parse_verdicts(None) == Verdicts()
    assert parse_verdicts("  ") == Verdicts()
    assert parse_verdicts("dmarc=FAIL, spam=DISABLED") == Verdicts(dmarc="FAIL", spam="DISABLED")
    assert parse_verdicts("spf=GRAY,dkim=PROCESSING_FAILED,virus=FAIL") == Verdicts(
        spf="GRAY", dkim="PROCESSING_FAILED", virus="FAIL"
    )


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("dmarc:FAIL", "comma-separated check=VALUE"),
        ("dmarc=fail", "comma-separated check=VALUE"),
        ("dmarc=FAIL,", "comma-separated check=VALUE"),
        ("arc=PASS", "the checks are spf, dkim, dmarc, spam, virus"),
        ("dmarc=PASS, dmarc=FAIL", "dmarc is given more than once"),
        ("dmarc=DISABLED", "dmarc may be FAIL, GRAY, PASS, PROCESSING_FAILED"),
        ("spam=MAYBE", "spam may be DISABLED, FAIL, GRAY, PASS, PROCESSING_FAILED"),
    ],
)
def test_a_malformed_header_is_refused_naming_it(header: str, said: str) -> None:
    with pytest.raises(BadVerdicts) as refused:
        parse_verdicts(header)

    assert said in str(refused.value)
    assert str(refused.value).startswith("X-Local-Verdicts")


def test_the_event_is_the_one_a_lambda_action_sends() -> None:
    mail = received(verdicts=Verdicts(dmarc="FAIL", spam="GRAY"))

    [record] = mail.event["Records"]
    assert record["eventSource"] == "aws:ses"
    ses = record["ses"]
    assert ses["mail"]["timestamp"] == "2026-12-05T01:02:03.456Z"
    assert ses["mail"]["source"] == "cs@example-store.example"
    assert ses["mail"]["messageId"] == "m1"
    assert ses["mail"]["destination"] == [
        f"{ALIAS}@reply.localhost",
        "other@example.com",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567@Reply.Localhost",
    ]
    assert ses["mail"]["headersTruncated"] is False
    assert ses["mail"]["commonHeaders"] == {
        "returnPath": "cs@example-store.example",
        "from": ["Example Store <cs@example-store.example>"],
        "to": [f"{ALIAS}@reply.localhost, other@example.com, {ALIAS}@REPLY.localhost"],
        "cc": ["Someone <ABCDEFGHIJKLMNOPQRSTUVWXYZ234567@Reply.Localhost>"],
        "date": "Sat, 05 Dec 2026 01:02:00 +0000",
        "messageId": "<reply-1@example-store.example>",
        "subject": "Re: Shipping inquiry",
    }
    receipt = ses["receipt"]
    # Only the addresses at the reply domain (its letter case aside), each once.
    assert receipt["recipients"] == [
        f"{ALIAS}@reply.localhost",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567@Reply.Localhost",
    ]
    assert receipt["processingTimeMillis"] == 42
    assert receipt["timestamp"] == "2026-12-05T01:02:03.498Z"
    assert receipt["dmarcVerdict"] == {"status": "FAIL"}
    assert receipt["spamVerdict"] == {"status": "GRAY"}
    assert receipt["spfVerdict"] == receipt["dkimVerdict"] == receipt["virusVerdict"]
    assert receipt["virusVerdict"] == {"status": "PASS"}
    assert receipt["action"] == {"type": "Lambda", "functionArn": ARN, "invocationType": "Event"}
    # Powertools' own model of the event takes it.
    assert SesModel.model_validate(mail.event).Records[0].ses.mail.messageId == "m1"


def test_the_stored_message_carries_the_headers_ses_adds_above_its_own() -> None:
    mail = received(verdicts=Verdicts(virus="FAIL"))

    assert mail.stored == (
        b"Return-Path: <cs@example-store.example>\r\n"
        b"X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: FAIL\r\n" + RAW
    )
    names = [header["name"] for header in mail.event["Records"][0]["ses"]["mail"]["headers"]]
    assert names[:4] == ["Return-Path", "X-SES-Spam-Verdict", "X-SES-Virus-Verdict", "From"]


def test_the_envelope_sender_is_the_return_path_when_there_is_one() -> None:
    mail = received(b"Return-Path: <bounces@mailer.example>\n" + RAW.replace(b"\r\n", b"\n"))

    assert mail.event["Records"][0]["ses"]["mail"]["source"] == "bounces@mailer.example"
    assert mail.stored.startswith(b"X-SES-Spam-Verdict: PASS\nX-SES-Virus-Verdict: PASS\n")


def test_raw_utf8_headers_are_read_as_text() -> None:
    raw = (
        "From: 東京ティーハウス <support@tokyo-tea.example>\n"
        f"To: {ALIAS}@reply.localhost\nSubject: お問い合わせ\n\nはい\n"
    ).encode()

    ses_mail = received(raw).event["Records"][0]["ses"]["mail"]

    assert ses_mail["commonHeaders"]["from"] == ["東京ティーハウス <support@tokyo-tea.example>"]
    assert {"name": "Subject", "value": "お問い合わせ"} in ses_mail["headers"]
    assert ses_mail["source"] == "support@tokyo-tea.example"


def test_headers_past_ten_kilobytes_are_cut_and_said_to_be() -> None:
    padding = b"".join(b"X-Padding-%d: %s\r\n" % (n, b"p" * 200) for n in range(60))

    mail = received(padding + RAW)

    ses_mail = mail.event["Records"][0]["ses"]["mail"]
    assert ses_mail["headersTruncated"] is True
    assert sum(len(h["name"]) + len(h["value"]) + 4 for h in ses_mail["headers"]) <= HEADERS_LIMIT
    # commonHeaders are read from the whole message all the same.
    assert ses_mail["commonHeaders"]["subject"] == "Re: Shipping inquiry"


@pytest.mark.parametrize("domain", ["reply.example", ""])
def test_a_message_for_no_address_at_the_reply_domain_is_not_received(domain: str) -> None:
    with pytest.raises(NoRecipientAtReplyDomain):
        received(domain=domain)


def test_message_ids_are_random_and_plain() -> None:
    ids = {new_message_id() for _ in range(50)}

    assert len(ids) == 50
    assert all(len(i) == 32 and i.isalnum() and i.islower() for i in ids)
