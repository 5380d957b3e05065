"""Powertools logger, metrics and tracer shared by the handler and the adapters.

Nothing logged here or anywhere else may hold a buyer's email address or message text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar, overload

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "contact-relay"
F = TypeVar("F", bound=Callable[..., Any])

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="ContactRelay", service=SERVICE)


class _Untraced:
    """Stands in for Powertools' Tracer when tracing is switched off.

    Constructing a Tracer imports the X-Ray SDK, whose recorder builds an X-Ray client at import
    (about 0.2 s), even when tracing is disabled. Where POWERTOOLS_TRACE_DISABLED says tracing is
    off (the local stack, the tests), nothing of it is loaded; in Lambda the real Tracer is used.
    """

    @overload
    def capture_method(self, method: F, **options: Any) -> F: ...
    @overload
    def capture_method(self, method: None = None, **options: Any) -> Callable[[F], F]: ...
    def capture_method(self, method: F | None = None, **options: Any) -> F | Callable[[F], F]:
        return method if method is not None else _unchanged

    @overload
    def capture_lambda_handler(self, lambda_handler: F, **options: Any) -> F: ...
    @overload
    def capture_lambda_handler(
        self, lambda_handler: None = None, **options: Any
    ) -> Callable[[F], F]: ...
    def capture_lambda_handler(
        self, lambda_handler: F | None = None, **options: Any
    ) -> F | Callable[[F], F]:
        return lambda_handler if lambda_handler is not None else _unchanged


def _unchanged(function: F) -> F:
    return function


def _tracing_switched_off() -> bool:
    # Powertools' own variable, read with Powertools' own notion of true.
    return os.environ.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


# Only botocore is patched (a subsegment per AWS call): patching everything the X-Ray SDK knows
# (httplib, sqlite3, requests, ...) costs about 24 ms of each cold start for calls we never make;
# the captcha adapter's one HTTP call has its own subsegment through capture_method.
TRACED_LIBRARIES = ("botocore",)

tracer: Tracer | _Untraced = (
    _Untraced()
    if _tracing_switched_off()
    else Tracer(service=SERVICE, patch_modules=TRACED_LIBRARIES)
)
