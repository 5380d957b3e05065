"""The contact function under SnapStart: wired at import, primed before the snapshot, made its
own environment again after each restore.

In the initialisation Lambda snapshots (`runtime_hooks.snapping_now`), the wiring (settings, the
digest key's secret, clients, relay, resolver, idempotency) is built at import, so a bad
configuration fails the version's publication, loudly, before any buyer reaches it. Anywhere
else it stays as it was, built at an environment's first invocation: tests and the local stack
import the handler before they set the environment, and re-wire it at will
(`ExecutionEnvironments.start_cold`, `wire`).

Uniqueness after a restore: every restore resumes the same memory. Message ids (`uuid4`),
verification tokens and conversation aliases (`secrets`) read the operating system's randomness
at each call, which a restore does not replay. The `random` module's generator is state in that
memory: SESMailer's backoff jitter, the Message-ID header (`email.utils.make_msgid`) and
botocore's retry jitter draw from it, so it is seeded again after each restore. No other state
decided before the snapshot is meant to be unique (the digest key is a secret of the
deployment, the same in every environment by design).
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contact_relay.handlers.runtime_hooks import (
    register_after_restore,
    register_before_snapshot,
    snapping_now,
)
from contact_relay.handlers.wiring import ExecutionEnvironments
from contact_relay.observability import logger

if TYPE_CHECKING:
    from contact_relay.handlers.priming import PrimingOutcome, Serve


def take_part(environments: ExecutionEnvironments, serve: Serve) -> None:
    """Register the hooks, and wire now if this is the initialisation Lambda snapshots."""
    if snapping_now():
        environments.current()
    register_before_snapshot(_hook(before_snapshot, environments, serve))
    register_after_restore(_hook(after_restore, environments))


def before_snapshot(environments: ExecutionEnvironments, serve: Serve) -> list[PrimingOutcome]:
    """Prime every path a request takes, then freeze what is left for the garbage collector:
    the objects of the snapshot are never collected, so no collection after a restore walks
    them again."""
    # Imported here: an on-demand cold start never primes, and need not import the Stubber.
    from contact_relay.handlers.priming import prime

    wiring = environments.current()
    outcomes = prime(serve, wiring.settings, wiring.clients.dynamodb, wiring.clients.sesv2)
    unexpected = [
        f"{outcome.label}: {outcome.status}" for outcome in outcomes if not outcome.as_expected
    ]
    if unexpected:
        logger.warning("Priming answered otherwise than expected", extra={"requests": unexpected})
    gc.collect()
    gc.freeze()
    return outcomes


def after_restore(environments: ExecutionEnvironments) -> None:
    """What must differ per environment: the random generator's state, the connections
    (credentials need nothing: botocore reads Lambda's container credentials provider, which
    renews expired credentials by itself)."""
    random.seed()
    environments.current().drop_connections()


def _hook(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    def hook() -> Any:
        return function(*args)

    hook.__name__ = function.__name__
    return hook
