"""The relay's configuration: read from the environment once, validated, and frozen.

This is the only module that reads the environment. A missing or bad value fails the cold start
with a message that names the variable, rather than surfacing later as a confusing 500.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.text_rules import has_forbidden_single_line_character

# The longest message a buyer may send, counted as sent (before reduction).
DEFAULT_MAX_MESSAGE_CHARS = 4000

_TABLE_NAME = Field(min_length=3, max_length=255, pattern=r"^[A-Za-z0-9_.-]+$")
_ORIGIN_PATTERN = r"^(\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)$"
# A Secrets Manager secret's full ARN, with the six characters Secrets Manager appends to the
# name (the template insists on them too, so the IAM resource matches exactly this secret).
_SECRETS_MANAGER_ARN = (
    r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:"
    r"[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$"
)
_OPTIONAL_SECRETS_MANAGER_ARN = f"^({_SECRETS_MANAGER_ARN[1:-1]})?$"
# REPLY_DOMAIN: a lower-case DNS name of two labels or more (IDNs in their xn-- form), as it is
# written after the @ of every alias.
_REPLY_DOMAIN = (
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)
# PUBLIC_API_URL goes into emails' footers (the stop links): a scheme, a host, a port and a
# plain path, nothing a mail client could read as more than one link.
_PUBLIC_API_URL = r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?)?$"
CaptchaProviderName = Literal["turnstile", "hcaptcha", "recaptcha"]
# The siteverify hosts of the providers whose answers this relay understands.
_CAPTCHA_PROVIDER_HOSTS: dict[str, CaptchaProviderName] = {
    "challenges.cloudflare.com": "turnstile",
    "api.hcaptcha.com": "hcaptcha",
    "hcaptcha.com": "hcaptcha",
    "www.google.com": "recaptcha",
    "www.recaptcha.net": "recaptcha",
}


_Model = TypeVar("_Model", bound=BaseModel)


class ConfigurationError(RuntimeError):
    """The environment does not describe a working relay."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    sellers_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="SELLERS_TABLE")
    messages_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="MESSAGES_TABLE")
    idempotency_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="IDEMPOTENCY_TABLE")
    rate_limit_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="RATE_LIMIT_TABLE")
    sender_address: str = Field(validation_alias="SENDER_ADDRESS")
    marketplace_name: str = Field(
        "Amazon", min_length=1, max_length=64, validation_alias="MARKETPLACE_NAME"
    )
    ses_configuration_set: str = Field(
        "", pattern=r"^[A-Za-z0-9_-]{0,64}$", validation_alias="SES_CONFIGURATION_SET"
    )
    link_policy: Literal["remove", "reject"] = Field("remove", validation_alias="LINK_POLICY")
    max_message_chars: int = Field(
        DEFAULT_MAX_MESSAGE_CHARS, ge=1, le=16000, validation_alias="MAX_MESSAGE_CHARS"
    )
    allowed_origins_csv: str = Field("", validation_alias="ALLOWED_ORIGINS")
    message_retention_days: int = Field(
        90, ge=1, le=3650, validation_alias="MESSAGE_RETENTION_DAYS"
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
        "", pattern=_OPTIONAL_SECRETS_MANAGER_ARN, validation_alias="CAPTCHA_SECRET_ARN"
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
    # The HMAC key of the digests that stand for buyers' addresses and source IPs in stored keys;
    # generated by Secrets Manager at deploy time. There is no unkeyed mode: `digester_from` fails
    # the cold start naming this variable when it is empty. (Required here once the local stack
    # creates its own digest-key secret; until then an empty value only fails where it is used.)
    digest_key_secret_arn: str = Field(
        "", pattern=_OPTIONAL_SECRETS_MANAGER_ARN, validation_alias="DIGEST_KEY_SECRET_ARN"
    )
    # The two-way relay (conversations.py): empty keeps it off, and the buyer is the Reply-To.
    reply_domain: str = Field("", validation_alias="REPLY_DOMAIN")
    conversation_retention_days: int = Field(
        180, ge=1, le=3650, validation_alias="CONVERSATION_RETENTION_DAYS"
    )
    conversations_table: str = Field(
        "",
        max_length=255,
        pattern=r"^([A-Za-z0-9_.-]{3,255})?$",
        validation_alias="CONVERSATIONS_TABLE",
    )
    # The API's base URL as the parties reach it (stop links).
    public_api_url: str = Field("", pattern=_PUBLIC_API_URL, validation_alias="PUBLIC_API_URL")

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

    @field_validator("reply_domain")
    @classmethod
    def _reply_domain_is_a_domain(cls, value: str) -> str:
        return _reply_domain(value) if value else value

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

    @field_validator("sender_address")
    @classmethod
    def _sender_is_an_address(cls, value: str) -> str:
        return _sender_address(value)

    @field_validator("marketplace_name")
    @classmethod
    def _marketplace_fits_a_header(cls, value: str) -> str:
        return _one_header_line(value)

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


def _reply_domain(value: str) -> str:
    if not re.fullmatch(_REPLY_DOMAIN, value):
        raise ValueError(
            "must be empty or a lower-case domain name such as reply.shop.example "
            "(an IDN in its xn-- form)"
        )
    return value


def _sender_address(value: str) -> str:
    try:
        return normalise_email_address(value)
    except InvalidEmailAddress as exc:
        raise ValueError(f"not a usable sender address: {exc}") from None


def _one_header_line(value: str) -> str:
    # The marketplace's name goes into From display names and subject lines.
    if has_forbidden_single_line_character(value) or value != value.strip():
        raise ValueError("must be one line without control characters or outer spaces")
    return value


def _split_csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class DeliveryEventsSettings(BaseModel):
    """What the delivery events function needs: the two tables it updates, nothing more."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sellers_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="SELLERS_TABLE")
    messages_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="MESSAGES_TABLE")


class InboundSettings(BaseModel):
    """What the inbound function needs: the tables it reads and writes, where SES stores the raw
    messages, the reply domain its aliases are at, and what a relayed email is sent with."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sellers_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="SELLERS_TABLE")
    messages_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="MESSAGES_TABLE")
    conversations_table: Annotated[str, _TABLE_NAME] = Field(validation_alias="CONVERSATIONS_TABLE")
    # Without a reply domain there are no aliases, and nothing for this function to do.
    reply_domain: str = Field(min_length=1, validation_alias="REPLY_DOMAIN")
    # Its domain names the contact form's emails' Message-IDs, which replies thread on.
    sender_address: str = Field(validation_alias="SENDER_ADDRESS")
    marketplace_name: str = Field(
        "Amazon", min_length=1, max_length=64, validation_alias="MARKETPLACE_NAME"
    )
    ses_configuration_set: str = Field(
        "", pattern=r"^[A-Za-z0-9_-]{0,64}$", validation_alias="SES_CONFIGURATION_SET"
    )
    message_retention_days: int = Field(
        90, ge=1, le=3650, validation_alias="MESSAGE_RETENTION_DAYS"
    )
    conversation_retention_days: int = Field(
        180, ge=1, le=3650, validation_alias="CONVERSATION_RETENTION_DAYS"
    )
    # The stop links in relayed emails' footers point here.
    public_api_url: str = Field(
        min_length=1, pattern=_PUBLIC_API_URL, validation_alias="PUBLIC_API_URL"
    )
    digest_key_secret_arn: str = Field(
        pattern=_SECRETS_MANAGER_ARN, validation_alias="DIGEST_KEY_SECRET_ARN"
    )
    inbound_bucket: str = Field(
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", validation_alias="INBOUND_BUCKET"
    )
    # Folders of plain names, each ending in `/` (or none): the receipt rule's ObjectKeyPrefix.
    inbound_prefix: str = Field(
        "inbound/", pattern=r"^([A-Za-z0-9_-]{1,60}/){0,4}$", validation_alias="INBOUND_PREFIX"
    )
    # A raw message larger than this is dropped unread (SES's S3 action stores up to 30 MB).
    inbound_max_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, le=30 * 1024 * 1024, validation_alias="INBOUND_MAX_BYTES"
    )
    # How much of a message's text is relayed; the rest is cut, and the reader told.
    inbound_max_text_chars: int = Field(
        16_000, ge=1, le=100_000, validation_alias="INBOUND_MAX_TEXT_CHARS"
    )

    @field_validator("marketplace_name")
    @classmethod
    def _marketplace_fits_a_header(cls, value: str) -> str:
        return _one_header_line(value)

    @field_validator("reply_domain")
    @classmethod
    def _reply_domain_is_a_domain(cls, value: str) -> str:
        return _reply_domain(value)

    @field_validator("sender_address")
    @classmethod
    def _sender_is_an_address(cls, value: str) -> str:
        return _sender_address(value)

    @property
    def configuration_set(self) -> str | None:
        return self.ses_configuration_set or None

    @property
    def sender_domain(self) -> str:
        return self.sender_address.rpartition("@")[2]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Validate the environment; raise ConfigurationError naming every bad variable."""
    return _validated(Settings, environ)


def load_delivery_events_settings(
    environ: Mapping[str, str] | None = None,
) -> DeliveryEventsSettings:
    return _validated(DeliveryEventsSettings, environ)


def load_inbound_settings(environ: Mapping[str, str] | None = None) -> InboundSettings:
    return _validated(InboundSettings, environ)


def _validated(model: type[_Model], environ: Mapping[str, str] | None) -> _Model:
    try:
        return model.model_validate(dict(os.environ if environ is None else environ))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        raise ConfigurationError(f"contact-relay configuration is invalid: {problems}") from None
