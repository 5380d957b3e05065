"""The conversation identities: aliases that say nothing, ids that are the pair's, stop tokens
that cannot be forged."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest

from contact_relay.conversations import (
    ALIAS_PATTERN,
    Conversation,
    alias_address,
    conversation_id_for,
    conversation_of_stop_token,
    is_alias,
    new_alias,
    stop_link,
    stop_token,
)
from contact_relay.digests import Digester

KEY = b"k" * 32
OTHER_KEY = b"o" * 32


def test_an_alias_is_160_random_bits_in_lower_case_base32() -> None:
    aliases = {new_alias() for _ in range(1000)}
    assert len(aliases) == 1000
    for alias in aliases:
        assert re.fullmatch(ALIAS_PATTERN, alias)
        assert is_alias(alias)
    assert not is_alias("Hanako")
    assert not is_alias(new_alias().upper())
    assert alias_address("abc", "reply.example") == "abc@reply.example"


def test_a_pair_has_one_conversation_id_whatever_the_address_case() -> None:
    digester = Digester(KEY)
    same = conversation_id_for(digester, "Hanako@Example.com", "store-1")
    assert same == conversation_id_for(digester, "hanako@example.com", "store-1")
    assert same != conversation_id_for(digester, "hanako@example.com", "store-2")
    assert same != conversation_id_for(Digester(OTHER_KEY), "hanako@example.com", "store-1")
    assert "hanako" not in same and re.fullmatch(r"[0-9a-f]{64}", same)


def test_a_stop_token_names_its_conversation_and_cannot_be_forged() -> None:
    digester = Digester(KEY)
    conversation_id = conversation_id_for(digester, "hanako@example.com", "store-1")
    token = stop_token(digester, conversation_id)
    assert conversation_of_stop_token(digester, token) == conversation_id
    assert conversation_of_stop_token(Digester(OTHER_KEY), token) is None
    other_id = conversation_id_for(digester, "taro@example.com", "store-1")
    assert conversation_of_stop_token(digester, f"{other_id}.{token.split('.')[1]}") is None
    for malformed in ("", token + "0", token.upper(), token.replace(".", "-"), "a.b"):
        assert conversation_of_stop_token(digester, malformed) is None
    assert stop_link("https://api.example/v1/", token) == f"https://api.example/v1/stop/{token}"


def test_a_conversation_has_expired_from_its_expiry_on() -> None:
    conversation = Conversation(
        conversation_id="c" * 64,
        seller_id="seller-1",
        buyer_email="hanako@example.com",
        buyer_name="Hanako",
        buyer_alias=new_alias(),
        seller_alias=new_alias(),
        topic="shipping",
        created_at=100,
        expires_at=200,
    )

    assert not conversation.expired(199)
    assert conversation.expired(200)


def test_a_pairs_id_is_the_keyed_digest_earlier_releases_stored() -> None:
    # ConversationsTable is keyed by this id and kept across deploys: a release that derived it
    # otherwise would not find a pair's conversation, and a stopped one would start afresh.
    expected = hmac.new(KEY, b"conversation\nhanako@example.com\nstore-1", hashlib.sha256)
    assert conversation_id_for(Digester(KEY), "Hanako@Example.COM", "store-1") == (
        expected.hexdigest()
    )


@pytest.mark.parametrize(
    ("api_url", "base"),
    [
        ("https://api.example/v1", "https://api.example/v1"),
        ("https://api.example/v1/", "https://api.example/v1"),
        ("https://api.example/INBOX", "https://api.example/INBOX"),
    ],
)
def test_a_stop_link_starts_with_the_whole_api_url(api_url: str, base: str) -> None:
    # PUBLIC_API_URL may end in a slash, which is dropped, or in any letter, which is kept.
    token = stop_token(Digester(KEY), "c" * 64)
    assert stop_link(api_url, token) == f"{base}/stop/{token}"
