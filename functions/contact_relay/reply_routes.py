"""Who writes to whom through an alias: the sender it must come from, and where it goes.

Mail to the seller alias comes from the buyer and goes to the seller; mail to the buyer alias
comes from the seller and goes to the buyer. The header From must be the other party's address:
the conversation's buyer for the seller alias, the seller's verified reply-to address for the
buyer alias (a seller that is not active, or whose address is not verified, writes to no one).
The reader must be able to receive: a seller that is not active, or whose reply-to address is
missing, unverified or bouncing, is `recipient_unavailable`, as the contact form's 409 is.

Pure: the caller has looked the seller up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contact_relay.conversations import Conversation, Direction, Party
from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.errors import SellerUnavailable
from contact_relay.inbound_checks import same_address
from contact_relay.ports import Seller
from contact_relay.service import deliverable_address

RouteRefusal = Literal["sender_not_authorised", "recipient_unavailable"]


@dataclass(frozen=True, slots=True)
class Route:
    direction: Direction
    # The alias (local part) the reader sees the message come from, and the name beside it.
    writer_alias: str
    writer_name: str
    # The reader's real address: the one place a real address stands.
    reader_address: str
    seller_id: str


def route_for(
    conversation: Conversation, party: Party, sender: str | None, seller: Seller | None
) -> Route | RouteRefusal:
    """The route of mail to `party`'s alias from `sender` (the header From, normalised)."""
    seller_address = _deliverable(seller)
    if party == "seller":
        if sender is None or not same_address(sender, conversation.buyer_email):
            return "sender_not_authorised"
        if seller_address is None:
            return "recipient_unavailable"
        return Route(
            "buyer_to_seller",
            conversation.buyer_alias,
            conversation.buyer_name,
            seller_address,
            conversation.seller_id,
        )
    if (
        seller is None
        or seller_address is None
        or sender is None
        or not same_address(sender, seller_address)
    ):
        return "sender_not_authorised"
    try:
        buyer_address = normalise_email_address(conversation.buyer_email)
    except InvalidEmailAddress:
        return "recipient_unavailable"
    return Route(
        "seller_to_buyer",
        conversation.seller_alias,
        seller.display_name,
        buyer_address,
        conversation.seller_id,
    )


def _deliverable(seller: Seller | None) -> str | None:
    """The seller's address when the seller is active and the address verified, else None."""
    if seller is None or seller.status != "active":
        return None
    try:
        return deliverable_address(seller)
    except SellerUnavailable:
        return None
