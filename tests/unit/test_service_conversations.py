"""The contact side of conversations, with in-memory ports: the seller's Reply-To is the buyer
alias, a pair keeps one conversation, the buyer's address stays out of the seller's email, and a
stopped conversation stays stopped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from contact_relay.conversation_keeper import ConversationKeeper, ConversationPolicy
from contact_relay.conversations import (
    Conversation,
    conversation_id_for,
    conversation_of_stop_token,
    is_alias,
    stop_token,
)
from contact_relay.digests import Digester
from contact_relay.errors import DependencyUnavailable, SellerNotFound, SellerUnavailable
from contact_relay.mail_format import STOP_LINE
from contact_relay.seller_email import NO_REPLIES
from contact_relay.service import ContactRelay, Inquiry, RelayPolicy
from tests.fakes import InMemoryConversations, InMemoryLedger, InMemorySellers, RecordingMailer
from tests.support import TEST_DIGEST_KEY, body_of, parse_mime, traces_of_address

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DIGESTER = Digester(TEST_DIGEST_KEY.encode())
POLICY = ConversationPolicy(
    reply_domain="reply.shop.example",
    public_api_url="https://api.shop.example/v1",
    retention_days=30,
)


class Relay:
    """A relay with conversations over in-memory ports, and those ports."""

    def __init__(self) -> None:
        self.sellers, self.mailer, self.ledger = (
            InMemorySellers(),
            RecordingMailer(),
            InMemoryLedger(),
        )
        self.book = InMemoryConversations()
        self.sellers.add("shop-1")
        self.now = NOW
        self.keeper = ConversationKeeper(self.book, DIGESTER, POLICY, clock=self.seconds)
        self.relay = ContactRelay(
            self.sellers,
            self.mailer,
            self.ledger,
            RelayPolicy(marketplace="Amazon", sender_address="noreply@relay.example"),
            clock=lambda: self.now,
            new_message_id=lambda: "msg-0001",
            conversations=self.keeper,
        )

    def seconds(self) -> float:
        return self.now.timestamp()

    def only_conversation(self) -> Conversation:
        [conversation] = self.book.conversations.values()
        return conversation


def inquiry(**changes: object) -> Inquiry:
    values: dict[str, object] = {
        "seller_id": "shop-1",
        "topic": "shipping",
        "message": "When will it ship?",
        "buyer_name": "Hanako Yamada",
        "buyer_email": "h.yamada.1987@example.com",
    }
    values.update(changes)
    return Inquiry(**values)  # type: ignore[arg-type]


def test_the_seller_replies_to_the_buyer_alias_of_the_pair_s_new_conversation() -> None:
    given = Relay()

    given.relay.relay(inquiry(buyer_name="<b>Hanako</b> Yamada"))

    conversation = given.only_conversation()
    mail = parse_mime(given.mailer.sent[0])
    assert mail["Reply-To"] == f"{conversation.buyer_alias}@reply.shop.example"
    assert is_alias(conversation.buyer_alias) and is_alias(conversation.seller_alias)
    assert conversation.buyer_alias != conversation.seller_alias
    assert conversation.conversation_id == conversation_id_for(
        DIGESTER, "h.yamada.1987@example.com", "shop-1"
    )
    assert conversation.buyer_email == "h.yamada.1987@example.com"
    assert conversation.seller_id == "shop-1"
    # The name as the seller reads it: the alias's display name later.
    assert conversation.buyer_name == "Hanako Yamada"
    assert conversation.topic == "shipping"
    assert conversation.created_at == int(NOW.timestamp())
    assert conversation.expires_at == int((NOW + timedelta(days=30)).timestamp())
    assert not conversation.stopped
    assert given.ledger.records[0].direction == "buyer_to_seller"


def test_the_footer_carries_the_link_that_stops_this_conversation() -> None:
    given = Relay()

    given.relay.relay(inquiry())

    conversation = given.only_conversation()
    body = body_of(parse_mime(given.mailer.sent[0]))
    token = stop_token(DIGESTER, conversation.conversation_id)
    link = f"https://api.shop.example/v1/stop/{token}"
    assert STOP_LINE.format(link=link) in body
    assert body.index(link) > body.index("\n--\n"), "in our footer, below the buyer's text"
    assert conversation_of_stop_token(DIGESTER, token) == conversation.conversation_id


def test_a_second_message_reuses_the_conversation_in_any_letter_case() -> None:
    given = Relay()
    given.relay.relay(inquiry())
    first = given.only_conversation()

    given.now = NOW + timedelta(days=3)
    given.relay.relay(
        inquiry(buyer_email="H.Yamada.1987@EXAMPLE.com", topic="returns-policy", buyer_name="H Y")
    )

    second = given.only_conversation()
    assert [parse_mime(raw)["Reply-To"] for raw in given.mailer.sent] == [
        f"{first.buyer_alias}@reply.shop.example"
    ] * 2
    assert second == replace(
        first,
        buyer_name="H Y",
        topic="returns-policy",
        expires_at=int((NOW + timedelta(days=33)).timestamp()),
    )


def test_another_seller_is_another_conversation() -> None:
    given = Relay()
    given.sellers.add("shop-2")

    given.relay.relay(inquiry())
    given.relay.relay(inquiry(seller_id="shop-2"))

    aliases = {parse_mime(raw)["Reply-To"] for raw in given.mailer.sent}
    assert len(given.book.conversations) == 2
    assert len(aliases) == 2


@pytest.mark.parametrize(
    "address",
    [
        "h.yamada.1987@example.com",
        "H.Yamada.1987@Example.COM",
        "tanaka+shop@mail.example.co.jp",
        "kunde.42@xn--bcher-kva.example",
        "o'brien@sub.domain-with-dash.example",
    ],
)
def test_the_seller_s_email_holds_no_trace_of_the_buyer_s_address(address: str) -> None:
    given = Relay()

    given.relay.relay(inquiry(buyer_email=address, order_id="503-1234567-1234567"))

    assert traces_of_address(given.mailer.sent[0], address) == []
    # The helper does see an address where there is one: the email is not empty of addresses.
    assert "To" in traces_of_address(given.mailer.sent[0], "cs@shop.example")


def test_without_conversations_the_buyer_is_the_reply_to_and_there_is_no_stop_link() -> None:
    sellers, mailer = InMemorySellers(), RecordingMailer()
    sellers.add("shop-1")
    relay = ContactRelay(
        sellers,
        mailer,
        InMemoryLedger(),
        RelayPolicy(marketplace="Amazon", sender_address="noreply@relay.example"),
        clock=lambda: NOW,
    )

    relay.relay(inquiry())

    mail = parse_mime(mailer.sent[0])
    assert mail["Reply-To"] == "h.yamada.1987@example.com"
    assert "/stop/" not in body_of(mail)


def test_a_filled_honeypot_opens_no_conversation() -> None:
    given = Relay()

    receipt = given.relay.relay(inquiry(honeypot_filled=True))

    assert receipt.suppressed
    assert given.book.opened == 0
    assert given.mailer.sent == []


@pytest.mark.parametrize(
    ("seller", "refusal"),
    [
        ({"status": "suspended"}, SellerNotFound),
        ({"reply_to_status": "pending"}, SellerUnavailable),
        ({"reply_to": None}, SellerUnavailable),
    ],
)
def test_a_refused_seller_opens_no_conversation(
    seller: dict[str, object], refusal: type[Exception]
) -> None:
    given = Relay()
    given.sellers.add("shop-1", **seller)  # type: ignore[arg-type]

    with pytest.raises(refusal):
        given.relay.relay(inquiry())

    assert given.book.opened == 0
    assert given.mailer.sent == []


def test_an_unknown_seller_opens_no_conversation() -> None:
    given = Relay()

    with pytest.raises(SellerNotFound):
        given.relay.relay(inquiry(seller_id="nobody"))

    assert given.book.opened == 0


def test_when_the_book_is_down_nothing_is_sent() -> None:
    given = Relay()
    given.book.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    with pytest.raises(DependencyUnavailable):
        given.relay.relay(inquiry())

    assert given.mailer.sent == []
    assert given.ledger.records == []


def test_a_stopped_conversation_stays_stopped_and_the_seller_is_told_replies_go_nowhere() -> None:
    given = Relay()
    given.relay.relay(inquiry())
    first = given.only_conversation()
    given.now = NOW + timedelta(minutes=1)
    stopped_at = int(given.now.timestamp())
    assert given.keeper.stop(stop_token(DIGESTER, first.conversation_id))

    given.now = NOW + timedelta(days=1)
    receipt = given.relay.relay(inquiry(message="Are you there?"))

    mail = parse_mime(given.mailer.sent[1])
    body = body_of(mail)
    assert not receipt.suppressed and receipt.message_id == "msg-0001"
    # No Reply-To: a reply would go to an alias that drops it, and the body says so.
    assert mail["Reply-To"] is None
    assert f"From: Hanako Yamada ({NO_REPLIES})" in body
    assert "/stop/" not in body
    assert first.buyer_alias not in given.mailer.sent[1].decode()
    assert traces_of_address(given.mailer.sent[1], "h.yamada.1987@example.com") == []
    # For good: a new form message does not restart it, and keeps its aliases.
    now_stored = given.only_conversation()
    assert now_stored.stopped_at == stopped_at
    assert now_stored.buyer_alias == first.buyer_alias


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        stop_token(Digester(b"another key, another relay......"), "a" * 64),
        f"{'a' * 64}.{'0' * 64}",
        stop_token(DIGESTER, "b" * 64),  # genuine, but no such conversation
    ],
)
def test_a_bad_forged_or_unknown_token_stops_nothing(token: str) -> None:
    given = Relay()
    given.relay.relay(inquiry())

    assert not given.keeper.stop(token)
    assert not given.only_conversation().stopped


def test_a_genuine_token_stops_the_conversation_and_twice_keeps_the_first_time() -> None:
    given = Relay()
    given.relay.relay(inquiry())
    token = stop_token(DIGESTER, given.only_conversation().conversation_id)

    given.now = NOW + timedelta(seconds=100)
    assert given.keeper.stop(token)
    given.now = NOW + timedelta(seconds=200)
    assert given.keeper.stop(token)
    assert given.only_conversation().stopped_at == int(NOW.timestamp()) + 100
