"""`contact-relay openapi`: the OpenAPI document of the API, as the relay's default settings make
it (`make openapi` commits it as openapi.json)."""

from __future__ import annotations

import argparse


def run_openapi(_arguments: argparse.Namespace) -> int:
    from contact_relay.handlers.openapi_document import api_document
    from contact_relay.settings import load_settings
    from contact_relay_local.relay_defaults import RELAY_DEFAULTS

    print(api_document(load_settings(RELAY_DEFAULTS)))
    return 0
