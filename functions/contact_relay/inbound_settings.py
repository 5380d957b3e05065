"""The inbound function's settings: the tables it reads and writes, where SES stores the raw
messages, the reply domain its aliases are at, and what a relayed email is sent with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field

from contact_relay import environment_variables as variables
from contact_relay import retention
from contact_relay.inbound_reading import DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_TEXT_CHARS


class InboundSettings(variables.FunctionSettings):
    sellers_table: variables.SellersTable
    messages_table: variables.MessagesTable
    conversations_table: Annotated[variables.ConversationsTable, variables.TABLE_NAME]
    # Without a reply domain there are no aliases, and nothing for this function to do.
    reply_domain: Annotated[
        variables.ReplyDomain, Field(min_length=1), variables.REPLY_DOMAIN_SHAPE
    ]
    # Its domain names the contact form's emails' Message-IDs, which replies thread on.
    sender_address: variables.SenderAddress
    marketplace_name: variables.MarketplaceName = variables.DEFAULT_MARKETPLACE_NAME
    ses_configuration_set: variables.SesConfigurationSet = ""
    message_retention_days: variables.MessageRetentionDays = (
        retention.DEFAULT_MESSAGE_RETENTION_DAYS
    )
    conversation_retention_days: variables.ConversationRetentionDays = (
        retention.DEFAULT_CONVERSATION_RETENTION_DAYS
    )
    # The stop links in relayed emails' footers point here.
    public_api_url: Annotated[variables.PublicApiUrl, Field(min_length=1)]
    digest_key_secret_arn: Annotated[
        variables.DigestKeySecretArn, Field(pattern=variables.SECRETS_MANAGER_ARN)
    ]
    inbound_bucket: str = Field(
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", validation_alias="INBOUND_BUCKET"
    )
    # Folders of plain names, each ending in `/` (or none): the receipt rule's ObjectKeyPrefix.
    inbound_prefix: str = Field(
        "inbound/", pattern=r"^([A-Za-z0-9_-]{1,60}/){0,4}$", validation_alias="INBOUND_PREFIX"
    )
    # A raw message larger than this is dropped unread (SES's S3 action stores up to 30 MB).
    inbound_max_bytes: int = Field(
        DEFAULT_MAX_MESSAGE_BYTES,
        ge=1024,
        le=30 * 1024 * 1024,
        validation_alias="INBOUND_MAX_BYTES",
    )
    # How much of a message's text is relayed; the rest is cut, and the reader told.
    inbound_max_text_chars: int = Field(
        DEFAULT_MAX_TEXT_CHARS, ge=1, le=100_000, validation_alias="INBOUND_MAX_TEXT_CHARS"
    )

    @property
    def configuration_set(self) -> str | None:
        return self.ses_configuration_set or None

    @property
    def sender_domain(self) -> str:
        return self.sender_address.rpartition("@")[2]


def load_inbound_settings(environ: Mapping[str, str] | None = None) -> InboundSettings:
    return variables.validated(InboundSettings, environ)
