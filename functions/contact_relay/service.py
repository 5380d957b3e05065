"""The relay's rules: reduce the buyer's text, find the seller, send once, keep an audit row.

Knows nothing of Lambda, HTTP or boto3: it works through the ports in `ports`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from contact_relay.conversation_keeper import ConversationKeeper, SellerSide
from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
    HumanCheckFailed,
    SellerNotFound,
    SellerUnavailable,
)
from contact_relay.message_tags import message_tags
from contact_relay.message_text import LinkPolicy, reduce_buyer_name, reduce_message
from contact_relay.plaintext import PlainText
from contact_relay.ports import (
    HumanCheck,
    Mailer,
    MessageLedger,
    MessageRecord,
    NoRateLimits,
    RateLimiter,
    Seller,
    SellerDirectory,
)
from contact_relay.retention import DEFAULT_MESSAGE_RETENTION_DAYS
from contact_relay.seller_email import SellerEmail, compose
from contact_relay.topics import TopicId, topic_by_id

CONFIRMATION = "Your message was sent to {seller}. The seller will contact you shortly."
UNCONFIRMED = (
    "We could not confirm that your message reached {seller}. It may still arrive: sending it"
    " again could deliver it twice."
)


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A buyer's request, already validated at the edge."""

    seller_id: str
    topic: TopicId
    message: str
    buyer_name: str
    buyer_email: str
    order_id: str | None = None
    honeypot_filled: bool = False
    source_ip: str | None = None
    captcha_token: str | None = None


@dataclass(frozen=True, slots=True)
class RelayPolicy:
    marketplace: str
    sender_address: str
    link_policy: LinkPolicy = "remove"
    retention_days: int = DEFAULT_MESSAGE_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class Receipt:
    message_id: str
    topic: TopicId
    subject: str
    confirmation: str
    # What reduction took out of the message. The name is reduced too, but not counted: these
    # tell the buyer what became of the message they wrote.
    links_removed: int
    markup_removed: bool
    # False when the email went out but the audit row could not be written.
    recorded: bool = True
    # True when the honeypot was filled: the answer looks like success, nothing was sent.
    suppressed: bool = False
    # True when SES may have accepted the email but its answer was lost.
    unconfirmed: bool = False


@dataclass(frozen=True, slots=True)
class PreparedInquiry:
    """An inquiry as it will be delivered: the message and the buyer's name reduced."""

    inquiry: Inquiry
    text: PlainText
    buyer_name: str

    @property
    def identity(self) -> str:
        """What makes two inquiries one email: the same buyer sending the seller the same text.

        Only what the seller reads counts (markup written two ways is one message); how the
        request came (source IP, captcha token) does not. It holds the buyer's address: whoever
        stores it stores a keyed digest of it.
        """
        inquiry = self.inquiry
        parts = (
            inquiry.buyer_email.lower(),
            inquiry.seller_id,
            inquiry.topic,
            inquiry.order_id or "",
            self.buyer_name,
            self.text.text,
        )
        return "\n".join(parts)


class ContactRelay:
    def __init__(
        self,
        sellers: SellerDirectory,
        mailer: Mailer,
        ledger: MessageLedger,
        policy: RelayPolicy,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        new_message_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        limits: RateLimiter | None = None,
        human_check: HumanCheck | None = None,
        conversations: ConversationKeeper | None = None,
    ) -> None:
        self._sellers = sellers
        self._mailer = mailer
        self._ledger = ledger
        self._policy = policy
        self._limits = limits or NoRateLimits()
        self._human_check = human_check
        # None: no REPLY_DOMAIN, and the buyer is the seller's Reply-To.
        self._conversations = conversations
        self._clock = clock
        self._new_message_id = new_message_id

    def prepare(self, inquiry: Inquiry) -> PreparedInquiry:
        """The inquiry as it will be delivered: its message and name reduced (`message_text`;
        raises when the link policy refuses them or nothing is left), and so its identity (what
        a request without an Idempotency-Key is known by). No I/O."""
        link_policy = self._policy.link_policy
        text = reduce_message(inquiry.message, link_policy)
        return PreparedInquiry(inquiry, text, reduce_buyer_name(inquiry.buyer_name, link_policy))

    def admit(self, inquiry: Inquiry) -> None:
        """The checks a stranger pays for, cheapest first: the rate limit (one conditional
        write per subject), then the captcha (a call to its provider). Raises on refusal."""
        self._limits.admit(inquiry.buyer_email, inquiry.source_ip)
        if self._human_check is not None:
            if not inquiry.captcha_token:
                raise HumanCheckFailed(missing=True)
            if not self._human_check.verify(inquiry.captcha_token, inquiry.source_ip):
                raise HumanCheckFailed(missing=False)

    def relay(self, inquiry: Inquiry) -> Receipt:
        """Prepare, admit and send one inquiry: nothing is sent unless every check passes."""
        prepared = self.prepare(inquiry)
        self.admit(inquiry)
        return self.send(prepared)

    def send(self, prepared: PreparedInquiry) -> Receipt:
        """Find the seller, send the email once, keep an audit row. The caller has admitted it."""
        inquiry, reduced = prepared.inquiry, prepared.text
        seller = self._sellers.find(inquiry.seller_id)
        if seller is None or seller.status != "active":
            raise SellerNotFound
        seller_address = deliverable_address(seller)
        topic = topic_by_id(inquiry.topic)
        receipt = Receipt(
            message_id=self._new_message_id(),
            topic=inquiry.topic,
            subject=topic.subject(self._policy.marketplace),
            confirmation=CONFIRMATION.format(seller=seller.display_name),
            links_removed=reduced.links_removed,
            markup_removed=reduced.markup_removed,
        )
        if inquiry.honeypot_filled:
            return replace(receipt, suppressed=True)

        now = self._clock()
        side = self._seller_side(prepared, now)
        raw = compose(
            SellerEmail(
                message_id=receipt.message_id,
                topic=topic,
                marketplace=self._policy.marketplace,
                sender_address=self._policy.sender_address,
                seller_address=seller_address,
                reply_to=side.reply_to,
                buyer_name=prepared.buyer_name,
                order_id=inquiry.order_id,
                text=reduced.text,
                stop_link=side.stop_link,
            ),
            sent_at=now,
        )
        record = MessageRecord(
            message_id=receipt.message_id,
            seller_id=seller.seller_id,
            topic=inquiry.topic,
            buyer_email=inquiry.buyer_email,
            status="sent",
            created_at=int(now.timestamp()),
            expires_at=int((now + timedelta(days=self._policy.retention_days)).timestamp()),
        )
        try:
            ses_message_id = self._mailer.send(
                raw, message_tags(receipt.message_id, seller.seller_id)
            )
        except DeliveryUnconfirmed as exc:
            # The email may be out: say so, and keep the answer, so a retry sends nothing.
            self._record_quietly(replace(record, status="unconfirmed", failure_reason=exc.reason))
            return replace(
                receipt,
                unconfirmed=True,
                confirmation=UNCONFIRMED.format(seller=seller.display_name),
            )
        except (DeliveryFailed, DeliveryMisconfigured, DependencyUnavailable) as exc:
            self._record_quietly(replace(record, status="failed", failure_reason=exc.reason))
            raise
        try:
            self._ledger.record(replace(record, ses_message_id=ses_message_id))
        except DependencyUnavailable:
            # The email is out: answering with an error would make the buyer send it again.
            return replace(receipt, recorded=False)
        return receipt

    def _seller_side(self, prepared: PreparedInquiry, now: datetime) -> SellerSide:
        """Where the seller's replies go: the buyer, or, with conversations, the pair's
        conversation (opened by its first message, before anything is sent)."""
        inquiry = prepared.inquiry
        if self._conversations is None:
            return SellerSide(reply_to=inquiry.buyer_email, stop_link=None)
        conversation = self._conversations.open_for(
            seller_id=inquiry.seller_id,
            buyer_email=inquiry.buyer_email,
            buyer_name=prepared.buyer_name,
            topic=inquiry.topic,
            now=now,
        )
        return self._conversations.seller_side(conversation)

    def _record_quietly(self, record: MessageRecord) -> None:
        """Keep the audit row of a send that did not go as planned, if the ledger can."""
        # The caller hears about the send's failure, which is the one that matters.
        with suppress(DependencyUnavailable):
            self._ledger.record(record)


def deliverable_address(seller: Seller) -> str:
    """The seller's reply-to address, if it may receive messages: present, an address, and
    verified (mail to a pending or bouncing address is lost, and the buyer would be told it
    was sent). Raises SellerUnavailable saying why not."""
    if not seller.reply_to_email:
        raise SellerUnavailable(seller.seller_id, "no_address")
    if seller.reply_to_status != "verified":
        raise SellerUnavailable(seller.seller_id, seller.reply_to_status)
    try:
        return normalise_email_address(seller.reply_to_email)
    except InvalidEmailAddress:
        raise SellerUnavailable(seller.seller_id, "invalid_address") from None
