"""What one execution environment builds once: settings, AWS clients, the relay, the resolver.

Built at an environment's first invocation (its cold start), so a bad configuration fails that
invocation loudly, and warm requests pay nothing for wiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import CORSConfig
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG, SES_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_messages import DynamoDBMessageLedger
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.dynamodb_verifications import DynamoDBAddressVerifications
from contact_relay.adapters.secrets import SecretReader
from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.adapters.wiring_factories import (
    captcha_from,
    conversations_from,
    digester_from,
    rate_limiter_from,
)
from contact_relay.handlers.app import cors_config, create_app
from contact_relay.handlers.idempotency import OncePerRequest
from contact_relay.handlers.per_environment import PerEnvironment
from contact_relay.lookups import Lookups
from contact_relay.service import ContactRelay, RelayPolicy
from contact_relay.settings import Settings, load_settings
from contact_relay.verification import AddressConfirmer


@dataclass(frozen=True, slots=True)
class AwsClients:
    """The botocore clients the relay talks through; None stands for the deployed default."""

    dynamodb: Any = None
    sesv2: Any = None
    secretsmanager: Any = None


class Wiring:
    """Everything one execution environment builds once."""

    settings: Settings
    clients: AwsClients
    relay: ContactRelay
    once: OncePerRequest
    cors: CORSConfig | None
    app: APIGatewayRestResolver

    def __init__(self, clients: AwsClients) -> None:
        self.settings = settings = load_settings()
        dynamodb = clients.dynamodb or boto3.client("dynamodb", config=DYNAMODB_CLIENT_CONFIG)
        # SES has its own: botocore never retries a send that may have reached SES.
        sesv2 = clients.sesv2 or boto3.client("sesv2", config=SES_CLIENT_CONFIG)
        # The clients used after the cold start (drop_connections, tests' hooks).
        self.clients = AwsClients(dynamodb, sesv2)
        # Each secret is read once here, never from the environment.
        secrets = SecretReader(clients.secretsmanager)
        digester = digester_from(settings, secrets)
        sellers = DynamoDBSellerDirectory(settings.sellers_table, dynamodb)
        ledger = DynamoDBMessageLedger(settings.messages_table, dynamodb)
        conversations = conversations_from(settings, dynamodb, digester)
        self.relay = ContactRelay(
            sellers=sellers,
            mailer=SESMailer(settings.sender_address, settings.configuration_set, sesv2),
            ledger=ledger,
            policy=policy_from(settings),
            limits=rate_limiter_from(settings, dynamodb, digester),
            human_check=captcha_from(settings, secrets),
            conversations=conversations,
        )
        self.once = OncePerRequest(self.relay, settings.idempotency_table, dynamodb, digester)
        self.cors = cors_config(settings)
        confirmer = AddressConfirmer(DynamoDBAddressVerifications(settings.sellers_table, dynamodb))
        self.app = create_app(
            settings, self.once.deliver, Lookups(sellers, ledger), confirmer, conversations
        )

    def register_lambda_context(self, context: LambdaContext) -> None:
        self.once.register_lambda_context(context)

    def drop_connections(self) -> None:
        """Close the clients' pooled connections: after a SnapStart restore they are another
        machine's; the next call opens its own."""
        self.clients.dynamodb.close()
        self.clients.sesv2.close()


def policy_from(settings: Settings) -> RelayPolicy:
    return RelayPolicy(
        marketplace=settings.marketplace_name,
        sender_address=settings.sender_address,
        link_policy=settings.link_policy,
        retention_days=settings.message_retention_days,
    )


class ExecutionEnvironments(PerEnvironment[Wiring]):
    """The contact function's wiring, one per execution environment (see `PerEnvironment`).

    Lambda runs one request at a time per environment; a test that drives the handler from
    several threads gets one environment per thread.
    """

    def __init__(self) -> None:
        super().__init__(lambda: Wiring(AwsClients()))

    def wire(self, clients: AwsClients) -> None:
        """Build this environment's wiring now, around `clients`: how a benchmark hands the
        deployed handler botocore clients wrapped in a Stubber."""
        self.install(Wiring(clients))
