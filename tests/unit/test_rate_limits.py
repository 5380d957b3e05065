"""The rate limiter against moto's DynamoDB, with the table built from template.yaml and a clock
the test moves: limits per buyer and per source address, hour windows, rows that outlive their
TTL, the race for the last slot, and the keyed digests that stand for addresses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from contact_relay.adapters.dynamodb_rate_limits import WINDOW_SECONDS, DynamoDBRateLimiter
from contact_relay.digests import Digester
from contact_relay.errors import DependencyUnavailable, RateLimited
from contact_relay_local.template_tables import create_tables
from tests.support import TEST_DIGEST_KEY, TEST_ENVIRONMENT

TABLE = TEST_ENVIRONMENT["RATE_LIMIT_TABLE"]
BUYER = "hanako@example.com"
IP = "203.0.113.7"
# 10:00:00 UTC on some day, so the tests know where the hour ends.
HOUR_START = 1_700_000_000 // WINDOW_SECONDS * WINDOW_SECONDS
DIGESTER = Digester(TEST_DIGEST_KEY.encode())


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, {"RateLimitTable": TABLE})
        yield client


def limiter(
    dynamodb: Any, clock: Clock, buyer: int = 20, ip: int = 100, digester: Digester = DIGESTER
) -> DynamoDBRateLimiter:
    return DynamoDBRateLimiter(
        TABLE,
        buyer_per_hour=buyer,
        source_ip_per_hour=ip,
        client=dynamodb,
        clock=clock,
        digester=digester,
    )


def admitted(limits: DynamoDBRateLimiter, buyer: str = BUYER, ip: str | None = IP) -> bool:
    try:
        limits.admit(buyer, ip)
    except RateLimited:
        return False
    return True


def rows(dynamodb: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dynamodb.scan(TableName=TABLE)["Items"]
    return items


def test_a_buyer_gets_the_limit_then_429_until_the_hour_ends(dynamodb: Any) -> None:
    clock = Clock(HOUR_START + 600)
    limits = limiter(dynamodb, clock, buyer=2)

    outcomes = [admitted(limits, ip=f"198.51.100.{n}") for n in range(2)]
    with pytest.raises(RateLimited) as raised:
        limits.admit(BUYER, "198.51.100.9")

    assert outcomes == [True, True]
    assert raised.value.retry_after_seconds == WINDOW_SECONDS - 600
    assert raised.value.limit == "buyer"
    # Another buyer is counted apart.
    assert admitted(limits, buyer="taro@example.com", ip="198.51.100.10")


def test_a_source_address_is_limited_whoever_writes_from_it(dynamodb: Any) -> None:
    limits = limiter(dynamodb, Clock(HOUR_START), ip=2)

    outcomes = [admitted(limits, buyer=f"b{n}@example.com") for n in range(2)]
    with pytest.raises(RateLimited) as raised:
        limits.admit("b2@example.com", IP)

    assert outcomes == [True, True]
    assert raised.value.limit == "source_ip"
    assert admitted(limits, buyer="b9@example.com", ip="198.51.100.1")


def test_the_buyer_address_is_one_buyer_in_any_case(dynamodb: Any) -> None:
    # Mutant killed: the buyer's address not lower-cased for the limit.
    limits = limiter(dynamodb, Clock(HOUR_START), buyer=2)

    outcomes = [
        admitted(limits, buyer=address, ip=None)
        for address in ("hanako@example.com", "Hanako@Example.COM", "HANAKO@EXAMPLE.COM")
    ]

    assert outcomes == [True, True, False]


def test_a_new_hour_starts_a_new_count(dynamodb: Any) -> None:
    clock = Clock(HOUR_START + WINDOW_SECONDS - 1)
    limits = limiter(dynamodb, clock, buyer=1, ip=1)
    assert admitted(limits)
    assert not admitted(limits)

    clock.now = HOUR_START + WINDOW_SECONDS

    assert admitted(limits)


def test_a_row_past_its_expiry_that_ttl_has_not_deleted_counts_for_nothing(dynamodb: Any) -> None:
    # Mutant killed: a rate-limit row already expired still counting (for instance a counter
    # keyed by subject alone, trusting TTL to end it). DynamoDB deletes expired rows lazily, up to
    # days late, and moto never does: the full rows of two days ago are still in the table.
    clock = Clock(HOUR_START)
    limits = limiter(dynamodb, clock, buyer=1, ip=1)
    assert admitted(limits)
    assert not admitted(limits)

    clock.now = HOUR_START + 2 * 24 * WINDOW_SECONDS
    stale = rows(dynamodb)

    assert len(stale) == 2
    assert all(int(row["expiresAt"]["N"]) < clock.now for row in stale)
    assert all(int(row["count"]["N"]) == 1 for row in stale)
    assert admitted(limits)


def test_a_counter_outlives_its_hour_so_ttl_never_ends_it_early(dynamodb: Any) -> None:
    limits = limiter(dynamodb, Clock(HOUR_START + 10))
    limits.admit(BUYER, IP)

    expiries = {int(row["expiresAt"]["N"]) for row in rows(dynamodb)}

    assert expiries == {HOUR_START + 2 * WINDOW_SECONDS}


@pytest.fixture
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies a conditional update atomically; moto checks and writes in separate
    Python steps. One lock around moto's update restores the guarantee the limiter relies on."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    original = DynamoDBBackend.update_item

    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(*args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "update_item", locked)


@pytest.mark.parametrize("attempt", range(3))
def test_two_requests_for_the_last_slot_one_wins(
    dynamodb: Any, atomic_moto: None, attempt: int
) -> None:
    limits = limiter(dynamodb, Clock(HOUR_START), buyer=2, ip=0)
    assert admitted(limits)
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def race() -> None:
        barrier.wait()
        outcomes.append(admitted(limits))

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [False, True]
    [row] = rows(dynamodb)
    assert row["count"] == {"N": "2"}


def test_a_limit_of_zero_writes_nothing(dynamodb: Any) -> None:
    limits = limiter(dynamodb, Clock(HOUR_START), buyer=0, ip=0)

    assert all(admitted(limits) for _ in range(30))
    assert rows(dynamodb) == []


def test_rows_hold_keyed_digests_and_no_address(dynamodb: Any) -> None:
    limiter(dynamodb, Clock(HOUR_START)).admit("Hanako@Example.com", IP)
    window = HOUR_START // WINDOW_SECONDS

    keys = {row["key"]["S"] for row in rows(dynamodb)}

    assert keys == {
        f"buyer#{DIGESTER.digest('buyer', BUYER)}#{window}",
        f"ip#{DIGESTER.digest('ip', IP)}#{window}",
    }
    dump = json.dumps(rows(dynamodb)).lower()
    assert "hanako" not in dump and "example.com" not in dump and IP not in dump


def test_another_key_makes_other_digests(dynamodb: Any) -> None:
    other = Digester(b"another key of sixty-four characters, as Secrets Manager makes")
    limiter(dynamodb, Clock(HOUR_START), digester=DIGESTER).admit(BUYER, IP)
    limiter(dynamodb, Clock(HOUR_START), digester=other).admit(BUYER, IP)

    assert len({row["key"]["S"] for row in rows(dynamodb)}) == 4
    assert DIGESTER.digest("buyer", BUYER) != other.digest("buyer", BUYER)


def test_a_digest_cannot_be_recomputed_without_the_key() -> None:
    import hashlib

    digest = DIGESTER.digest("ip", IP)

    assert len(digest) == 64
    assert digest != hashlib.sha256(f"ip\n{IP}".encode()).hexdigest()
    assert digest != hashlib.sha256(IP.encode()).hexdigest()
    assert DIGESTER.digest("buyer", IP) != digest, "the kind keeps subjects apart"


def test_a_short_key_is_refused_and_no_key_is_shown() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        Digester(b"short")

    assert TEST_DIGEST_KEY not in repr(DIGESTER)


def test_a_throttled_table_is_unavailable_not_a_limit() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "update_item", service_error_code="ProvisionedThroughputExceededException"
        )

        with pytest.raises(DependencyUnavailable) as raised:
            limiter(client, Clock(HOUR_START), ip=0).admit(BUYER, IP)

    assert raised.value.reason == "ProvisionedThroughputExceededException"
