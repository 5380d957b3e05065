"""What one execution environment of the delivery events function builds once: its settings
and the two DynamoDB adapters it writes through."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

import boto3

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_message_status import DynamoDBMessageStatuses
from contact_relay.adapters.dynamodb_seller_health import DynamoDBSellerAddressHealth
from contact_relay.settings import load_delivery_events_settings


@dataclass(frozen=True, slots=True)
class DeliveryEventsWiring:
    messages: DynamoDBMessageStatuses
    sellers: DynamoDBSellerAddressHealth

    @classmethod
    def build(cls, dynamodb: Any = None) -> DeliveryEventsWiring:
        settings = load_delivery_events_settings()
        client = dynamodb or boto3.client("dynamodb", config=DYNAMODB_CLIENT_CONFIG)
        return cls(
            messages=DynamoDBMessageStatuses(settings.messages_table, client),
            sellers=DynamoDBSellerAddressHealth(settings.sellers_table, client),
        )


class DeliveryEventsEnvironments:
    """One wiring per execution environment (per thread in tests), built at its cold start."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._generations = itertools.count()
        self._generation = next(self._generations)

    def current(self) -> DeliveryEventsWiring:
        wiring: DeliveryEventsWiring | None = getattr(self._local, "wiring", None)
        if wiring is None or getattr(self._local, "generation", None) != self._generation:
            wiring = DeliveryEventsWiring.build()
            self._local.wiring = wiring
            self._local.generation = self._generation
        return wiring

    def start_cold(self) -> None:
        """Every environment's next invocation reads the environment and makes its client
        again, as after a new deployment."""
        self._generation = next(self._generations)
