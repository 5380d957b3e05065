from __future__ import annotations

import pytest

from contact_relay.environment_variables import ConfigurationError
from contact_relay.settings import load_settings

REQUIRED = {
    "SELLERS_TABLE": "sellers",
    "MESSAGES_TABLE": "messages",
    "IDEMPOTENCY_TABLE": "idempotency",
    "RATE_LIMIT_TABLE": "rate-limits",
    "SENDER_ADDRESS": "noreply@relay.example",
}


def test_defaults_follow_the_design() -> None:
    settings = load_settings(REQUIRED)

    assert settings.marketplace_name == "Amazon"
    assert settings.link_policy == "remove"
    assert settings.max_message_chars == 4000
    assert settings.message_retention_days == 90
    assert settings.rate_limit_buyer_per_hour == 20
    assert settings.rate_limit_source_ip_per_hour == 100
    assert settings.allowed_origins == ()
    assert settings.configuration_set is None


def test_values_are_read_and_typed() -> None:
    settings = load_settings(
        {
            **REQUIRED,
            "MARKETPLACE_NAME": "Example Mall",
            "SES_CONFIGURATION_SET": "relay-events",
            "LINK_POLICY": "reject",
            "MAX_MESSAGE_CHARS": "1000",
            "ALLOWED_ORIGINS": "https://shop.example, http://localhost:3000",
            "RATE_LIMIT_BUYER_PER_HOUR": "0",
        }
    )

    assert settings.marketplace_name == "Example Mall"
    assert settings.configuration_set == "relay-events"
    assert settings.link_policy == "reject"
    assert settings.max_message_chars == 1000
    assert settings.allowed_origins == ("https://shop.example", "http://localhost:3000")
    assert settings.rate_limit_buyer_per_hour == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SENDER_ADDRESS", "not-an-address"),
        ("SENDER_ADDRESS", "a@example.com\r\nBcc: x@example.com"),
        ("MARKETPLACE_NAME", "Evil\r\nBcc: x@example.com"),
        ("MARKETPLACE_NAME", ""),
        ("LINK_POLICY", "sometimes"),
        ("MAX_MESSAGE_CHARS", "lots"),
        ("MAX_MESSAGE_CHARS", "0"),
        ("ALLOWED_ORIGINS", "https://shop.example/path"),
        ("MESSAGE_RETENTION_DAYS", "-1"),
        ("RATE_LIMIT_SOURCE_IP_PER_HOUR", "-5"),
        ("SES_CONFIGURATION_SET", "has spaces"),
    ],
)
def test_a_bad_value_fails_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({**REQUIRED, name: value})

    assert name in str(raised.value)
    assert "Bcc" not in str(raised.value)


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_a_missing_required_value_is_named(missing: str) -> None:
    environment = {name: value for name, value in REQUIRED.items() if name != missing}

    with pytest.raises(ConfigurationError, match=missing):
        load_settings(environment)


# Secrets and captcha (issue 13, item 5): the environment says where secrets are, never what.

CAPTCHA_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/captcha-AbCdEf"
DIGEST_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay-digest-Xy12Zw"
TURNSTILE = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
CAPTCHA = {
    "CAPTCHA_VERIFY_URL": TURNSTILE,
    "CAPTCHA_SECRET_ARN": CAPTCHA_ARN,
    "ALLOWED_ORIGINS": "https://shop.example, https://www.shop.example:8443",
}


def test_captcha_is_off_and_its_expectations_have_defaults() -> None:
    settings = load_settings(REQUIRED)

    assert not settings.captcha_enabled
    assert settings.captcha_expected_action == "contact"
    assert settings.captcha_min_score == 0.5


def test_secret_arns_are_read_and_the_captcha_is_on_with_both() -> None:
    settings = load_settings({**REQUIRED, **CAPTCHA, "DIGEST_KEY_SECRET_ARN": DIGEST_ARN})

    assert settings.captcha_enabled
    assert settings.captcha_secret_arn == CAPTCHA_ARN
    assert settings.digest_key_secret_arn == DIGEST_ARN


@pytest.mark.parametrize("alone", ["CAPTCHA_VERIFY_URL", "CAPTCHA_SECRET_ARN"])
def test_captcha_url_and_secret_arn_come_together(alone: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({**REQUIRED, alone: CAPTCHA[alone]})

    assert "CAPTCHA_VERIFY_URL and CAPTCHA_SECRET_ARN must be set together" in str(raised.value)


def test_a_plain_captcha_secret_is_no_longer_read() -> None:
    # CAPTCHA_SECRET in the environment is what this replaced: it turns nothing on.
    settings = load_settings({**REQUIRED, "CAPTCHA_SECRET": "0x4AAAAAAA-plain"})

    assert not settings.captcha_enabled
    assert not hasattr(settings, "captcha_secret")
    assert "0x4AAAAAAA-plain" not in repr(settings)


@pytest.mark.parametrize("name", ["CAPTCHA_SECRET_ARN", "DIGEST_KEY_SECRET_ARN"])
@pytest.mark.parametrize(
    "value",
    [
        "contact-relay/captcha",  # a name, not an ARN
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/captcha",  # no suffix
        "arn:aws:ssm:us-east-1:123456789012:parameter/captcha",
        "0x4AAAAAAA-the-secret-itself",
    ],
)
def test_a_secret_arn_must_be_a_full_secrets_manager_arn(name: str, value: str) -> None:
    environment = {**REQUIRED, **CAPTCHA, name: value}

    with pytest.raises(ConfigurationError) as raised:
        load_settings(environment)

    assert name in str(raised.value)
    assert value not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        (TURNSTILE, "turnstile"),
        ("https://api.hcaptcha.com/siteverify", "hcaptcha"),
        ("https://hcaptcha.com/siteverify", "hcaptcha"),
        ("https://www.google.com/recaptcha/api/siteverify", "recaptcha"),
        ("https://www.recaptcha.net/recaptcha/api/siteverify", "recaptcha"),
    ],
)
def test_the_provider_is_known_from_its_siteverify_url(url: str, provider: str) -> None:
    settings = load_settings({**REQUIRED, **CAPTCHA, "CAPTCHA_VERIFY_URL": url})

    assert settings.captcha_provider == provider


def test_another_siteverify_url_needs_the_provider_named() -> None:
    proxy = {**REQUIRED, **CAPTCHA, "CAPTCHA_VERIFY_URL": "https://captcha-proxy.example/verify"}

    with pytest.raises(ConfigurationError, match="CAPTCHA_PROVIDER"):
        load_settings(proxy)
    assert load_settings({**proxy, "CAPTCHA_PROVIDER": "hcaptcha"}).captcha_provider == "hcaptcha"
    with pytest.raises(ConfigurationError, match="CAPTCHA_PROVIDER"):
        load_settings({**proxy, "CAPTCHA_PROVIDER": "friendly-captcha"})


def test_expected_hostnames_default_to_the_allowed_origins_hosts() -> None:
    settings = load_settings(
        {**REQUIRED, **CAPTCHA, "ALLOWED_ORIGINS": "*, " + CAPTCHA["ALLOWED_ORIGINS"]}
    )

    assert settings.captcha_expected_hostnames == {"shop.example", "www.shop.example"}


def test_expected_hostnames_can_be_named_or_any() -> None:
    named = load_settings({**REQUIRED, **CAPTCHA, "CAPTCHA_EXPECTED_HOSTNAMES": "Shop.Example"})
    anywhere = load_settings({**REQUIRED, **CAPTCHA, "CAPTCHA_EXPECTED_HOSTNAMES": "*"})

    assert named.captcha_expected_hostnames == {"shop.example"}
    assert anywhere.captcha_expected_hostnames == frozenset()


@pytest.mark.parametrize("origins", ["", "*"])
def test_a_captcha_with_no_hostname_to_expect_fails_naming_the_variable(origins: str) -> None:
    with pytest.raises(ConfigurationError, match="CAPTCHA_EXPECTED_HOSTNAMES"):
        load_settings({**REQUIRED, **CAPTCHA, "ALLOWED_ORIGINS": origins})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CAPTCHA_EXPECTED_HOSTNAMES", "https://shop.example"),
        ("CAPTCHA_EXPECTED_HOSTNAMES", "shop.example:443"),
        ("CAPTCHA_EXPECTED_HOSTNAMES", "shop.example/contact"),
        ("CAPTCHA_EXPECTED_ACTION", ""),
        ("CAPTCHA_EXPECTED_ACTION", "contact form"),
        ("CAPTCHA_MIN_SCORE", "1.5"),
        ("CAPTCHA_MIN_SCORE", "-0.1"),
        ("CAPTCHA_MIN_SCORE", "nan"),
        ("CAPTCHA_MIN_SCORE", "high"),
    ],
)
def test_a_bad_captcha_expectation_fails_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        load_settings({**REQUIRED, **CAPTCHA, name: value})


# Conversations (issue 16): REPLY_DOMAIN turns the two-way relay on, and needs its table and the
# API's public URL for stop links.

CONVERSATIONS = {
    "REPLY_DOMAIN": "reply.shop.example",
    "CONVERSATIONS_TABLE": "conversations",
    "PUBLIC_API_URL": "https://api.shop.example/v1",
}


def test_conversations_are_off_by_default() -> None:
    settings = load_settings(REQUIRED)

    assert not settings.conversations_enabled
    assert settings.reply_domain == ""
    assert settings.conversation_retention_days == 180


def test_conversations_are_read_when_the_reply_domain_is_set() -> None:
    settings = load_settings({**REQUIRED, **CONVERSATIONS, "CONVERSATION_RETENTION_DAYS": "30"})

    assert settings.conversations_enabled
    assert settings.reply_domain == "reply.shop.example"
    assert settings.conversations_table == "conversations"
    assert settings.public_api_url == "https://api.shop.example/v1"
    assert settings.conversation_retention_days == 30


@pytest.mark.parametrize("domain", ["reply.localhost", "xn--bcher-kva.example", "a-b.c0.example"])
def test_a_reply_domain_is_a_lower_case_dns_name(domain: str) -> None:
    assert load_settings({**REQUIRED, **CONVERSATIONS, "REPLY_DOMAIN": domain}).reply_domain == (
        domain
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REPLY_DOMAIN", "Reply.Shop.Example"),
        ("REPLY_DOMAIN", "localhost"),
        ("REPLY_DOMAIN", "reply.shop.example."),
        ("REPLY_DOMAIN", "@reply.shop.example"),
        ("REPLY_DOMAIN", "reply.shop.example\r\nBcc: x@example.com"),
        ("REPLY_DOMAIN", "-reply.shop.example"),
        ("REPLY_DOMAIN", "bücher.example"),
        ("CONVERSATION_RETENTION_DAYS", "0"),
        ("CONVERSATION_RETENTION_DAYS", "3651"),
        ("CONVERSATIONS_TABLE", "a b"),
        ("PUBLIC_API_URL", "api.shop.example/v1"),
        ("PUBLIC_API_URL", "ftp://api.shop.example"),
        ("PUBLIC_API_URL", "https://api.shop.example/v1\r\nBcc: x@example.com"),
        ("PUBLIC_API_URL", "https://api.shop.example/v1?next=https://evil.example"),
        ("PUBLIC_API_URL", "https://user@api.shop.example"),
    ],
)
def test_a_bad_conversation_setting_fails_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({**REQUIRED, **CONVERSATIONS, name: value})

    assert name in str(raised.value)
    assert "Bcc" not in str(raised.value)


@pytest.mark.parametrize("missing", ["CONVERSATIONS_TABLE", "PUBLIC_API_URL"])
def test_a_reply_domain_needs_its_table_and_the_public_url(missing: str) -> None:
    environment = {name: value for name, value in CONVERSATIONS.items() if name != missing}

    with pytest.raises(ConfigurationError, match=f"{missing} must be set when REPLY_DOMAIN"):
        load_settings({**REQUIRED, **environment})
    # Without a reply domain they are not needed.
    assert not load_settings({**REQUIRED, missing: ""}).conversations_enabled
