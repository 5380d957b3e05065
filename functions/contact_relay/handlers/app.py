"""The HTTP API: a Powertools REST resolver with the routes of `routes.py`, each group in a module
of its own, and the one table of failures to HTTP answers."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig

from contact_relay.conversation_keeper import ConversationKeeper
from contact_relay.handlers.error_responses import register_error_responses
from contact_relay.handlers.lookup_routes import register_lookup_routes
from contact_relay.handlers.routes import ROUTES
from contact_relay.handlers.sending_route import Deliver, register_sending_route
from contact_relay.handlers.stop_routes import register_stop_routes
from contact_relay.handlers.verification_routes import register_verification_routes
from contact_relay.lookups import Lookups
from contact_relay.settings import Settings
from contact_relay.verification import AddressConfirmer


def cors_config(settings: Settings) -> CORSConfig | None:
    origins = settings.allowed_origins
    if not origins:
        return None
    return CORSConfig(
        allow_origin=origins[0],
        extra_origins=list(origins[1:]),
        allow_headers=["Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )


def create_app(
    settings: Settings,
    deliver: Deliver,
    lookups: Lookups,
    confirmer: AddressConfirmer,
    conversations: ConversationKeeper | None = None,
) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))
    # In this order: the OpenAPI document lists the paths as they were registered.
    register_lookup_routes(app, settings.marketplace_name, lookups)
    register_verification_routes(app, confirmer)
    register_sending_route(app, settings, deliver)
    register_stop_routes(app, conversations)
    register_error_responses(app, ROUTES)
    return app
