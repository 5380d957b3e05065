"""The relay's configuration: read from the environment once, validated, and frozen.

This is the only module that reads the environment. A missing or bad value fails the cold start
with a message that names the variable, rather than surfacing later as a confusing 500.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.text_rules import has_forbidden_single_line_character

# The longest message a buyer may send, counted as sent (before reduction).
DEFAULT_MAX_MESSAGE_CHARS = 4000

_TABLE_NAME = Field(min_length=3, max_length=255, pattern=r"^[A-Za-z0-9_.-]+$")
_ORIGIN_PATTERN = r"^(\*|https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)$"


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
    captcha_secret: str = Field("", max_length=1024, validation_alias="CAPTCHA_SECRET")

    @model_validator(mode="after")
    def _captcha_is_all_or_nothing(self) -> Settings:
        if bool(self.captcha_verify_url) != bool(self.captcha_secret):
            raise ValueError("CAPTCHA_VERIFY_URL and CAPTCHA_SECRET must be set together")
        return self

    @field_validator("sender_address")
    @classmethod
    def _sender_is_an_address(cls, value: str) -> str:
        try:
            return normalise_email_address(value)
        except InvalidEmailAddress as exc:
            raise ValueError(f"not a usable sender address: {exc}") from None

    @field_validator("marketplace_name")
    @classmethod
    def _marketplace_fits_a_header(cls, value: str) -> str:
        # It goes into the From display name and the subject line.
        if has_forbidden_single_line_character(value) or value != value.strip():
            raise ValueError("must be one line without control characters or outer spaces")
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
    def configuration_set(self) -> str | None:
        return self.ses_configuration_set or None


def _split_csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Validate the environment; raise ConfigurationError naming every bad variable."""
    try:
        return Settings.model_validate(dict(os.environ if environ is None else environ))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        raise ConfigurationError(f"contact-relay configuration is invalid: {problems}") from None
