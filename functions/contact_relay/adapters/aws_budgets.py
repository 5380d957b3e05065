"""The longest one call through a botocore client can take, worked out from the client's Config.

Every attempt may spend its connect timeout and then its read timeout; between attempts,
botocore's standard retry mode sleeps (botocore/retries/standard.py, `ExponentialBackoff`):

    t_i = rand(0, 1) * min(base_scale * 2 ** (i - 1), 20)        i = 1 for the first retry

with base_scale 1 s for a throttling answer (0.05 s, or 0.025 s for DynamoDB, otherwise; before
botocore's "2.1" retry behaviour, 1 s for every error), raised to an `x-amz-retry-after` header's
value when the answer carries one, but to no more than t_i + 5 s. So the longest sleep before
retry i is min(2 ** (i - 1), 20) + 5 seconds, whatever the error and the botocore version.

Left out, as botocore bounds it no better: DNS resolution, and a body trickled out one byte per
read timeout. Only standard mode is worked out: legacy mode's schedule differs, and adaptive
mode adds client-side rate limiting whose waits have no bound here.
"""

from __future__ import annotations

from typing import Any

from botocore.config import Config

# botocore's ExponentialBackoff: the largest base scale (throttling), the cap on the exponential
# part, and how far an x-amz-retry-after header may lengthen a sleep beyond it.
BACKOFF_BASE_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 20.0
RETRY_AFTER_ALLOWANCE_SECONDS = 5.0


def total_attempts(config: Config) -> int:
    """How many times a call is sent at most: `total_max_attempts`, or `max_attempts` retries
    plus the first attempt. A config that leaves it to botocore's defaults has no stated bound."""
    retries: dict[str, Any] = config.retries or {}  # type: ignore[attr-defined]
    if retries.get("mode") != "standard":
        raise ValueError("only botocore's standard retry mode has a worst case worked out here")
    if "total_max_attempts" in retries:
        return int(retries["total_max_attempts"])
    if "max_attempts" in retries:
        return int(retries["max_attempts"]) + 1
    raise ValueError("the config leaves the number of attempts to botocore's defaults")


def attempt_seconds(config: Config) -> float:
    """The longest one attempt can take: connecting, then waiting for the answer. (A Config
    always holds both timeouts: botocore's default of 60 s where none was given.)"""
    # Config sets its options as attributes at run time; botocore's stubs do not declare them.
    return float(config.connect_timeout) + float(config.read_timeout)  # type: ignore[attr-defined]


def longest_botocore_backoff(retry: int) -> float:
    """The longest botocore's standard mode sleeps before retry number `retry` (1-based)."""
    exponential: float = min(BACKOFF_BASE_SECONDS * 2 ** (retry - 1), MAX_BACKOFF_SECONDS)
    return exponential + RETRY_AFTER_ALLOWANCE_SECONDS


def worst_case_seconds(config: Config) -> float:
    """The longest one call through a client built with `config` can take, retries included."""
    attempts = total_attempts(config)
    backoff = sum(longest_botocore_backoff(retry) for retry in range(1, attempts))
    return attempts * attempt_seconds(config) + backoff
