"""What a siteverify answer must say besides `success`, per provider and answer shape.

The answers are shaped as each provider documents them: Cloudflare Turnstile (success,
challenge_ts, hostname, error-codes, action, cdata, metadata), hCaptcha (success, challenge_ts,
hostname, credit, error-codes; Enterprise adds score and score_reason, a risk score where 1.0 is
the most risky), Google reCAPTCHA v2 (success, challenge_ts, hostname, error-codes) and v3 (the
same plus score, 1.0 very likely a person, and action).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from contact_relay.adapters.captcha import CaptchaExpectations, SiteVerifyCaptcha
from contact_relay.settings import CaptchaProviderName
from tests.support import LoopbackSiteVerify

SECRET = "0x4AAAAAAA-the-provider-secret"
STOREFRONT = ("shop.example", "www.shop.example")
TS = "2026-12-04T10:00:00.000Z"


def verifier(provider: CaptchaProviderName, hostnames: Any = STOREFRONT) -> SiteVerifyCaptcha:
    expectations = CaptchaExpectations.of(
        provider=provider, hostnames=hostnames, action="contact", min_score=0.5
    )
    return SiteVerifyCaptcha("https://siteverify.example/siteverify", SECRET, expectations)


TURNSTILE_OK = {
    "success": True,
    "challenge_ts": TS,
    "hostname": "shop.example",
    "error-codes": [],
    "action": "contact",
    "cdata": "",
    "metadata": {"ephemeral_id": "x:abc"},
}
HCAPTCHA_OK = {"success": True, "challenge_ts": TS, "hostname": "shop.example", "credit": False}
HCAPTCHA_ENTERPRISE_OK = {**HCAPTCHA_OK, "score": 0.1, "score_reason": ["safe"]}
RECAPTCHA_V2_OK = {"success": True, "challenge_ts": TS, "hostname": "www.shop.example"}
RECAPTCHA_V3_OK = {**RECAPTCHA_V2_OK, "score": 0.9, "action": "contact"}


# One successful answer of each provider's shape.
EACH_PROVIDER = [
    pytest.param("turnstile", TURNSTILE_OK, id="turnstile"),
    pytest.param("hcaptcha", HCAPTCHA_OK, id="hcaptcha-basic"),
    pytest.param("hcaptcha", HCAPTCHA_ENTERPRISE_OK, id="hcaptcha-enterprise"),
    pytest.param("recaptcha", RECAPTCHA_V2_OK, id="recaptcha-v2"),
    pytest.param("recaptcha", RECAPTCHA_V3_OK, id="recaptcha-v3"),
]


@pytest.mark.parametrize(
    ("provider", "answer"),
    [
        *EACH_PROVIDER,
        # The hostname in any case; a score exactly at the threshold.
        pytest.param("turnstile", {**TURNSTILE_OK, "hostname": "SHOP.Example"}, id="hostname-case"),
        pytest.param("recaptcha", {**RECAPTCHA_V3_OK, "score": 0.5}, id="v3-score-at-threshold"),
        pytest.param(
            "hcaptcha", {**HCAPTCHA_ENTERPRISE_OK, "score": 0.5}, id="hcaptcha-risk-at-threshold"
        ),
    ],
)
def test_a_successful_answer_for_our_form_passes(
    provider: CaptchaProviderName, answer: dict[str, Any]
) -> None:
    assert verifier(provider).refusal(answer) is None


@pytest.mark.parametrize(("provider", "answer"), EACH_PROVIDER)
def test_a_token_solved_on_another_site_is_refused(
    provider: CaptchaProviderName, answer: dict[str, Any]
) -> None:
    for hostname in ("attacker.example", "shop.example.attacker.example", "example", ""):
        assert verifier(provider).refusal({**answer, "hostname": hostname}) == "hostname"


@pytest.mark.parametrize(
    ("provider", "answer"),
    [("turnstile", TURNSTILE_OK), ("recaptcha", RECAPTCHA_V3_OK)],
    ids=["turnstile", "recaptcha-v3"],
)
def test_a_token_minted_for_another_action_is_refused(
    provider: CaptchaProviderName, answer: dict[str, Any]
) -> None:
    for action in ("login", "Contact", "", None):
        assert verifier(provider).refusal({**answer, "action": action}) == "action"


def test_a_low_recaptcha_v3_score_is_refused() -> None:
    for score in (0.49, 0.1, 0.0):
        assert verifier("recaptcha").refusal({**RECAPTCHA_V3_OK, "score": score}) == "score"


def test_a_high_hcaptcha_enterprise_risk_score_is_refused() -> None:
    # hCaptcha's score runs the other way: 0.9 is a likely bot, where reCAPTCHA's 0.9 is a person.
    for score in (0.51, 0.9, 1.0):
        assert verifier("hcaptcha").refusal({**HCAPTCHA_ENTERPRISE_OK, "score": score}) == "score"


@pytest.mark.parametrize(
    "answer",
    [
        {**RECAPTCHA_V3_OK, "success": False, "error-codes": ["invalid-input-response"]},
        {**TURNSTILE_OK, "success": False, "error-codes": ["timeout-or-duplicate"]},
        {**RECAPTCHA_V3_OK, "success": "true"},
        {"hostname": "shop.example"},
        ["success", True],
        None,
        {**RECAPTCHA_V3_OK, "score": "0.9"},
        {**RECAPTCHA_V3_OK, "score": True},
        {**RECAPTCHA_V3_OK, "score": float("nan")},
        {**RECAPTCHA_V3_OK, "hostname": None},
        {**RECAPTCHA_V3_OK, "hostname": ["shop.example"]},
    ],
    ids=[
        "v3-failed",
        "turnstile-failed",
        "success-as-text",
        "no-success",
        "not-an-object",
        "null",
        "score-as-text",
        "score-as-flag",
        "score-nan",
        "hostname-null",
        "hostname-list",
    ],
)
def test_an_unsuccessful_or_malformed_answer_is_refused(answer: Any) -> None:
    assert verifier("recaptcha").refusal(answer) is not None


def test_an_explicit_any_hostname_accepts_every_site() -> None:
    anywhere = verifier("turnstile", hostnames=())

    assert anywhere.refusal({**TURNSTILE_OK, "hostname": "elsewhere.example"}) is None
    assert anywhere.refusal({**TURNSTILE_OK, "action": "login"}) == "action"


def test_the_secret_is_not_in_the_repr() -> None:
    assert SECRET not in repr(verifier("turnstile"))


# Over HTTP: the form the provider receives, and the answer read back.


@pytest.fixture
def provider() -> Iterator[LoopbackSiteVerify]:
    site = LoopbackSiteVerify(lambda _form: {})
    yield site
    site.close()


def test_verify_posts_the_secret_and_reads_the_fields(provider: LoopbackSiteVerify) -> None:
    expectations = CaptchaExpectations.of("recaptcha", STOREFRONT, "contact", 0.5)
    check = SiteVerifyCaptcha(provider.url, SECRET, expectations)

    provider.answer = lambda _form: RECAPTCHA_V3_OK
    passed = check.verify("token-1", "203.0.113.7")
    provider.answer = lambda _form: {**RECAPTCHA_V3_OK, "score": 0.2}
    low = check.verify("token-2", None)

    assert (passed, low) == (True, False)
    assert provider.forms == [
        {"secret": [SECRET], "response": ["token-1"], "remoteip": ["203.0.113.7"]},
        {"secret": [SECRET], "response": ["token-2"]},
    ]
