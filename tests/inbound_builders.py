"""Builders for inbound mail: raw replies as a mail client sends them, the SES receiving event
that announces them, and a relay over in-memory ports."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

from contact_relay.conversations import Conversation
from contact_relay.digests import Digester
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
)
from contact_relay.replies import ReplyPolicy, ReplyRelay
from tests.fakes import (
    InMemoryConversations,
    InMemoryInboundStore,
    InMemoryRelayedMessages,
    InMemorySellers,
)
from tests.support import TEST_DIGEST_KEY, load_event

REPLY_DOMAIN = "reply.example"
BUYER = "hanako@buyer.example"
SELLER_ADDRESS = "cs@shop.example"
BUYER_ALIAS = "b" * 32
SELLER_ALIAS = "s" * 32
NOW = datetime(2026, 12, 5, 0, 30, tzinfo=UTC)
POLICY = ReplyPolicy(
    reply_domain=REPLY_DOMAIN,
    marketplace="Amazon",
    public_api_url="https://api.example/v1",
    sender_domain="marketplace.example",
)


def conversation(**changes: Any) -> Conversation:
    values: dict[str, Any] = {
        "conversation_id": "c" * 64,
        "seller_id": "example-store",
        "buyer_email": BUYER,
        "buyer_name": "Hanako Yamada",
        "buyer_alias": BUYER_ALIAS,
        "seller_alias": SELLER_ALIAS,
        "topic": "shipping",
        "created_at": int(NOW.timestamp()) - 3600,
        "expires_at": int(NOW.timestamp()) + 86400,
    }
    values.update(changes)
    return Conversation(**values)


def raw_reply(
    *,
    sender: str = BUYER,
    to: str = f"{SELLER_ALIAS}@{REPLY_DOMAIN}",
    subject: str = "Re: Shipping inquiry from Amazon customer",
    text: str | None = "Thank you, that helps.",
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    attachments: int = 0,
) -> bytes:
    """A reply as a mail client writes it: text and/or HTML, attachments after."""
    message = EmailMessage(policy=SMTP)
    message["From"] = f"Someone <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<reply-1@mail.buyer.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for number in range(attachments):
        message.add_attachment(
            b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename=f"f{number}.pdf"
        )
    return message.as_bytes()


def ses_event(
    *,
    ses_message_id: str = "ses-inbound-1",
    recipients: tuple[str, ...] = (f"{SELLER_ALIAS}@{REPLY_DOMAIN}",),
    header_from: str = f"Someone <{BUYER}>",
    source: str = BUYER,
    verdicts: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The event SES receiving gives the Lambda action, from events/ses-inbound-reply.json."""
    event = copy.deepcopy(load_event("ses-inbound-reply"))
    ses = event["Records"][0]["ses"]
    ses["mail"]["messageId"] = ses_message_id
    ses["mail"]["source"] = source
    ses["mail"]["destination"] = list(recipients)
    ses["mail"]["commonHeaders"]["from"] = [header_from]
    ses["mail"]["headers"] = [{"name": "From", "value": header_from}] + [
        {"name": name, "value": value} for name, value in (headers or {}).items()
    ]
    ses["receipt"]["recipients"] = list(recipients)
    for name, status in (verdicts or {}).items():
        ses["receipt"][f"{name}Verdict"] = {"status": status}
    return event


class FunctionTimedOut(BaseException):
    """Lambda ending the invocation mid-send: nothing of the relay runs after it."""


@dataclass
class AliasMailers:
    """What `ReplyRelay` sends through: the from address, raw message and tags of each send.
    `failure` is raised instead of sending; `lose_answer` sends, then raises
    DeliveryUnconfirmed, as when SES took it but its answer was lost."""

    sends: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)
    failure: (
        DeliveryFailed
        | DeliveryMisconfigured
        | DeliveryUnconfirmed
        | DependencyUnavailable
        | FunctionTimedOut
        | None
    ) = None
    lose_answer: bool = False
    # Called with the tags of each send before it happens.
    before_send: Callable[[dict[str, str]], None] | None = None

    def __call__(self, from_address: str) -> _AliasMailer:
        return _AliasMailer(self, from_address)


@dataclass
class _AliasMailer:
    mailers: AliasMailers
    from_address: str

    def send(self, raw_message: bytes, tags: Mapping[str, str] | None = None) -> str:
        if self.mailers.before_send:
            self.mailers.before_send(dict(tags or {}))
        if self.mailers.failure:
            raise self.mailers.failure
        self.mailers.sends.append((self.from_address, raw_message, dict(tags or {})))
        if self.mailers.lose_answer:
            raise DeliveryUnconfirmed("ReadTimeoutError")
        return f"ses-out-{len(self.mailers.sends)}"


@dataclass
class RelayWorld:
    """A ReplyRelay over in-memory ports, with one conversation and its seller."""

    conversations: InMemoryConversations = field(default_factory=InMemoryConversations)
    sellers: InMemorySellers = field(default_factory=InMemorySellers)
    store: InMemoryInboundStore = field(default_factory=InMemoryInboundStore)
    relayed: InMemoryRelayedMessages = field(default_factory=InMemoryRelayedMessages)
    mailers: AliasMailers = field(default_factory=AliasMailers)
    policy: ReplyPolicy = POLICY

    def __post_init__(self) -> None:
        started = conversation()
        self.conversations.conversations[started.conversation_id] = started
        self.sellers.add("example-store", reply_to=SELLER_ADDRESS)

    @property
    def relay(self) -> ReplyRelay:
        return ReplyRelay(
            conversations=self.conversations,
            sellers=self.sellers,
            store=self.store,
            relayed=self.relayed,
            mailer_as=self.mailers,
            digester=Digester(TEST_DIGEST_KEY.encode()),
            policy=self.policy,
            clock=lambda: NOW,
        )

    @property
    def conversation(self) -> Conversation:
        return next(iter(self.conversations.conversations.values()))
