"""The cold-start factories: each secret-holding adapter built from settings and Secrets Manager
(moto), and every way a secret can be missing fails naming the variable to fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contact_relay.adapters.dynamodb_rate_limits import WINDOW_SECONDS
from contact_relay.adapters.secrets import SecretReader
from contact_relay.adapters.wiring_factories import captcha_from, digester_from, rate_limiter_from
from contact_relay.digests import Digester
from contact_relay.environment_variables import ConfigurationError
from contact_relay.errors import RateLimited
from contact_relay.settings import load_settings
from contact_relay_local.template_tables import create_tables
from tests.support import TEST_DIGEST_KEY, TEST_ENVIRONMENT, create_test_secrets

CAPTCHA_KEY = "0x4AAAAAAA-the-provider-secret"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """TEST_ENVIRONMENT, under moto, with the digest key's secret created as the stack would."""
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield {**TEST_ENVIRONMENT, **create_test_secrets(boto3.client("secretsmanager"))}


def test_the_digester_uses_the_key_from_its_secret(aws: dict[str, str]) -> None:
    digester = digester_from(load_settings(aws), SecretReader())

    expected = Digester(TEST_DIGEST_KEY.encode()).digest("buyer", "hanako@example.com")
    assert digester.digest("buyer", "hanako@example.com") == expected


def test_no_digest_key_arn_fails_naming_it(aws: dict[str, str]) -> None:
    settings = load_settings({**aws, "DIGEST_KEY_SECRET_ARN": ""})

    with pytest.raises(ConfigurationError, match="DIGEST_KEY_SECRET_ARN is required"):
        digester_from(settings, SecretReader())


def test_an_unreadable_digest_key_fails_naming_it(aws: dict[str, str]) -> None:
    # TEST_ENVIRONMENT's own ARN is well-formed but names no secret moto holds.
    with pytest.raises(ConfigurationError, match=r"DIGEST_KEY_SECRET_ARN: .*ResourceNotFound"):
        digester_from(load_settings(TEST_ENVIRONMENT), SecretReader())


def test_a_short_digest_key_fails_naming_it_without_showing_it(aws: dict[str, str]) -> None:
    arn = boto3.client("secretsmanager").create_secret(Name="short", SecretString="tiny-key")
    settings = load_settings({**aws, "DIGEST_KEY_SECRET_ARN": arn["ARN"]})

    with pytest.raises(ConfigurationError, match="DIGEST_KEY_SECRET_ARN") as raised:
        digester_from(settings, SecretReader())

    assert "tiny-key" not in str(raised.value)


def test_the_rate_limiter_counts_with_the_settings_limits(aws: dict[str, str]) -> None:
    dynamodb = boto3.client("dynamodb")
    create_tables(dynamodb, {"RateLimitTable": aws["RATE_LIMIT_TABLE"]})
    settings = load_settings({**aws, "RATE_LIMIT_BUYER_PER_HOUR": "1"})
    digester = digester_from(settings, SecretReader())

    limits = rate_limiter_from(settings, dynamodb, digester)
    limits.admit("hanako@example.com", None)

    with pytest.raises(RateLimited) as raised:
        limits.admit("hanako@example.com", None)
    assert 1 <= raised.value.retry_after_seconds <= WINDOW_SECONDS
    [row] = dynamodb.scan(TableName=aws["RATE_LIMIT_TABLE"])["Items"]
    assert digester.digest("buyer", "hanako@example.com") in row["key"]["S"]


def test_no_captcha_is_built_or_read_when_none_is_configured(aws: dict[str, str]) -> None:
    class NoSecrets(SecretReader):
        def read(self, variable: str, arn: str) -> str:
            raise AssertionError(f"{variable} read")

    assert captcha_from(load_settings(aws), NoSecrets()) is None


def test_the_captcha_verifier_gets_its_secret_and_expectations(aws: dict[str, str]) -> None:
    arn = boto3.client("secretsmanager").create_secret(
        Name="contact-relay/captcha", SecretString=CAPTCHA_KEY
    )["ARN"]
    settings = load_settings(
        {
            **aws,
            "CAPTCHA_VERIFY_URL": "https://www.google.com/recaptcha/api/siteverify",
            "CAPTCHA_SECRET_ARN": arn,
            "ALLOWED_ORIGINS": "https://shop.example",
            "CAPTCHA_MIN_SCORE": "0.7",
        }
    )
    reads: list[tuple[str, str]] = []

    class Recording(SecretReader):
        def read(self, variable: str, arn: str) -> str:
            reads.append((variable, arn))
            return super().read(variable, arn)

    check = captcha_from(settings, Recording())

    assert check is not None
    assert reads == [("CAPTCHA_SECRET_ARN", arn)]
    assert CAPTCHA_KEY not in repr(check)
    answer: dict[str, Any] = {"success": True, "hostname": "shop.example", "action": "contact"}
    assert check.refusal({**answer, "score": 0.7}) is None
    assert check.refusal({**answer, "score": 0.6}) == "score"
    assert check.refusal({**answer, "score": 0.9, "hostname": "elsewhere.example"}) == "hostname"


def test_an_unreadable_captcha_secret_fails_naming_it(aws: dict[str, str]) -> None:
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/captcha-Zz99Zz"
    settings = load_settings(
        {
            **aws,
            "CAPTCHA_VERIFY_URL": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
            "CAPTCHA_SECRET_ARN": missing,
            "ALLOWED_ORIGINS": "https://shop.example",
        }
    )

    with pytest.raises(ConfigurationError, match="CAPTCHA_SECRET_ARN"):
        captcha_from(settings, SecretReader())
