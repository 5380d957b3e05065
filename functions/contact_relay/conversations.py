"""Conversations: the two-way anonymous relay's identities, aliases and stop links.

Each (buyer address, seller) pair has one conversation with two aliases at REPLY_DOMAIN: the
buyer alias, which the seller writes to, and the seller alias, which the buyer writes to. Their
local parts are random (160 bits) and carry nothing about either side.

A conversation's id is a keyed digest of the pair (`digests.Digester`): the contact function
finds the pair's conversation without a query, and whoever reads the table or sees a stop link
cannot tell whose it is. A stop link's token is that id and an HMAC of it under the same key:
nothing is stored for it, and it cannot be forged without the key.

Knows nothing of Lambda, HTTP or boto3: storage works through the `ConversationBook` port.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from contact_relay.digests import Digester
from contact_relay.topics import TopicId

# Whose alias an address is: mail to the buyer alias comes from the seller, and goes to the buyer.
Party = Literal["buyer", "seller"]
Direction = Literal["buyer_to_seller", "seller_to_buyer"]

_ALIAS_BYTES = 20
# base32 of 20 bytes, lower case, no padding: 32 characters a mail client will not mangle.
ALIAS_PATTERN = r"^[a-z2-7]{32}$"
_ALIAS = re.compile(ALIAS_PATTERN)
# A conversation id and its MAC, both 64 hex characters.
STOP_TOKEN_PATTERN = r"^[0-9a-f]{64}\.[0-9a-f]{64}$"  # noqa: S105 (a pattern)
_STOP_TOKEN = re.compile(STOP_TOKEN_PATTERN)


@dataclass(frozen=True, slots=True)
class Conversation:
    conversation_id: str
    seller_id: str
    buyer_email: str
    # The buyer's name as reduced for the seller (one line): the buyer alias's display name.
    buyer_name: str
    buyer_alias: str
    seller_alias: str
    # The topic of the buyer's latest form message: the rows of relayed replies carry it.
    topic: TopicId
    created_at: int
    # TTL: CONVERSATION_RETENTION_DAYS after the last message.
    expires_at: int
    stopped_at: int | None = None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def expired(self, now: int) -> bool:
        # TTL deletes an item up to days after expiresAt: until then the store still has it.
        return self.expires_at <= now

    def alias_of(self, party: Party) -> str:
        return self.buyer_alias if party == "buyer" else self.seller_alias


def conversation_id_for(digester: Digester, buyer_email: str, seller_id: str) -> str:
    """The pair's conversation id: the same for every letter case of the buyer's address."""
    return digester.digest("conversation", f"{buyer_email.lower()}\n{seller_id}")


def new_alias() -> str:
    """A fresh alias local part: 160 random bits, saying nothing about anyone."""
    return base64.b32encode(secrets.token_bytes(_ALIAS_BYTES)).decode("ascii").lower()


def is_alias(local_part: str) -> bool:
    return _ALIAS.fullmatch(local_part) is not None


def alias_address(alias: str, reply_domain: str) -> str:
    return f"{alias}@{reply_domain}"


def stop_token(digester: Digester, conversation_id: str) -> str:
    return f"{conversation_id}.{digester.digest('stop', conversation_id)}"


def conversation_of_stop_token(digester: Digester, token: str) -> str | None:
    """The conversation id a genuine stop token names, or None for anything else."""
    if not _STOP_TOKEN.fullmatch(token):
        return None
    conversation_id, mac = token.split(".", 1)
    if not hmac.compare_digest(mac, digester.digest("stop", conversation_id)):
        return None
    return conversation_id


def stop_link(api_url: str, token: str) -> str:
    return f"{api_url.rstrip('/')}/stop/{token}"
