"""The embedded AWS of the local stack: a moto server on loopback, set up as template.yaml says.

Everything the relay reads from the environment is given a local default here (and only where the
operator has not set it), so the same `lambda_handler` runs unchanged against moto.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import string
import time
from collections.abc import MutableMapping
from importlib import resources
from pathlib import Path
from typing import Any

import boto3
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from contact_relay_local.outbox import OutboxMessage, sent_emails
from contact_relay_local.relay_defaults import RELAY_DEFAULTS
from contact_relay_local.ses_event_publishing import published_events
from contact_relay_local.ses_tap import SendEmailTap
from contact_relay_local.template_buckets import create_bucket
from contact_relay_local.template_functions import literal_variables
from contact_relay_local.template_tables import create_tables

LOCAL_DEFAULTS = {
    **RELAY_DEFAULTS,
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    # Lambda-only services have nothing to talk to here; logs stay readable on a terminal.
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    # As the template does: every email goes through a configuration set, whose events the
    # stack publishes to the delivery events function (`ses_event_publishing`).
    "SES_CONFIGURATION_SET": "contact-relay-local",
    # Where `POST /_local/inbound` stores what it receives, as the receipt rule's S3 action does.
    "INBOUND_BUCKET": "contact-relay-inbound",
}
# Settings the template writes out for a function, taken from it rather than repeated here.
_TEMPLATE_VARIABLES = {"InboundFunction": ("INBOUND_PREFIX",)}
# `contact-relay dev` runs the two-way relay unless told otherwise (REPLY_DOMAIN set, even empty).
LOCAL_REPLY_DOMAIN = "reply.localhost"
_KEY_ALPHABET = string.ascii_letters + string.digits
_TABLE_VARIABLES = {
    "SellersTable": "SELLERS_TABLE",
    "MessagesTable": "MESSAGES_TABLE",
    "IdempotencyTable": "IDEMPOTENCY_TABLE",
    "RateLimitTable": "RATE_LIMIT_TABLE",
    "ConversationsTable": "CONVERSATIONS_TABLE",
}


def demo_sellers() -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("demo_sellers.json").read_text("utf-8")
    sellers: list[dict[str, str]] = json.loads(text)
    return sellers


def demo_messages() -> list[dict[str, Any]]:
    """The message rows the stack starts with: the one the OpenAPI example of
    `GET /messages/{messageId}` names, so the example is found."""
    text = resources.files(__package__).joinpath("demo_messages.json").read_text("utf-8")
    messages: list[dict[str, Any]] = json.loads(text)
    return messages


def message_attributes(row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"N": str(value)} if isinstance(value, int) else {"S": str(value)}
        for name, value in row.items()
    }


def read_sellers(path: Path | None) -> list[dict[str, str]]:
    """Seller items from a JSON array file, or the demo sellers; each needs a string sellerId."""
    if path is None:
        return demo_sellers()
    sellers = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(sellers, list) or not all(_is_seller_item(item) for item in sellers):
        raise ValueError(
            f"{path}: expected a JSON array of objects with a string sellerId "
            "(and displayName, replyToEmail, status)"
        )
    return sellers


def _is_seller_item(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("sellerId"), str)
        and all(isinstance(value, str) for value in item.values())
    )


def seller_attributes(item: dict[str, str]) -> dict[str, Any]:
    return {name: {"S": value} for name, value in item.items()}


class _TappedMotoServer(ThreadedMotoServer):
    """moto's threaded server with a `SendEmailTap` in front of its application."""

    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.tap = SendEmailTap(DomainDispatcherApplication(create_backend_app))

    def _server_entry(self) -> None:
        # ThreadedMotoServer's own, with the tapped application.
        self._server = make_server(
            self._ip_address, self._port, self.tap, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


class LocalAWS:
    """A moto server on a free loopback port, with the relay's tables, sender and sellers."""

    def __init__(self, environ: MutableMapping[str, str] = os.environ) -> None:
        self._environ = environ
        self._server = _TappedMotoServer()
        self.endpoint_url = ""

    def start(self, sellers: list[dict[str, str]]) -> None:
        self.start_server()
        self.create_resources(sellers)

    def start_server(self) -> None:
        """Start moto and point the environment at it: a process started from now on, the
        function's environment included, finds the relay's configuration and talks to moto."""
        # moto's server logs every AWS call through werkzeug; the dev server logs each request.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        for name, value in LOCAL_DEFAULTS.items():
            self._environ.setdefault(name, value)
        for logical_id, names in _TEMPLATE_VARIABLES.items():
            written = literal_variables(logical_id)
            for name in names:
                if name in written:
                    self._environ.setdefault(name, written[name])
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        # Every boto3 client made from now on, the relay's included, talks to moto.
        self._environ["AWS_ENDPOINT_URL"] = self.endpoint_url
        # Before the function's environment starts: it reads the key at its cold start.
        self._environ["DIGEST_KEY_SECRET_ARN"] = self.create_digest_key_secret()

    def stop(self) -> None:
        self._server.stop()

    def create_resources(self, sellers: list[dict[str, str]]) -> None:
        """The tables and the inbound bucket as template.yaml defines them, the verified sender
        (and the reply domain), the sellers and the demo message."""
        dynamodb = self.client("dynamodb")
        create_tables(
            dynamodb,
            {
                logical_id: self._environ[variable]
                for logical_id, variable in _TABLE_VARIABLES.items()
            },
        )
        # As the template's HasReplyDomain: SES receiving exists only with a reply domain.
        if self._environ.get("REPLY_DOMAIN"):
            create_bucket(self.client("s3"), self._environ["INBOUND_BUCKET"], "InboundBucket")
        sesv2 = self.client("sesv2")
        sesv2.create_email_identity(EmailIdentity=self._environ["SENDER_ADDRESS"])
        if self._environ.get("REPLY_DOMAIN"):
            # Relayed replies are sent from the aliases: SES must know their domain.
            sesv2.create_email_identity(EmailIdentity=self._environ["REPLY_DOMAIN"])
        if self._environ.get("SES_CONFIGURATION_SET"):
            sesv2.create_configuration_set(
                ConfigurationSetName=self._environ["SES_CONFIGURATION_SET"]
            )
        for item in sellers:
            dynamodb.put_item(
                TableName=self._environ["SELLERS_TABLE"], Item=seller_attributes(item)
            )
        self._start_demo_verification(dynamodb, sellers)
        for row in demo_messages():
            dynamodb.put_item(
                TableName=self._environ["MESSAGES_TABLE"], Item=message_attributes(row)
            )

    def _start_demo_verification(self, dynamodb: Any, sellers: list[dict[str, str]]) -> None:
        """The demo's pending seller awaits the link of the OpenAPI example, as if it had just
        been sent one: opening it and pressing the button verifies the address."""
        from contact_relay.handlers.api_examples import DEMO_VERIFICATION_TOKEN
        from contact_relay.verification import TOKEN_LIFETIME, seller_of, token_digest

        seller_id = seller_of(DEMO_VERIFICATION_TOKEN)
        if not any(
            seller.get("sellerId") == seller_id and seller.get("replyToStatus") == "pending"
            for seller in sellers
        ):
            return
        dynamodb.update_item(
            TableName=self._environ["SELLERS_TABLE"],
            Key={"sellerId": {"S": seller_id}},
            UpdateExpression="SET verificationDigest = :digest, verificationExpiresAt = :expires",
            ExpressionAttributeValues={
                ":digest": {"S": token_digest(DEMO_VERIFICATION_TOKEN)},
                ":expires": {"N": str(int(time.time() + TOKEN_LIFETIME.total_seconds()))},
            },
        )

    def table_names(self) -> list[str]:
        return [self._environ[variable] for variable in _TABLE_VARIABLES.values()]

    def create_digest_key_secret(self) -> str:
        """The digest key's secret, made as the template's DigestKeySecret is (64 random letters
        and digits, generated where no one types it), in this stack's own Secrets Manager; its
        ARN is all the function is given. Always a new one: an ARN from outside would name a
        secret this moto does not hold."""
        key = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(64))
        answer = self.client("secretsmanager").create_secret(
            Name="contact-relay/digest-key", SecretString=key
        )
        return str(answer["ARN"])

    def client(self, service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint_url,
            region_name=self._environ["AWS_DEFAULT_REGION"],
        )

    def delivery_events(self) -> list[dict[str, Any]]:
        """The events SES would publish, through EventBridge, about the emails sent since the
        last call: what the stack hands the delivery events function."""
        region = self._environ["AWS_DEFAULT_REGION"]
        return [
            event for sent in self._server.tap.take() for event in published_events(sent, region)
        ]

    def outbox(self) -> list[OutboxMessage]:
        """Every email moto accepted, oldest first."""
        return sent_emails(self._environ["AWS_DEFAULT_REGION"])
