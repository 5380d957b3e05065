"""The conversation book against moto's DynamoDB, with the table (and its alias indexes) built
from template.yaml: one conversation per pair however many first messages race, aliases that
outlive a later message, lookups by either alias, a stop that keeps its first time. The tests
that need no look at the table run against tests/fakes.py's book too, so the fake the service's
tests use keeps the port's meaning."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from contact_relay.adapters.dynamodb_conversations import DynamoDBConversations
from contact_relay.conversations import Conversation, conversation_id_for, new_alias
from contact_relay.digests import Digester
from contact_relay.errors import DependencyUnavailable
from contact_relay.ports import ConversationBook
from contact_relay_local.template_tables import create_tables
from tests.fakes import InMemoryConversations
from tests.support import TEST_DIGEST_KEY, TEST_ENVIRONMENT

TABLE = TEST_ENVIRONMENT["CONVERSATIONS_TABLE"]
DIGESTER = Digester(TEST_DIGEST_KEY.encode())
NOW = 1_700_000_000
DAY = 86_400


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb")
        create_tables(client, {"ConversationsTable": TABLE})
        yield client


@pytest.fixture(params=["dynamodb", "in-memory fake"])
def book(request: pytest.FixtureRequest, dynamodb: Any) -> ConversationBook:
    if request.param == "dynamodb":
        return DynamoDBConversations(TABLE, client=dynamodb)
    return InMemoryConversations()


@pytest.fixture
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies an UpdateItem atomically; moto reads and writes in separate Python steps.
    One lock around moto's update restores the guarantee the book relies on."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    original = DynamoDBBackend.update_item

    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(*args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "update_item", locked)


def candidate(
    buyer: str = "hanako@example.com", seller: str = "seller-1", now: int = NOW, **changes: Any
) -> Conversation:
    fresh = Conversation(
        conversation_id=conversation_id_for(DIGESTER, buyer, seller),
        seller_id=seller,
        buyer_email=buyer,
        buyer_name="Hanako Yamada",
        buyer_alias=new_alias(),
        seller_alias=new_alias(),
        topic="shipping",
        created_at=now,
        expires_at=now + 180 * DAY,
    )
    return replace(fresh, **changes)


def test_the_first_message_stores_the_whole_conversation(dynamodb: Any) -> None:
    book = DynamoDBConversations(TABLE, client=dynamodb)
    first = candidate()

    assert book.open(first) == first
    assert book.find(first.conversation_id) == first
    [item] = dynamodb.scan(TableName=TABLE)["Items"]
    assert "stoppedAt" not in item


def test_a_later_message_keeps_the_aliases_and_takes_name_topic_and_expiry(
    book: ConversationBook,
) -> None:
    first = book.open(candidate())

    later = candidate(
        buyer="Hanako@Example.com",
        now=NOW + DAY,
        buyer_name="H. Yamada",
        topic="returns-policy",
    )
    stored = book.open(later)

    assert stored == replace(
        first, buyer_name="H. Yamada", topic="returns-policy", expires_at=later.expires_at
    )
    assert book.find(first.conversation_id) == stored


@pytest.mark.parametrize("attempt", range(3))
def test_first_messages_racing_get_one_conversation(
    dynamodb: Any, atomic_moto: None, attempt: int
) -> None:
    book = DynamoDBConversations(TABLE, client=dynamodb)
    racers = [candidate() for _ in range(4)]
    barrier = threading.Barrier(len(racers))
    opened: list[Conversation] = []

    def race(mine: Conversation) -> None:
        barrier.wait()
        opened.append(book.open(mine))

    threads = [threading.Thread(target=race, args=(mine,)) for mine in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(opened) == len(racers)
    aliases = {(conversation.buyer_alias, conversation.seller_alias) for conversation in opened}
    assert len(aliases) == 1, "every racer got the same aliases"
    assert aliases <= {(mine.buyer_alias, mine.seller_alias) for mine in racers}
    assert len(dynamodb.scan(TableName=TABLE)["Items"]) == 1


def test_each_alias_finds_its_conversation_and_says_whose_it_is(book: ConversationBook) -> None:
    mine = book.open(candidate())
    book.open(candidate(buyer="taro@example.com"))

    assert book.by_alias(mine.buyer_alias) == (mine, "buyer")
    assert book.by_alias(mine.seller_alias) == (mine, "seller")
    assert book.by_alias(new_alias()) is None
    assert book.find("0" * 64) is None


def test_an_alias_reads_the_stop_from_the_table_not_the_index(book: ConversationBook) -> None:
    mine = book.open(candidate())

    assert book.stop(mine.conversation_id, NOW + 5)
    found = book.by_alias(mine.buyer_alias)

    assert found is not None and found[0].stopped_at == NOW + 5


def test_stopping_twice_keeps_the_first_time_and_a_later_message_does_not_restart_it(
    book: ConversationBook,
) -> None:
    mine = book.open(candidate())

    assert book.stop(mine.conversation_id, NOW + 10)
    assert book.stop(mine.conversation_id, NOW + 20)
    reopened = book.open(candidate(now=NOW + 30))

    assert reopened.stopped_at == NOW + 10
    assert reopened.stopped
    assert reopened.buyer_alias == mine.buyer_alias


def test_stopping_or_extending_an_unknown_conversation_creates_nothing(
    book: ConversationBook, dynamodb: Any
) -> None:
    assert not book.stop("f" * 64, NOW)
    book.extend("f" * 64, NOW + DAY)

    assert book.find("f" * 64) is None
    assert dynamodb.scan(TableName=TABLE)["Items"] == []


def test_extend_keeps_the_conversation_longer(book: ConversationBook) -> None:
    mine = book.open(candidate())

    book.extend(mine.conversation_id, NOW + 400 * DAY)

    assert book.find(mine.conversation_id) == replace(mine, expires_at=NOW + 400 * DAY)


def test_an_item_missing_a_part_of_a_conversation_is_none(dynamodb: Any) -> None:
    book = DynamoDBConversations(TABLE, client=dynamodb)
    mine = book.open(candidate())
    dynamodb.update_item(
        TableName=TABLE,
        Key={"conversationId": {"S": mine.conversation_id}},
        UpdateExpression="REMOVE buyerEmail",
    )

    assert book.find(mine.conversation_id) is None
    assert book.by_alias(mine.buyer_alias) is None


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        ("update_item", lambda book: book.open(candidate())),
        ("get_item", lambda book: book.find("a" * 64)),
        ("query", lambda book: book.by_alias(new_alias())),
        ("update_item", lambda book: book.extend("a" * 64, NOW)),
        ("update_item", lambda book: book.stop("a" * 64, NOW)),
    ],
)
def test_a_throttled_table_is_unavailable(operation: str, call: Any) -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error(
            operation, service_error_code="ProvisionedThroughputExceededException"
        )

        with pytest.raises(DependencyUnavailable) as raised:
            call(DynamoDBConversations(TABLE, client=client))

    assert raised.value.reason == "ProvisionedThroughputExceededException"
