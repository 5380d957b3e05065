"""The checks an inbound message's receipt settles before anything is looked up or read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from contact_relay.handlers.ses_receiving_models import SesReceivingEvent
from contact_relay.inbound_checks import (
    InboundEnvelope,
    Verdicts,
    envelope_refusal,
    is_automatic,
    same_address,
    sole_sender,
)
from tests.support import load_event

PASSING = Verdicts(spam="PASS", virus="PASS", spf="PASS", dkim="PASS", dmarc="PASS")
ENVELOPE = InboundEnvelope(
    ses_message_id="ses-1",
    recipients=("a@reply.example",),
    verdicts=PASSING,
    reverse_path="cs@shop.example",
    header_from=("Example Store <cs@shop.example>",),
)


def test_a_clean_authenticated_personal_message_passes() -> None:
    assert envelope_refusal(ENVELOPE) is None


@pytest.mark.parametrize("status", ["FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"])
def test_a_spam_verdict_other_than_pass_drops_it(status: str) -> None:
    envelope = replace(ENVELOPE, verdicts=replace(PASSING, spam=status))
    assert envelope_refusal(envelope) == "spam"


@pytest.mark.parametrize("status", ["FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"])
def test_a_virus_verdict_other_than_pass_drops_it(status: str) -> None:
    envelope = replace(ENVELOPE, verdicts=replace(PASSING, virus=status))
    assert envelope_refusal(envelope) == "virus"


@pytest.mark.parametrize(
    ("spf", "dkim", "dmarc", "authenticated"),
    [
        ("PASS", "PASS", "PASS", True),
        ("FAIL", "FAIL", "PASS", True),  # DMARC passed through alignment of one of them
        ("PASS", "PASS", "GRAY", True),  # no DMARC policy: both SPF and DKIM must pass
        ("PASS", "FAIL", "GRAY", False),
        ("FAIL", "PASS", "GRAY", False),
        ("PASS", "GRAY", "GRAY", False),
        ("PASS", "PASS", "FAIL", False),
        ("PASS", "PASS", "PROCESSING_FAILED", False),
        ("PASS", "PASS", "MISSING", False),
    ],
)
def test_the_sender_is_authenticated_by_dmarc_or_by_spf_and_dkim_without_a_policy(
    spf: str, dkim: str, dmarc: str, authenticated: bool
) -> None:
    envelope = replace(ENVELOPE, verdicts=replace(PASSING, spf=spf, dkim=dkim, dmarc=dmarc))
    assert envelope_refusal(envelope) == (None if authenticated else "unauthenticated")


@pytest.mark.parametrize(
    ("reverse_path", "authenticated"),
    [
        ("bounces@mailer.evil.example", False),  # SPF and DKIM pass, but for another domain
        ("cs@shop.example.evil.example", False),
        ("cs@notshop.example", False),
        ("", False),
        ("cs@SHOP.example", True),
        ("bounce-123@mail.shop.example", True),  # the From domain's own subdomain
        ("<bounce-123@mail.shop.example>", True),
        # RFC 5321 lets a quoted local part hold an "@": the domain follows the last one.
        ('"list@evil.example"@shop.example', True),
        ('"list@shop.example"@evil.example', False),
    ],
)
def test_without_a_dmarc_policy_spf_must_pass_for_the_from_domain(
    reverse_path: str, authenticated: bool
) -> None:
    # DMARC GRAY: SES's SPF verdict is for the envelope's domain and its DKIM verdict for any
    # signature, so a sender passing both for a domain of their own could otherwise write as
    # a buyer whose domain publishes no DMARC policy.
    verdicts = replace(PASSING, dmarc="GRAY")
    envelope = replace(ENVELOPE, verdicts=verdicts, reverse_path=reverse_path)
    assert envelope_refusal(envelope) == (None if authenticated else "unauthenticated")


def test_the_envelope_domain_is_compared_in_any_letter_case_to_its_last_letter() -> None:
    verdicts = replace(PASSING, dmarc="GRAY")
    envelope = replace(
        ENVELOPE,
        verdicts=verdicts,
        header_from=("Tax Office <desk@office.tax>",),
        reverse_path="<BOUNCES@MAIL.OFFICE.TAX>",
    )
    assert envelope_refusal(envelope) is None


@pytest.mark.parametrize(
    "header_from", [(), ("a@shop.example, b@shop.example",), ("not an address",)]
)
def test_without_a_dmarc_policy_a_from_of_no_one_address_is_unauthenticated(
    header_from: tuple[str, ...],
) -> None:
    verdicts = replace(PASSING, dmarc="GRAY")
    envelope = replace(ENVELOPE, verdicts=verdicts, header_from=header_from)
    assert envelope_refusal(envelope) == "unauthenticated"


def test_spam_is_named_before_a_failed_authentication() -> None:
    verdicts = replace(PASSING, spam="FAIL", dmarc="FAIL")
    assert envelope_refusal(replace(ENVELOPE, verdicts=verdicts)) == "spam"


@pytest.mark.parametrize(
    ("auto_submitted", "precedence", "automatic"),
    [
        ((), (), False),
        (("no",), (), False),
        ((" No ",), (), False),
        (("auto-replied",), (), True),
        (("auto-generated",), (), True),
        (("Auto-Replied; owner-email=someone",), (), True),
        # RFC 3834 lets `no` take parameters too: only the keyword before them counts.
        (("No; reason=human; id=2",), (), False),
        (("auto-notified",), (), True),
        ((), ("bulk",), True),
        ((), ("Junk",), True),
        ((), ("list",), True),
        ((), ("first-class",), False),
        ((), ("bulk (mailing list)",), True),
        ((), ("junk;",), True),
        ((), (" List ; x=1",), True),
        ((), ("first-class (bulk)",), False),
        (("no", "auto-replied"), (), True),
    ],
)
def test_automatic_mail_is_told_by_its_headers(
    auto_submitted: tuple[str, ...], precedence: tuple[str, ...], automatic: bool
) -> None:
    assert is_automatic(auto_submitted, precedence) is automatic
    envelope = replace(ENVELOPE, auto_submitted=auto_submitted, precedence=precedence)
    assert envelope_refusal(envelope) == ("auto_reply" if automatic else None)


@pytest.mark.parametrize("reverse_path", ["", "<>", " <> "])
def test_a_null_reverse_path_is_a_delivery_report_and_never_relayed(reverse_path: str) -> None:
    assert envelope_refusal(replace(ENVELOPE, reverse_path=reverse_path)) == "auto_reply"


@pytest.mark.parametrize(
    ("header_from", "sender"),
    [
        (("Example Store <cs@Shop.Example>",), "cs@shop.example"),
        (("cs@shop.example",), "cs@shop.example"),
        (("=?utf-8?b?5bqX?= <cs@shop.example>",), "cs@shop.example"),
        (("a@shop.example, b@shop.example",), None),
        (("a@shop.example", "b@shop.example"), None),
        ((), None),
        (("not an address",), None),
        (('"quoted local"@shop.example',), None),
    ],
)
def test_the_sender_is_the_header_froms_one_address(
    header_from: tuple[str, ...], sender: str | None
) -> None:
    assert sole_sender(header_from) == sender


@pytest.mark.parametrize(
    "hostile", ["(" * 1500 + "a@shop.example", "a@shop.example (" + "x" * 2000 + ")"]
)
def test_a_hostile_from_reads_as_no_sender_and_never_raises(hostile: str) -> None:
    assert sole_sender([hostile]) is None


def test_a_from_of_exactly_the_length_cap_is_read() -> None:
    header_from = "a@shop.example (" + "x" * 1983 + ")"

    assert len(header_from) == 2000
    assert sole_sender([header_from]) == "a@shop.example"


def test_addresses_compare_in_any_letter_case_and_nothing_else() -> None:
    assert same_address("cs@shop.example", "cs@SHOP.example")
    assert same_address("cs@shop.example", "CS@shop.example")
    assert not same_address("cs@shop.example", "cs2@shop.example")
    assert not same_address("cs@shop.example", "cs@shop.example.evil")


def test_the_ses_event_gives_the_envelope_the_checks_read() -> None:
    event = load_event("ses-inbound-reply")
    headers = event["Records"][0]["ses"]["mail"]["headers"]
    headers += [
        {"name": "auto-submitted", "value": "auto-replied"},
        {"name": "Precedence", "value": "bulk"},
    ]
    receipt = event["Records"][0]["ses"]["receipt"]
    receipt["dmarcVerdict"] = {"status": "gray"}
    del receipt["dkimVerdict"]

    envelope = SesReceivingEvent.model_validate(event).envelope()

    assert envelope.ses_message_id == "o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1"
    assert envelope.recipients == ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@reply.localhost",)
    assert envelope.reverse_path == "cs@shop.example"
    assert envelope.header_from == ("Example Store <cs@shop.example>",)
    assert envelope.auto_submitted == ("auto-replied",)
    assert envelope.precedence == ("bulk",)
    assert envelope.verdicts == Verdicts("PASS", "PASS", "PASS", "MISSING", "GRAY")
    assert envelope_refusal(envelope) == "unauthenticated"


@pytest.mark.parametrize(
    "breakage",
    [
        lambda event: event.update(Records=[]),
        lambda event: event["Records"][0].update(eventSource="aws:s3"),
        lambda event: event["Records"][0]["ses"]["receipt"].update(recipients=[]),
        lambda event: event["Records"][0]["ses"]["receipt"].pop("spamVerdict"),
        lambda event: event["Records"][0]["ses"]["mail"].update(messageId="../../etc/passwd"),
    ],
)
def test_an_event_that_is_not_ses_receivings_is_refused(
    breakage: Callable[[dict[str, Any]], object],
) -> None:
    event = load_event("ses-inbound-reply")
    breakage(event)
    with pytest.raises(ValidationError):
        SesReceivingEvent.model_validate(event)
