"""What one execution environment of the delivery events function builds once: its settings
and the two DynamoDB adapters it writes through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG
from contact_relay.adapters.dynamodb_message_status import DynamoDBMessageStatuses
from contact_relay.adapters.dynamodb_seller_health import DynamoDBSellerAddressHealth
from contact_relay.delivery_events_settings import load_delivery_events_settings


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
