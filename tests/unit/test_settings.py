from __future__ import annotations

import pytest

from contact_relay.settings import ConfigurationError, load_settings

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
