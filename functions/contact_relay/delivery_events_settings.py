"""The delivery events function's settings: the two tables it updates, nothing more."""

from __future__ import annotations

from collections.abc import Mapping

from contact_relay.environment_variables import (
    FunctionSettings,
    MessagesTable,
    SellersTable,
    validated,
)


class DeliveryEventsSettings(FunctionSettings):
    sellers_table: SellersTable
    messages_table: MessagesTable


def load_delivery_events_settings(
    environ: Mapping[str, str] | None = None,
) -> DeliveryEventsSettings:
    return validated(DeliveryEventsSettings, environ)
