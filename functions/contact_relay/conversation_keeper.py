"""The contact side of conversations: a form message opens (or reuses) its pair's conversation,
and a stop link stops one for good.

What the seller's email then says is decided here, once: replies go to the buyer alias, and the
footer carries the stop link; in a stopped conversation nothing is relayed, so the email has no
Reply-To (a reply would reach no one) and says so, and offers no stop link.

Knows nothing of Lambda, HTTP or boto3: storage works through the `ConversationBook` port.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from contact_relay.conversations import (
    Conversation,
    alias_address,
    conversation_id_for,
    conversation_of_stop_token,
    new_alias,
    stop_link,
    stop_token,
)
from contact_relay.digests import Digester
from contact_relay.ports import ConversationBook
from contact_relay.retention import DEFAULT_CONVERSATION_RETENTION_DAYS
from contact_relay.topics import TopicId


@dataclass(frozen=True, slots=True)
class ConversationPolicy:
    reply_domain: str
    # The API's base URL as the parties reach it: stop links start with it.
    public_api_url: str
    retention_days: int = DEFAULT_CONVERSATION_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class SellerSide:
    """What the seller's email takes from the conversation: where replies go (None: nowhere,
    the conversation is stopped) and the link that stops it (None once it is stopped)."""

    reply_to: str | None
    stop_link: str | None


class ConversationKeeper:
    def __init__(
        self,
        book: ConversationBook,
        digester: Digester,
        policy: ConversationPolicy,
        make_alias: Callable[[], str] = new_alias,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._book = book
        self._clock = clock
        self._digester = digester
        self._policy = policy
        self._make_alias = make_alias

    def open_for(
        self, *, seller_id: str, buyer_email: str, buyer_name: str, topic: TopicId, now: datetime
    ) -> Conversation:
        """The pair's conversation, created by its first message and kept alive by each one.
        Raises DependencyUnavailable."""
        created_at = int(now.timestamp())
        expires_at = int((now + timedelta(days=self._policy.retention_days)).timestamp())
        return self._book.open(
            Conversation(
                conversation_id=conversation_id_for(self._digester, buyer_email, seller_id),
                seller_id=seller_id,
                buyer_email=buyer_email,
                buyer_name=buyer_name,
                buyer_alias=self._make_alias(),
                seller_alias=self._make_alias(),
                topic=topic,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def seller_side(self, conversation: Conversation) -> SellerSide:
        if conversation.stopped:
            return SellerSide(reply_to=None, stop_link=None)
        return SellerSide(
            reply_to=alias_address(conversation.buyer_alias, self._policy.reply_domain),
            stop_link=self.stop_link(conversation),
        )

    def stop_link(self, conversation: Conversation) -> str:
        return stop_link(
            self._policy.public_api_url,
            stop_token(self._digester, conversation.conversation_id),
        )

    def stop(self, token: str) -> bool:
        """Stop the conversation a stop link names, for good; False for a token that is
        malformed, forged or names no conversation (one answer for all: which one it was tells
        a guesser something). Stopping twice is True. Raises DependencyUnavailable."""
        conversation_id = conversation_of_stop_token(self._digester, token)
        if conversation_id is None:
            return False
        return self._book.stop(conversation_id, int(self._clock()))
