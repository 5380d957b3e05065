"""The adapters that need a secret, built from settings at cold start.

`handlers/wiring.py` calls these once per execution environment, with one SecretReader, so each
secret is read once and every failure (an unreadable secret, a key too short) fails that cold
start with a ConfigurationError naming the variable to fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from contact_relay.adapters.captcha import CaptchaExpectations, SiteVerifyCaptcha
from contact_relay.adapters.dynamodb_conversations import DynamoDBConversations
from contact_relay.adapters.dynamodb_rate_limits import DynamoDBRateLimiter
from contact_relay.adapters.secrets import SecretReader
from contact_relay.conversation_keeper import ConversationKeeper, ConversationPolicy
from contact_relay.digests import Digester
from contact_relay.environment_variables import ConfigurationError
from contact_relay.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class _NamesTheDigestKey(Protocol):
    @property
    def digest_key_secret_arn(self) -> str: ...


def digester_from(settings: _NamesTheDigestKey, secrets: SecretReader) -> Digester:
    """The HMAC key of every stored digest of an address (rate limits, idempotency records)."""
    variable = "DIGEST_KEY_SECRET_ARN"
    if not settings.digest_key_secret_arn:
        raise ConfigurationError(f"{variable} is required: the ARN of the digest key's secret")
    key = secrets.read(variable, settings.digest_key_secret_arn)
    try:
        return Digester(key.encode("utf-8"))
    except ValueError as exc:
        raise ConfigurationError(f"{variable}: the secret's value is unusable: {exc}") from None


def rate_limiter_from(
    settings: Settings, dynamodb: DynamoDBClient, digester: Digester
) -> DynamoDBRateLimiter:
    return DynamoDBRateLimiter(
        settings.rate_limit_table,
        buyer_per_hour=settings.rate_limit_buyer_per_hour,
        source_ip_per_hour=settings.rate_limit_source_ip_per_hour,
        client=dynamodb,
        digester=digester,
    )


def conversations_from(
    settings: Settings, dynamodb: DynamoDBClient, digester: Digester
) -> ConversationKeeper | None:
    """The two-way relay's keeper, or None when REPLY_DOMAIN is empty (the buyer is the
    Reply-To; settings insist on a table and a public URL otherwise)."""
    if not settings.conversations_enabled:
        return None
    policy = ConversationPolicy(
        reply_domain=settings.reply_domain,
        public_api_url=settings.public_api_url,
        retention_days=settings.conversation_retention_days,
    )
    book = DynamoDBConversations(settings.conversations_table, dynamodb)
    return ConversationKeeper(book, digester, policy)


def captcha_from(settings: Settings, secrets: SecretReader) -> SiteVerifyCaptcha | None:
    """The verifier, or None when no captcha is configured (settings insist on all or nothing)."""
    if not settings.captcha_enabled:
        return None
    provider = settings.captcha_provider
    if provider is None:  # settings refuse this already; kept for the type checker
        raise ConfigurationError("CAPTCHA_PROVIDER is required for this CAPTCHA_VERIFY_URL")
    secret = secrets.read("CAPTCHA_SECRET_ARN", settings.captcha_secret_arn)
    expectations = CaptchaExpectations.of(
        provider=provider,
        hostnames=settings.captcha_expected_hostnames,
        action=settings.captcha_expected_action,
        min_score=settings.captcha_min_score,
    )
    return SiteVerifyCaptcha(settings.captcha_verify_url, secret, expectations)
