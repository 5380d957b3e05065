"""What the API tells anyone about a seller or a message before or after writing: who the seller
is and whether it can receive messages now, and where a message is. Never an address or a text.

Knows nothing of Lambda, HTTP or boto3: it works through the ports in `ports`.
"""

from __future__ import annotations

from dataclasses import dataclass

from contact_relay.errors import MessageNotFound, SellerNotFound, SellerUnavailable
from contact_relay.ports import MessageProgress, MessageStatuses, SellerDirectory
from contact_relay.service import deliverable_address


@dataclass(frozen=True, slots=True)
class SellerProfile:
    seller_id: str
    display_name: str
    # Whether a message sent now would be sent: the relay's own rule, not a copy of it.
    accepting: bool


class Lookups:
    def __init__(self, sellers: SellerDirectory, messages: MessageStatuses) -> None:
        self._sellers = sellers
        self._messages = messages

    def seller(self, seller_id: str) -> SellerProfile:
        """The seller a form is about to write to. A suspended seller is not found, as it is
        when a message is sent to it; one whose address cannot receive is found, not accepting.
        """
        seller = self._sellers.find(seller_id)
        if seller is None or seller.status != "active":
            raise SellerNotFound
        try:
            deliverable_address(seller)
        except SellerUnavailable:
            accepting = False
        else:
            accepting = True
        return SellerProfile(seller.seller_id, seller.display_name, accepting)

    def message(self, message_id: str) -> MessageProgress:
        progress = self._messages.progress(message_id)
        if progress is None:
            raise MessageNotFound
        return progress
