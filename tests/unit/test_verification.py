"""Verification links: what a token is, what is stored of it, and when it confirms."""

from __future__ import annotations

import re

import pytest

from contact_relay.errors import VerificationLinkInvalid
from contact_relay.verification import (
    TOKEN_LIFETIME,
    TOKEN_PATTERN,
    AddressConfirmer,
    issue_token,
    seller_of,
    token_digest,
    verification_link,
)
from tests.fakes import InMemoryVerifications

NOW = 1_795_694_400


def test_a_token_names_its_seller_holds_256_random_bits_and_lasts_48_hours() -> None:
    first, second = issue_token("shop-1", NOW), issue_token("shop-1", NOW)

    assert re.fullmatch(TOKEN_PATTERN, first.token)
    assert seller_of(first.token) == "shop-1"
    assert first.token != second.token
    assert first.expires_at == NOW + 48 * 3600 == NOW + TOKEN_LIFETIME.total_seconds()


def test_only_a_digest_of_the_token_is_stored_and_it_gives_nothing_of_the_token_away() -> None:
    issued = issue_token("shop-1", NOW)

    assert issued.digest == token_digest(issued.token)
    assert re.fullmatch(r"[0-9a-f]{64}", issued.digest)
    assert issued.token.split(".", 1)[1] not in issued.digest


@pytest.mark.parametrize(
    "token",
    ["", "shop-1", "shop-1.", "shop 1." + "a" * 43, "shop-1." + "a" * 42, "a/b." + "a" * 43],
)
def test_a_malformed_token_names_no_seller(token: str) -> None:
    assert seller_of(token) is None


@pytest.mark.parametrize(
    ("api_url", "link"),
    [
        ("https://api.example/v1/", "https://api.example/v1/verify/t.x"),
        ("https://api.example/v1", "https://api.example/v1/verify/t.x"),
        # Only the slash goes: a base URL's own last characters stay.
        ("https://api.example/DEVX/", "https://api.example/DEVX/verify/t.x"),
    ],
)
def test_the_link_is_the_apis_verify_page(api_url: str, link: str) -> None:
    assert verification_link(api_url, "t.x") == link


def _pending(expires_at: int = NOW + 10) -> tuple[AddressConfirmer, InMemoryVerifications, str]:
    issued = issue_token("shop-1", NOW)
    verifications = InMemoryVerifications({"shop-1": (issued.digest, expires_at)})
    return AddressConfirmer(verifications, clock=lambda: NOW), verifications, issued.token


def test_a_token_confirms_its_sellers_address_once() -> None:
    confirmer, verifications, token = _pending()

    assert confirmer.confirm(token) == "shop-1"
    with pytest.raises(VerificationLinkInvalid):
        confirmer.confirm(token)
    assert verifications.confirmed == ["shop-1"]


def test_an_expired_token_confirms_nothing() -> None:
    confirmer, verifications, token = _pending(expires_at=NOW)

    with pytest.raises(VerificationLinkInvalid):
        confirmer.confirm(token)
    assert verifications.confirmed == []


def test_another_sellers_name_on_a_token_confirms_nothing() -> None:
    confirmer, verifications, token = _pending()
    forged = "shop-2." + token.split(".", 1)[1]
    verifications.pending["shop-2"] = ("0" * 64, NOW + 10)

    with pytest.raises(VerificationLinkInvalid):
        confirmer.confirm(forged)
    with pytest.raises(VerificationLinkInvalid):
        confirmer.confirm("not a token")
    assert verifications.confirmed == []
