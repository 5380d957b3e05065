"""The two-way relay's inbound side: one received email, relayed to the other party or dropped.

For each recipient the checks run cheapest first, and the first that fails names the drop:
the receipt's verdicts and headers (`inbound_checks`: spam, virus, unauthenticated,
auto_reply), the alias (unknown_alias, also for an expired conversation TTL has not deleted
yet), the conversation's stop (stopped), the sender and the reader (`reply_routes`:
sender_not_authorised, recipient_unavailable), and only then the raw message from the bucket
(message_missing, too_large, malformed) and what it says (`reply_text`: its own signs of a
machine, its header From, its text reduced as a buyer's message is: auto_reply,
sender_not_authorised, empty), and unwritable when the email cannot carry a name or subject. A
drop is never answered: no backscatter.

Each relayed email is sent at most once per (SES message id, recipient): SES invokes the function
asynchronously and Lambda retries a failed invocation, so the message's row is claimed before the
send (`RelayedMessages.claim`) under an id derived from that pair, and a retry finds it
(`duplicate`). A send whose answer was lost, or a function that timed out mid-send, leaves the row
`unconfirmed` and is never sent again; only a send SES provably did not take releases the claim.

Knows nothing of Lambda, S3 or boto3: it works through the ports.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from contact_relay.conversations import Conversation, Party, alias_address, is_alias
from contact_relay.conversations import stop_link as stop_link_of
from contact_relay.conversations import stop_token as stop_token_of
from contact_relay.digests import Digester
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
)
from contact_relay.inbound_checks import (
    EnvelopeRefusal,
    InboundEnvelope,
    envelope_refusal,
    sole_sender,
)
from contact_relay.inbound_mail import InboundMail
from contact_relay.inbound_reading import (
    DEFAULT_MAX_MESSAGE_BYTES,
    DEFAULT_MAX_TEXT_CHARS,
    MessageReading,
    OnceRead,
)
from contact_relay.message_tags import relayed_message_tags
from contact_relay.ports import (
    ConversationBook,
    InboundMessageStore,
    Mailer,
    MessageRecord,
    RelayedMessages,
    SellerDirectory,
)
from contact_relay.reply_email import RelayedEmail, clean_subject, compose_relayed, our_references
from contact_relay.reply_routes import Route, RouteRefusal, route_for
from contact_relay.reply_text import ReplyTextRefusal, reply_text
from contact_relay.retention import (
    DEFAULT_CONVERSATION_RETENTION_DAYS,
    DEFAULT_MESSAGE_RETENTION_DAYS,
)
from contact_relay.topics import topic_by_id

DropReason = (
    EnvelopeRefusal
    | RouteRefusal
    | MessageReading
    | ReplyTextRefusal
    | Literal[
        "unknown_alias",
        "stopped",
        "unwritable",
        "duplicate",
        "delivery_failed",
        "delivery_misconfigured",
    ]
)
Disposition = Literal["relayed", "dropped"]
# The ids of relayed messages: a UUID named by (SES message id, recipient alias), so a retry
# computes the same one. Any fixed namespace will do; this one is the relay's.
_RELAYED_MESSAGE_NAMESPACE = uuid.UUID("6f1d3c1e-3b0e-4c0a-9a43-1d2f6f3c9b51")


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    recipient: str
    disposition: Disposition
    reason: DropReason | None = None
    # The relayed message's id (our MessagesTable key), once one was claimed.
    message_id: str | None = None
    # True when the email may be out but SES's answer was lost.
    unconfirmed: bool = False


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    reply_domain: str
    marketplace: str
    public_api_url: str
    # The domain of the contact form's emails' Message-IDs: a reply's threading may name them.
    sender_domain: str
    message_retention_days: int = DEFAULT_MESSAGE_RETENTION_DAYS
    conversation_retention_days: int = DEFAULT_CONVERSATION_RETENTION_DAYS
    # The raw message's size cap, and how much of its text is read.
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS


def relayed_message_id(ses_message_id: str, recipient: str) -> str:
    return str(uuid.uuid5(_RELAYED_MESSAGE_NAMESPACE, f"{ses_message_id}\n{recipient.lower()}"))


class ReplyRelay:
    def __init__(
        self,
        conversations: ConversationBook,
        sellers: SellerDirectory,
        store: InboundMessageStore,
        relayed: RelayedMessages,
        mailer_as: Callable[[str], Mailer],
        digester: Digester,
        policy: ReplyPolicy,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._conversations = conversations
        self._sellers = sellers
        self._store = store
        self._relayed = relayed
        # A mailer that sends from the given address: each relayed email is from an alias.
        self._mailer_as = mailer_as
        self._digester = digester
        self._policy = policy
        self._clock = clock

    def relay(self, envelope: InboundEnvelope) -> list[RecipientOutcome]:
        """Relay or drop the message for each of its recipients (each once, in order).

        Raises DependencyUnavailable when DynamoDB, S3 or SES cannot answer before a send: a
        retry then finds the recipients already sent to (`duplicate`) and sends nothing twice.
        """
        refusal = envelope_refusal(envelope)
        mail = OnceRead(
            self._store,
            envelope.ses_message_id,
            self._policy.max_message_bytes,
            self._policy.max_text_chars,
        )
        outcomes = []
        for recipient in dict.fromkeys(envelope.recipients):
            if refusal is not None:
                outcomes.append(RecipientOutcome(recipient, "dropped", refusal))
            else:
                outcomes.append(self._relay_to(recipient, envelope, mail))
        return outcomes

    def _relay_to(
        self, recipient: str, envelope: InboundEnvelope, mail: OnceRead
    ) -> RecipientOutcome:
        addressed = self._addressed(recipient, envelope)
        if isinstance(addressed, str):
            return RecipientOutcome(recipient, "dropped", addressed)
        conversation, route = addressed
        read = mail.get()
        if isinstance(read, str):
            return RecipientOutcome(recipient, "dropped", read)
        text = reply_text(read, sole_sender(envelope.header_from))
        if isinstance(text, str):
            return RecipientOutcome(recipient, "dropped", text)
        message_id = relayed_message_id(envelope.ses_message_id, recipient)
        now = self._clock()
        try:
            raw = compose_relayed(
                self._email(message_id, conversation, route, read, text.text), sent_at=now
            )
        except ValueError:
            # A name or subject the email cannot carry as it must (reply_email refuses rather
            # than write a wrong header): a retry would fail alike, so it is dropped, not raised.
            return RecipientOutcome(recipient, "dropped", "unwritable")
        record = MessageRecord(
            message_id=message_id,
            seller_id=conversation.seller_id,
            topic=conversation.topic,
            buyer_email=conversation.buyer_email,
            status="unconfirmed",
            created_at=int(now.timestamp()),
            expires_at=int((now + timedelta(days=self._policy.message_retention_days)).timestamp()),
            direction=route.direction,
        )
        if not self._relayed.claim(record):
            return RecipientOutcome(recipient, "dropped", "duplicate", message_id)
        outcome = self._send_claimed(recipient, route, message_id, raw)
        if outcome.disposition == "relayed":
            self._keep_alive(conversation, now)
        return outcome

    def _addressed(
        self, recipient: str, envelope: InboundEnvelope
    ) -> tuple[Conversation, Route] | DropReason:
        """The recipient's conversation and the route through it, or why there is none."""
        found = self._conversation_of(recipient)
        if found is None:
            return "unknown_alias"
        conversation, party = found
        if conversation.stopped:
            return "stopped"
        sender = sole_sender(envelope.header_from)
        route = route_for(conversation, party, sender, self._sellers.find(conversation.seller_id))
        return (conversation, route) if isinstance(route, Route) else route

    def _email(
        self,
        message_id: str,
        conversation: Conversation,
        route: Route,
        read: InboundMail,
        text: str,
    ) -> RelayedEmail:
        policy = self._policy
        ours = (policy.reply_domain, policy.sender_domain)
        token = stop_token_of(self._digester, conversation.conversation_id)
        return RelayedEmail(
            message_id=message_id,
            marketplace=policy.marketplace,
            writer_display_name=route.writer_name,
            from_alias=alias_address(route.writer_alias, policy.reply_domain),
            to_address=route.reader_address,
            subject=clean_subject(
                read.subject or "",
                fallback=topic_by_id(conversation.topic).subject(policy.marketplace),
            ),
            text=text,
            attachments_left_out=read.attachments,
            stop_link=stop_link_of(policy.public_api_url, token),
            reply_domain=policy.reply_domain,
            in_reply_to=our_references(read.in_reply_to, ours),
            references=our_references(read.references, ours),
        )

    def _send_claimed(
        self, recipient: str, route: Route, message_id: str, raw: bytes
    ) -> RecipientOutcome:
        mailer = self._mailer_as(alias_address(route.writer_alias, self._policy.reply_domain))
        tags = relayed_message_tags(message_id, route.seller_id, route.direction)
        try:
            ses_message_id = mailer.send(raw, tags)
        except DeliveryUnconfirmed:
            # It may be out: the row stays `unconfirmed`, and nothing sends it again.
            return RecipientOutcome(recipient, "relayed", None, message_id, unconfirmed=True)
        except DependencyUnavailable:
            # SES did not take it: release the claim, so Lambda's retry may send it.
            with suppress(DependencyUnavailable):
                self._relayed.release(message_id)
            raise
        except (DeliveryFailed, DeliveryMisconfigured) as exc:
            with suppress(DependencyUnavailable):
                self._relayed.failed(message_id, exc.reason)
            reason: DropReason = (
                "delivery_failed" if isinstance(exc, DeliveryFailed) else "delivery_misconfigured"
            )
            return RecipientOutcome(recipient, "dropped", reason, message_id)
        # The email is out: a row left `unconfirmed` is still true, and no reason to fail.
        with suppress(DependencyUnavailable):
            self._relayed.sent(message_id, ses_message_id)
        return RecipientOutcome(recipient, "relayed", None, message_id)

    def _keep_alive(self, conversation: Conversation, now: datetime) -> None:
        days = self._policy.conversation_retention_days
        # The reply is out; a conversation that ends a little early is no reason to fail it.
        with suppress(DependencyUnavailable):
            self._conversations.extend(
                conversation.conversation_id, int((now + timedelta(days=days)).timestamp())
            )

    def _conversation_of(self, recipient: str) -> tuple[Conversation, Party] | None:
        local, _, domain = recipient.rpartition("@")
        if domain.lower() != self._policy.reply_domain.lower():
            return None
        alias = local.lower()
        if not is_alias(alias):
            return None
        found = self._conversations.by_alias(alias)
        # TTL deletes an expired item up to days late: until then its aliases are unknown too.
        if found is None or found[0].expired(int(self._clock().timestamp())):
            return None
        return found
