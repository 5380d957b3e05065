"""The contact function's settings: what the form's relay, its limits, its captcha and its two-way
side read from the environment, validated once and frozen (`environment_variables` reads them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from contact_relay import environment_variables as variables
from contact_relay import retention

# The longest message a buyer may send, counted as sent (before reduction).
DEFAULT_MAX_MESSAGE_CHARS = 4000

_ORIGIN_PATTERN = r"^(\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)$"
CaptchaProviderName = Literal["turnstile", "hcaptcha", "recaptcha"]
# The siteverify hosts of the providers whose answers this relay understands.
_CAPTCHA_PROVIDER_HOSTS: dict[str, CaptchaProviderName] = {
    "challenges.cloudflare.com": "turnstile",
    "api.hcaptcha.com": "hcaptcha",
    "hcaptcha.com": "hcaptcha",
    "www.google.com": "recaptcha",
    "www.recaptcha.net": "recaptcha",
}


class Settings(variables.FunctionSettings):
    sellers_table: variables.SellersTable
    messages_table: variables.MessagesTable
    idempotency_table: Annotated[str, variables.TABLE_NAME] = Field(
        validation_alias="IDEMPOTENCY_TABLE"
    )
    rate_limit_table: Annotated[str, variables.TABLE_NAME] = Field(
        validation_alias="RATE_LIMIT_TABLE"
    )
    sender_address: variables.SenderAddress
    marketplace_name: variables.MarketplaceName = variables.DEFAULT_MARKETPLACE_NAME
    ses_configuration_set: variables.SesConfigurationSet = ""
    link_policy: Literal["remove", "reject"] = Field("remove", validation_alias="LINK_POLICY")
    max_message_chars: int = Field(
        DEFAULT_MAX_MESSAGE_CHARS, ge=1, le=16000, validation_alias="MAX_MESSAGE_CHARS"
    )
    allowed_origins_csv: str = Field("", validation_alias="ALLOWED_ORIGINS")
    message_retention_days: variables.MessageRetentionDays = (
        retention.DEFAULT_MESSAGE_RETENTION_DAYS
    )
    rate_limit_buyer_per_hour: int = Field(
        20, ge=0, le=100_000, validation_alias="RATE_LIMIT_BUYER_PER_HOUR"
    )
    rate_limit_source_ip_per_hour: int = Field(
        100, ge=0, le=1_000_000, validation_alias="RATE_LIMIT_SOURCE_IP_PER_HOUR"
    )

    captcha_verify_url: str = Field(
        "",
        pattern=r"^(https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?)?$",
        validation_alias="CAPTCHA_VERIFY_URL",
    )
    # Where the captcha provider's secret key is, never the key itself: anyone allowed to read
    # the function's configuration can read its environment.
    captcha_secret_arn: str = Field(
        "", pattern=variables.OPTIONAL_SECRETS_MANAGER_ARN, validation_alias="CAPTCHA_SECRET_ARN"
    )
    # Which provider answers (the direction of its score depends on it); read from the siteverify
    # URL's host when that is a provider's own.
    captcha_provider_name: Literal["", "turnstile", "hcaptcha", "recaptcha"] = Field(
        "", validation_alias="CAPTCHA_PROVIDER"
    )
    # Empty: the hosts of ALLOWED_ORIGINS. `*` accepts a token solved on any site.
    captcha_expected_hostnames_csv: str = Field("", validation_alias="CAPTCHA_EXPECTED_HOSTNAMES")
    captcha_expected_action: str = Field(
        "contact", pattern=r"^[A-Za-z0-9_/-]{1,100}$", validation_alias="CAPTCHA_EXPECTED_ACTION"
    )
    captcha_min_score: float = Field(
        0.5, ge=0.0, le=1.0, allow_inf_nan=False, validation_alias="CAPTCHA_MIN_SCORE"
    )
    # There is no unkeyed mode: `digester_from` fails the cold start naming this variable when
    # it is empty. (Required here once the local stack creates its own digest-key secret; until
    # then an empty value only fails where it is used.)
    digest_key_secret_arn: Annotated[
        variables.DigestKeySecretArn, Field(pattern=variables.OPTIONAL_SECRETS_MANAGER_ARN)
    ] = ""
    # The two-way relay (conversations.py): empty keeps it off, and the buyer is the Reply-To.
    reply_domain: Annotated[variables.ReplyDomain, variables.REPLY_DOMAIN_SHAPE] = ""
    conversation_retention_days: variables.ConversationRetentionDays = (
        retention.DEFAULT_CONVERSATION_RETENTION_DAYS
    )
    conversations_table: Annotated[
        variables.ConversationsTable, Field(max_length=255, pattern=r"^([A-Za-z0-9_.-]{3,255})?$")
    ] = ""
    public_api_url: variables.PublicApiUrl = ""

    @model_validator(mode="after")
    def _captcha_is_all_or_nothing(self) -> Settings:
        if bool(self.captcha_verify_url) != bool(self.captcha_secret_arn):
            raise ValueError("CAPTCHA_VERIFY_URL and CAPTCHA_SECRET_ARN must be set together")
        if not self.captcha_enabled:
            return self
        if self.captcha_provider is None:
            raise ValueError(
                "CAPTCHA_PROVIDER must be turnstile, hcaptcha or recaptcha when "
                "CAPTCHA_VERIFY_URL is not a provider's own siteverify URL"
            )
        if not self.captcha_expected_hostnames and self.captcha_expected_hostnames_csv != "*":
            raise ValueError(
                "CAPTCHA_EXPECTED_HOSTNAMES must name the storefront's hostnames (or be * for "
                "any) when ALLOWED_ORIGINS names none"
            )
        return self

    @model_validator(mode="after")
    def _conversations_have_a_table_and_a_url(self) -> Settings:
        if not self.conversations_enabled:
            return self
        missing = [
            name
            for name, value in (
                ("CONVERSATIONS_TABLE", self.conversations_table),
                ("PUBLIC_API_URL", self.public_api_url),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"{' and '.join(missing)} must be set when REPLY_DOMAIN is set")
        return self

    @field_validator("captcha_expected_hostnames_csv")
    @classmethod
    def _hostnames_are_hostnames(cls, value: str) -> str:
        if value.strip() == "*":
            return "*"
        for hostname in _split_csv(value):
            if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", hostname):
                raise ValueError(
                    "must be * or hostnames (no scheme, port or path), separated by commas"
                )
        return value

    @field_validator("allowed_origins_csv")
    @classmethod
    def _origins_are_origins(cls, value: str) -> str:
        for origin in _split_csv(value):
            if not re.fullmatch(_ORIGIN_PATTERN, origin):
                raise ValueError(
                    "each origin must be * or scheme://host[:port] with no path, "
                    "separated by commas"
                )
        return value

    @cached_property
    def allowed_origins(self) -> tuple[str, ...]:
        return tuple(_split_csv(self.allowed_origins_csv))

    @property
    def conversations_enabled(self) -> bool:
        return bool(self.reply_domain)

    @property
    def configuration_set(self) -> str | None:
        return self.ses_configuration_set or None

    @property
    def captcha_enabled(self) -> bool:
        return bool(self.captcha_verify_url and self.captcha_secret_arn)

    @property
    def captcha_provider(self) -> CaptchaProviderName | None:
        if self.captcha_provider_name:
            return self.captcha_provider_name
        host = urlsplit(self.captcha_verify_url).hostname or ""
        return _CAPTCHA_PROVIDER_HOSTS.get(host.lower())

    @cached_property
    def captcha_expected_hostnames(self) -> frozenset[str]:
        """The hostnames a captcha must have been solved on; empty only for an explicit `*`."""
        if self.captcha_expected_hostnames_csv == "*":
            return frozenset()
        named = _split_csv(self.captcha_expected_hostnames_csv)
        if not named:
            named = [
                urlsplit(origin).hostname or "" for origin in self.allowed_origins if origin != "*"
            ]
        return frozenset(hostname.lower() for hostname in named if hostname)


def _split_csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Validate the environment; raise ConfigurationError naming every bad variable."""
    return variables.validated(Settings, environ)
