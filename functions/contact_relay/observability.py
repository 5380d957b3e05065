"""Powertools logger, metrics and tracer shared by the handler and the adapters.

Nothing logged here or anywhere else may hold a buyer's email address or message text.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "contact-relay"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="ContactRelay", service=SERVICE)
tracer = Tracer(service=SERVICE)
