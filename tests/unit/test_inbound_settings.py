"""The inbound function's settings: what it needs, validated once, each fault named."""

from __future__ import annotations

import pytest

from contact_relay.environment_variables import ConfigurationError
from contact_relay.handlers.inbound_wiring import reply_policy_from
from contact_relay.inbound_settings import load_inbound_settings
from contact_relay.replies import ReplyPolicy

ENVIRONMENT = {
    "SELLERS_TABLE": "sellers",
    "MESSAGES_TABLE": "messages",
    "CONVERSATIONS_TABLE": "conversations",
    "REPLY_DOMAIN": "reply.shop.example",
    "SENDER_ADDRESS": "noreply@Shop.Example",
    "PUBLIC_API_URL": "https://api.shop.example/v1",
    "DIGEST_KEY_SECRET_ARN": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/digest-key-AbCdEf"
    ),
    "INBOUND_BUCKET": "contact-relay-inbound",
}


def test_the_defaults_and_what_is_derived() -> None:
    settings = load_inbound_settings(ENVIRONMENT)
    assert settings.inbound_prefix == "inbound/"
    assert (settings.inbound_max_bytes, settings.inbound_max_text_chars) == (10 * 1024**2, 16_000)
    assert (settings.message_retention_days, settings.conversation_retention_days) == (90, 180)
    assert settings.marketplace_name == "Amazon"
    assert settings.sender_domain == "shop.example"
    assert settings.configuration_set is None


@pytest.mark.parametrize(
    "variable",
    [
        "REPLY_DOMAIN",
        "CONVERSATIONS_TABLE",
        "PUBLIC_API_URL",
        "DIGEST_KEY_SECRET_ARN",
        "INBOUND_BUCKET",
        "SENDER_ADDRESS",
    ],
)
def test_each_required_variable_is_named_when_missing(variable: str) -> None:
    environment = {k: v for k, v in ENVIRONMENT.items() if k != variable}
    with pytest.raises(ConfigurationError, match=variable):
        load_inbound_settings(environment)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REPLY_DOMAIN", "Reply.Shop.Example"),
        ("REPLY_DOMAIN", "localhost"),
        ("PUBLIC_API_URL", "https://api.shop.example/v1?next=https://evil.example"),
        ("INBOUND_BUCKET", "Not_A_Bucket"),
        ("INBOUND_PREFIX", "../inbound"),
        ("INBOUND_MAX_BYTES", str(31 * 1024 * 1024)),
        ("MARKETPLACE_NAME", "Amazon\r\nBcc: x@evil.example"),
    ],
)
def test_a_bad_value_fails_the_cold_start_naming_its_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=variable) as raised:
        load_inbound_settings({**ENVIRONMENT, variable: value})
    assert "evil" not in str(raised.value)


def test_a_deployments_own_limits_reach_the_reply_policy() -> None:
    # Given limits other than every default (a policy built from defaults would not show them)
    settings = load_inbound_settings(
        {
            **ENVIRONMENT,
            "MARKETPLACE_NAME": "Tea Market",
            "MESSAGE_RETENTION_DAYS": "30",
            "CONVERSATION_RETENTION_DAYS": "60",
            "INBOUND_MAX_BYTES": "2048",
            "INBOUND_MAX_TEXT_CHARS": "500",
        }
    )

    policy = reply_policy_from(settings)

    assert policy == ReplyPolicy(
        reply_domain="reply.shop.example",
        marketplace="Tea Market",
        public_api_url="https://api.shop.example/v1",
        sender_domain="shop.example",
        message_retention_days=30,
        conversation_retention_days=60,
        max_message_bytes=2048,
        max_text_chars=500,
    )
