"""What the read routes tell about a seller or a message, with in-memory ports."""

from __future__ import annotations

import pytest

from contact_relay.errors import MessageNotFound, SellerNotFound
from contact_relay.lookups import Lookups, SellerProfile
from contact_relay.ports import MessageProgress, ReplyToStatus
from tests.fakes import InMemoryMessageStatuses, InMemorySellers


def build() -> tuple[Lookups, InMemorySellers, InMemoryMessageStatuses]:
    sellers, messages = InMemorySellers(), InMemoryMessageStatuses()
    return Lookups(sellers, messages), sellers, messages


def test_a_seller_whose_address_is_verified_is_accepting() -> None:
    lookups, sellers, _ = build()
    sellers.add("shop-1")

    assert lookups.seller("shop-1") == SellerProfile("shop-1", "Shop shop-1", accepting=True)


@pytest.mark.parametrize("reply_to_status", ["pending", "bouncing"])
def test_a_seller_whose_address_is_not_verified_is_found_but_not_accepting(
    reply_to_status: ReplyToStatus,
) -> None:
    lookups, sellers, _ = build()
    sellers.add("shop-1", reply_to_status=reply_to_status)

    assert lookups.seller("shop-1").accepting is False


@pytest.mark.parametrize("reply_to", [None, "not an address"])
def test_a_seller_without_a_usable_address_is_not_accepting(reply_to: str | None) -> None:
    lookups, sellers, _ = build()
    sellers.add("shop-1", reply_to=reply_to)

    assert lookups.seller("shop-1").accepting is False


def test_a_suspended_or_unknown_seller_is_not_found_as_when_writing_to_it() -> None:
    lookups, sellers, _ = build()
    sellers.add("shop-2", status="suspended")

    with pytest.raises(SellerNotFound):
        lookups.seller("shop-2")
    with pytest.raises(SellerNotFound):
        lookups.seller("nobody")


def test_a_message_is_found_by_its_id_and_an_unknown_one_is_not() -> None:
    lookups, _, messages = build()
    progress = MessageProgress("m-1", "delivered", "shipping", 100, 105)
    messages.messages["m-1"] = progress

    assert lookups.message("m-1") == progress
    with pytest.raises(MessageNotFound):
        lookups.message("m-2")
