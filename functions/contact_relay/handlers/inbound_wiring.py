"""What one execution environment of the inbound function builds once: its settings, the
digest key (stop links), the adapters and the `ReplyRelay` over them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG, SES_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_conversations import DynamoDBConversations
from contact_relay.adapters.dynamodb_relayed_messages import DynamoDBRelayedMessages
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.s3_inbound import S3InboundMessages
from contact_relay.adapters.secrets import SecretReader
from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.adapters.wiring_factories import digester_from
from contact_relay.inbound_settings import InboundSettings, load_inbound_settings
from contact_relay.replies import ReplyPolicy, ReplyRelay


@dataclass(frozen=True, slots=True)
class InboundClients:
    """The botocore clients to build around; any left None is made with the relay's config."""

    dynamodb: Any = None
    sesv2: Any = None
    s3: Any = None
    secretsmanager: Any = None


@dataclass(frozen=True, slots=True)
class InboundWiring:
    relay: ReplyRelay

    @classmethod
    def build(cls, clients: InboundClients | None = None) -> InboundWiring:
        clients = clients or InboundClients()
        settings = load_inbound_settings()
        dynamodb = clients.dynamodb or boto3.client("dynamodb", config=DYNAMODB_CLIENT_CONFIG)
        sesv2 = clients.sesv2 or boto3.client("sesv2", config=SES_CLIENT_CONFIG)
        digester = digester_from(settings, SecretReader(clients.secretsmanager))

        def mailer_as(address: str) -> SESMailer:
            return SESMailer(address, settings.configuration_set, sesv2)

        relay = ReplyRelay(
            conversations=DynamoDBConversations(settings.conversations_table, dynamodb),
            sellers=DynamoDBSellerDirectory(settings.sellers_table, dynamodb),
            store=S3InboundMessages(settings.inbound_bucket, settings.inbound_prefix, clients.s3),
            relayed=DynamoDBRelayedMessages(settings.messages_table, dynamodb),
            mailer_as=mailer_as,
            digester=digester,
            policy=reply_policy_from(settings),
        )
        return cls(relay)


def reply_policy_from(settings: InboundSettings) -> ReplyPolicy:
    return ReplyPolicy(
        reply_domain=settings.reply_domain,
        marketplace=settings.marketplace_name,
        public_api_url=settings.public_api_url,
        sender_domain=settings.sender_domain,
        message_retention_days=settings.message_retention_days,
        conversation_retention_days=settings.conversation_retention_days,
        max_message_bytes=settings.inbound_max_bytes,
        max_text_chars=settings.inbound_max_text_chars,
    )
