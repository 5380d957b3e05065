"""The inbound relay over in-memory ports: what is relayed, what is dropped and why, and that
nothing is ever sent twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from email.utils import parseaddr
from typing import Any

import pytest

from contact_relay.errors import (
    DeliveryFailed,
    DeliveryMisconfigured,
    DeliveryUnconfirmed,
    DependencyUnavailable,
)
from contact_relay.handlers.ses_receiving_models import SesReceivingEvent
from contact_relay.inbound_checks import InboundEnvelope
from contact_relay.message_tags import MESSAGE_ID_TAG, SELLER_ID_TAG
from contact_relay.ports import Seller
from contact_relay.replies import RecipientOutcome, relayed_message_id
from contact_relay.reply_text import TRUNCATED_NOTE
from tests.fakes import InMemoryConversations, InMemoryRelayedMessages
from tests.inbound_builders import (
    BUYER,
    BUYER_ALIAS,
    NOW,
    REPLY_DOMAIN,
    SELLER_ADDRESS,
    SELLER_ALIAS,
    FunctionTimedOut,
    RelayWorld,
    raw_reply,
    ses_event,
)
from tests.support import body_of, parse_mime

TO_SELLER = f"{SELLER_ALIAS}@{REPLY_DOMAIN}"
TO_BUYER = f"{BUYER_ALIAS}@{REPLY_DOMAIN}"


def envelope(**options: Any) -> InboundEnvelope:
    return SesReceivingEvent.model_validate(ses_event(**options)).envelope()


def from_buyer(world: RelayWorld, raw: bytes | None = None, **options: Any) -> RecipientOutcome:
    """The buyer writes to the seller alias; the one outcome."""
    ses_message_id = options.get("ses_message_id", "ses-inbound-1")
    world.store.messages[ses_message_id] = raw if raw is not None else raw_reply()
    [outcome] = world.relay.relay(envelope(**options))
    return outcome


def from_seller(world: RelayWorld, raw: bytes | None = None, **options: Any) -> RecipientOutcome:
    """The seller writes to the buyer alias from its verified address; the one outcome."""
    world.store.messages[options.get("ses_message_id", "ses-inbound-1")] = (
        raw if raw is not None else raw_reply(sender=SELLER_ADDRESS, to=TO_BUYER)
    )
    options = {
        "recipients": (TO_BUYER,),
        "header_from": f"Example Store <{SELLER_ADDRESS}>",
        "source": SELLER_ADDRESS,
        **options,
    }
    [outcome] = world.relay.relay(envelope(**options))
    return outcome


def test_the_buyers_reply_goes_to_the_seller_from_the_buyer_alias() -> None:
    world = RelayWorld()

    outcome = from_buyer(world)

    assert (outcome.disposition, outcome.reason) == ("relayed", None)
    [(from_address, raw, tags)] = world.mailers.sends
    assert from_address == TO_BUYER
    mail = parse_mime(raw)
    assert parseaddr(str(mail["From"])) == ("Hanako Yamada via Amazon", TO_BUYER)
    assert mail["To"] == SELLER_ADDRESS
    assert "Thank you, that helps." in body_of(mail)
    message_id = relayed_message_id("ses-inbound-1", TO_SELLER)
    assert tags == {MESSAGE_ID_TAG: message_id, SELLER_ID_TAG: "example-store"}
    row = world.relayed.rows[message_id]
    assert (row.direction, row.status, row.ses_message_id) == (
        "buyer_to_seller",
        "sent",
        "ses-out-1",
    )
    assert (row.seller_id, row.buyer_email, row.topic) == ("example-store", BUYER, "shipping")


def test_the_sellers_reply_goes_to_the_buyer_without_the_seller_id_tag() -> None:
    world = RelayWorld()

    outcome = from_seller(world)

    assert (outcome.disposition, outcome.reason) == ("relayed", None)
    [(from_address, raw, tags)] = world.mailers.sends
    assert from_address == TO_SELLER
    mail = parse_mime(raw)
    assert parseaddr(str(mail["From"])) == ("Shop example-store via Amazon", TO_SELLER)
    assert mail["To"] == BUYER
    # A buyer's bounce or complaint must not mark the seller's address bouncing.
    assert tags == {MESSAGE_ID_TAG: relayed_message_id("ses-inbound-1", TO_BUYER)}
    assert world.relayed.rows[tags[MESSAGE_ID_TAG]].direction == "seller_to_buyer"


def test_a_relayed_message_keeps_the_conversation_alive() -> None:
    world = RelayWorld()
    from_buyer(world)
    assert world.conversation.expires_at == int(NOW.timestamp()) + 180 * 86400


def test_dmarc_gray_with_spf_and_dkim_passing_is_relayed() -> None:
    world = RelayWorld()
    outcome = from_buyer(world, verdicts={"dmarc": "GRAY", "spf": "PASS", "dkim": "PASS"})
    assert outcome.disposition == "relayed"


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"verdicts": {"spam": "FAIL"}}, "spam"),
        ({"verdicts": {"virus": "FAIL"}}, "virus"),
        ({"verdicts": {"dmarc": "FAIL"}}, "unauthenticated"),
        ({"verdicts": {"dmarc": "GRAY", "dkim": "FAIL"}}, "unauthenticated"),
        ({"headers": {"Auto-Submitted": "auto-replied"}}, "auto_reply"),
        ({"headers": {"Precedence": "bulk"}}, "auto_reply"),
        ({"source": ""}, "auto_reply"),
        ({"recipients": (f"{'z' * 32}@{REPLY_DOMAIN}",)}, "unknown_alias"),
        ({"recipients": (f"{SELLER_ALIAS}@elsewhere.example",)}, "unknown_alias"),
        ({"recipients": (f"postmaster@{REPLY_DOMAIN}",)}, "unknown_alias"),
        ({"header_from": "Mallory <mallory@evil.example>"}, "sender_not_authorised"),
        ({"header_from": f"{BUYER}, mallory@evil.example"}, "sender_not_authorised"),
    ],
)
def test_each_check_before_the_read_drops_for_its_own_reason_and_reads_nothing(
    options: dict[str, Any], reason: str
) -> None:
    world = RelayWorld()

    outcome = from_buyer(world, **options)

    assert (outcome.disposition, outcome.reason) == ("dropped", reason)
    assert world.store.opened == 0
    assert world.mailers.sends == []
    assert world.relayed.rows == {}


def test_an_expired_conversation_that_ttl_has_not_deleted_yet_is_an_unknown_alias() -> None:
    world = RelayWorld()
    expired = replace(world.conversation, expires_at=int(NOW.timestamp()))
    world.conversations.conversations[expired.conversation_id] = expired
    assert from_buyer(world).reason == "unknown_alias"


def test_a_stopped_conversation_relays_nothing() -> None:
    world = RelayWorld()
    world.conversations.stop(world.conversation.conversation_id, int(NOW.timestamp()))
    assert from_buyer(world).reason == "stopped"
    assert from_seller(world).reason == "stopped"
    assert world.mailers.sends == []


def test_only_the_other_party_may_write_to_an_alias() -> None:
    world = RelayWorld()
    # The seller writing to the seller alias, the buyer to the buyer alias: neither is the
    # other party of that alias.
    seller_to_own = from_buyer(
        world,
        raw_reply(sender=SELLER_ADDRESS),
        header_from=SELLER_ADDRESS,
        source=SELLER_ADDRESS,
    )
    buyer_to_own = from_seller(
        world, raw_reply(sender=BUYER, to=TO_BUYER), header_from=BUYER, source=BUYER
    )
    assert (seller_to_own.reason, buyer_to_own.reason) == (
        "sender_not_authorised",
        "sender_not_authorised",
    )


def test_the_sender_is_the_buyer_in_any_letter_case_and_no_one_else() -> None:
    # The form's `Hanako@` and a reply from `hanako@` are one buyer, as the conversation's id
    # and the idempotency identity already have it.
    for variant in (
        BUYER.replace("buyer.example", "BUYER.Example"),
        BUYER.replace("hanako", "Hanako"),
        BUYER.upper(),
    ):
        world = RelayWorld()
        assert from_buyer(world, raw_reply(sender=variant), header_from=variant).reason is None
    world = RelayWorld()
    other = BUYER.replace("hanako", "hanako2")
    outcome = from_buyer(world, raw_reply(sender=other), header_from=other)
    assert outcome.reason == "sender_not_authorised"


def test_a_from_in_the_message_that_is_not_the_events_is_not_authorised() -> None:
    world = RelayWorld()
    outcome = from_buyer(world, raw_reply(sender="mallory@evil.example"))
    assert outcome.reason == "sender_not_authorised"
    assert world.mailers.sends == []


@pytest.mark.parametrize(
    ("status", "reply_to_status", "reply_to"),
    [
        ("suspended", "verified", SELLER_ADDRESS),
        ("active", "pending", SELLER_ADDRESS),
        ("active", "bouncing", SELLER_ADDRESS),
        ("active", "verified", None),
    ],
)
def test_a_seller_that_cannot_receive_is_recipient_unavailable_and_cannot_write(
    status: Any, reply_to_status: Any, reply_to: str | None
) -> None:
    world = RelayWorld()
    world.sellers.add(
        "example-store", reply_to=reply_to, status=status, reply_to_status=reply_to_status
    )
    assert from_buyer(world).reason == "recipient_unavailable"
    assert from_seller(world).reason == "sender_not_authorised"
    assert world.store.opened == 0


def test_a_message_missing_from_the_store_is_dropped() -> None:
    world = RelayWorld()
    [outcome] = world.relay.relay(envelope())
    assert outcome.reason == "message_missing"


def test_a_message_over_the_size_cap_is_dropped_unread() -> None:
    world = RelayWorld(policy=replace(RelayWorld().policy, max_message_bytes=2048))
    outcome = from_buyer(world, raw_reply(text="x" * 5000))
    assert outcome.reason == "too_large"
    assert world.mailers.sends == []


def test_automatic_headers_in_the_message_itself_drop_it() -> None:
    # SES cuts long header sections from the event (headersTruncated); the message has them.
    world = RelayWorld()
    outcome = from_buyer(world, raw_reply(headers={"Auto-Submitted": "auto-replied"}))
    assert outcome.reason == "auto_reply"


def test_a_message_with_nothing_left_once_reduced_is_empty() -> None:
    world = RelayWorld()
    outcome = from_buyer(world, raw_reply(text=None, html="<p><img src='x.png'></p>"))
    assert outcome.reason == "empty"


def test_a_reply_quoting_our_stop_link_is_relayed_with_every_link_removed() -> None:
    # Whatever LINK_POLICY says for the form: a dropped reply could not be answered.
    world = RelayWorld()
    quoted = "Thanks!\n\n> To stop: https://api.example/stop/abc\n> see https://evil.example/x"
    outcome = from_buyer(world, raw_reply(text=quoted))
    assert outcome.reason is None
    [(_, sent, _)] = world.mailers.sends
    body = body_of(parse_mime(sent))
    assert "Thanks!" in body and "evil.example" not in body and "api.example/stop/abc" not in body
    assert body.count("[link removed]") == 2


def test_html_links_and_attachments_arrive_as_plain_text_with_the_count() -> None:
    world = RelayWorld()
    html = (
        "<html><body><p>Thanks <b>a lot</b>!</p><script>alert(1)</script>"
        '<p>See <a href="https://evil.example/x">my shop</a> or www.evil.com</p></body></html>'
    )
    outcome = from_buyer(world, raw_reply(text=None, html=html, attachments=2))

    assert outcome.disposition == "relayed"
    mail = parse_mime(world.mailers.sends[0][1])
    assert mail.get_content_type() == "text/plain"
    assert not mail.is_multipart()
    body = body_of(mail)
    assert "Thanks a lot!" in body
    assert "evil" not in body
    assert "<" not in body.split("--")[0]
    assert "alert" not in body
    assert "2 attachments were not forwarded" in body


def test_the_text_part_is_preferred_to_the_html_part() -> None:
    world = RelayWorld()
    from_buyer(world, raw_reply(text="plain words", html="<p>html words</p>"))
    body = body_of(parse_mime(world.mailers.sends[0][1]))
    assert "plain words" in body
    assert "html words" not in body


def test_the_footer_has_the_conversations_stop_link() -> None:
    world = RelayWorld()
    from_buyer(world)
    body = body_of(parse_mime(world.mailers.sends[0][1]))
    assert f"https://api.example/v1/stop/{world.conversation.conversation_id}." in body


def test_threading_keeps_only_our_own_message_ids() -> None:
    world = RelayWorld()
    ours = "<1.2.3.abc@marketplace.example>"
    relayed = f"<{'1' * 8}-aaaa-bbbb-cccc-{'2' * 12}@{REPLY_DOMAIN}>"
    theirs = "<CAF=xyz@mail.gmail.com>"
    raw = raw_reply(headers={"In-Reply-To": relayed, "References": f"{ours} {theirs} {relayed}"})

    from_buyer(world, raw)

    mail = parse_mime(world.mailers.sends[0][1])
    assert mail["In-Reply-To"] == relayed
    assert mail["References"].split() == [ours, relayed]
    assert "gmail" not in world.mailers.sends[0][1].decode()


def test_the_writers_addresses_never_reach_the_reader_in_either_direction() -> None:
    world = RelayWorld()
    from_buyer(world)
    from_seller(world, ses_message_id="ses-inbound-2")
    to_seller, to_buyer = (raw for _, raw, _ in world.mailers.sends)
    assert BUYER.encode() not in to_seller
    assert b"buyer.example" not in to_seller
    assert SELLER_ADDRESS.encode() not in to_buyer
    assert b"shop.example" not in to_buyer


def test_a_retry_after_success_sends_nothing_again() -> None:
    world = RelayWorld()
    first = from_buyer(world)
    retry = from_buyer(world)
    assert (first.disposition, retry.disposition, retry.reason) == (
        "relayed",
        "dropped",
        "duplicate",
    )
    assert len(world.mailers.sends) == 1


def test_a_retry_after_ses_refused_to_take_it_sends_it_once() -> None:
    world = RelayWorld()
    world.mailers.failure = DependencyUnavailable("ses", "ThrottlingException")
    with pytest.raises(DependencyUnavailable):
        from_buyer(world)
    assert world.relayed.rows == {}

    world.mailers.failure = None
    retry = from_buyer(world)

    assert retry.disposition == "relayed"
    assert len(world.mailers.sends) == 1


def test_a_retry_after_a_failure_before_the_send_sends_it_once() -> None:
    world = RelayWorld()
    world.conversations.failure = DependencyUnavailable("dynamodb", "ThrottlingException")
    with pytest.raises(DependencyUnavailable):
        from_buyer(world)
    world.conversations.failure = None
    assert from_buyer(world).disposition == "relayed"
    assert len(world.mailers.sends) == 1


def test_a_lost_answer_is_never_sent_again() -> None:
    world = RelayWorld()
    world.mailers.lose_answer = True

    first = from_buyer(world)
    world.mailers.lose_answer = False
    retry = from_buyer(world)

    assert (first.disposition, first.unconfirmed) == ("relayed", True)
    assert retry.reason == "duplicate"
    assert len(world.mailers.sends) == 1
    [row] = world.relayed.rows.values()
    assert row.status == "unconfirmed"


def test_a_function_that_timed_out_mid_send_is_never_retried_into_a_second_send() -> None:
    # The claim was written, then Lambda ended the invocation (its timeout) before the send's
    # answer: whether SES took it is unknown, so the retry must not send.
    world = RelayWorld()
    world.mailers.failure = FunctionTimedOut()
    with pytest.raises(FunctionTimedOut):
        from_buyer(world)
    world.mailers.failure = None

    retry = from_buyer(world)

    assert retry.reason == "duplicate"
    assert world.mailers.sends == []
    [row] = world.relayed.rows.values()
    assert row.status == "unconfirmed"


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (DeliveryFailed("MessageRejected"), "delivery_failed"),
        (DeliveryMisconfigured("AccessDenied"), "delivery_misconfigured"),
    ],
)
def test_a_send_ses_refuses_for_good_is_dropped_and_its_row_failed(
    failure: DeliveryFailed | DeliveryMisconfigured, reason: str
) -> None:
    world = RelayWorld()
    world.mailers.failure = failure
    outcome = from_buyer(world)
    assert (outcome.disposition, outcome.reason) == ("dropped", reason)
    [row] = world.relayed.rows.values()
    assert (row.status, row.failure_reason) == ("failed", failure.reason)
    assert world.conversation.expires_at < int(NOW.timestamp()) + 180 * 86400


class SettlingFails(InMemoryRelayedMessages):
    def sent(self, message_id: str, ses_message_id: str) -> None:
        raise DependencyUnavailable("dynamodb", "ThrottlingException")


class ExtendingFails(InMemoryConversations):
    def extend(self, conversation_id: str, expires_at: int) -> None:
        raise DependencyUnavailable("dynamodb", "ThrottlingException")


def test_the_row_and_the_conversation_failing_after_the_send_do_not_fail_it() -> None:
    # The email is out: failing now would make Lambda retry, for a duplicate at best.
    world = RelayWorld(conversations=ExtendingFails(), relayed=SettlingFails())

    outcome = from_buyer(world)

    assert outcome.disposition == "relayed"
    assert len(world.mailers.sends) == 1
    [row] = world.relayed.rows.values()
    assert row.status == "unconfirmed"


def test_each_recipient_is_relayed_once_and_the_message_read_once() -> None:
    world = RelayWorld()
    world.store.messages["ses-inbound-1"] = raw_reply(to=f"{TO_SELLER}, {TO_SELLER.upper()}")
    recipients = (TO_SELLER, TO_SELLER, f"{'z' * 32}@{REPLY_DOMAIN}")
    outcomes = world.relay.relay(envelope(recipients=recipients))
    assert [(o.disposition, o.reason) for o in outcomes] == [
        ("relayed", None),
        ("dropped", "unknown_alias"),
    ]
    assert world.store.opened == 1


def test_two_auto_responders_cannot_loop_through_the_relay() -> None:
    # The seller's relayed message reaches the buyer's out-of-office, whose answer reaches the
    # seller's out-of-office, and so on, unless the relay stops the first automatic answer.
    world = RelayWorld()
    from_seller(world)
    [(_, to_buyer, _)] = world.mailers.sends
    assert b"X-Auto-Response-Suppress: All" in to_buyer
    buyer_ooo = from_buyer(
        world,
        raw_reply(subject="Out of office", headers={"Auto-Submitted": "auto-replied"}),
        ses_message_id="ses-inbound-2",
        headers={"Auto-Submitted": "auto-replied"},
    )
    seller_ooo = from_seller(
        world,
        raw_reply(sender=SELLER_ADDRESS, to=TO_BUYER, headers={"Precedence": "junk"}),
        ses_message_id="ses-inbound-3",
        headers={"Precedence": "junk"},
    )
    assert (buyer_ooo.reason, seller_ooo.reason) == ("auto_reply", "auto_reply")
    assert len(world.mailers.sends) == 1


def test_the_send_is_claimed_before_it_starts() -> None:
    world = RelayWorld()
    claimed = []
    world.mailers.before_send = lambda tags: claimed.append(
        world.relayed.rows[tags[MESSAGE_ID_TAG]].status
    )
    from_buyer(world)
    assert claimed == ["unconfirmed"]


def test_a_send_whose_answer_is_lost_is_unconfirmed_not_failed() -> None:
    world = RelayWorld()
    world.mailers.failure = DeliveryUnconfirmed("ReadTimeoutError")
    outcome = from_buyer(world)
    assert (outcome.disposition, outcome.unconfirmed) == ("relayed", True)


def test_a_message_the_reader_had_to_guess_at_relays_the_text_it_read() -> None:
    world = RelayWorld()
    raw = (
        f"From: {BUYER}\r\nTo: {TO_SELLER}\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="x"\r\n\r\n'
        "--x\r\nContent-Type: text/plain\r\n\r\nhello, the boundary never closes\r\n"
    ).encode()
    assert from_buyer(world, raw).reason is None
    [(_, sent, _)] = world.mailers.sends
    assert b"hello, the boundary never closes" in sent


def test_a_malformed_message_with_no_text_to_read_is_malformed() -> None:
    world = RelayWorld()
    raw = (
        f"From: {BUYER}\r\nTo: {TO_SELLER}\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="x"\r\n\r\n'
        "--x\r\nContent-Type: image/png\r\n\r\nnot an image, and no closing boundary\r\n"
    ).encode()
    assert from_buyer(world, raw).reason == "malformed"
    assert world.mailers.sends == []


def test_a_name_the_email_cannot_carry_is_dropped_not_retried() -> None:
    # An operator's display name with a line separator: reply_email refuses to write it, and a
    # retry would fail the same way.
    world = RelayWorld()
    world.sellers.sellers["example-store"] = Seller(
        "example-store", "Example\u2028Store", SELLER_ADDRESS, "active"
    )
    outcome = from_seller(world)
    assert (outcome.disposition, outcome.reason) == ("dropped", "unwritable")
    assert world.mailers.sends == []
    assert world.relayed.rows == {}


ID_TO_SELLER = relayed_message_id("ses-inbound-1", TO_SELLER)


def _unwritable(world: RelayWorld) -> RecipientOutcome:
    world.sellers.sellers["example-store"] = Seller(
        "example-store", "Example\u2028Store", SELLER_ADDRESS, "active"
    )
    return from_seller(world)


def _sent_twice(world: RelayWorld) -> RecipientOutcome:
    from_buyer(world)
    return from_buyer(world)


def _sent_failing(
    failure: DeliveryFailed | DeliveryUnconfirmed,
) -> Callable[[RelayWorld], RecipientOutcome]:
    def act(world: RelayWorld) -> RecipientOutcome:
        world.mailers.failure = failure
        return from_buyer(world)

    return act


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        (
            lambda world: from_buyer(world, verdicts={"spam": "FAIL"}),
            RecipientOutcome(TO_SELLER, "dropped", "spam"),
        ),
        (
            lambda world: world.relay.relay(envelope())[0],
            RecipientOutcome(TO_SELLER, "dropped", "message_missing"),
        ),
        (
            lambda world: from_buyer(world, raw_reply(text=None, html="<p><img src='x'></p>")),
            RecipientOutcome(TO_SELLER, "dropped", "empty"),
        ),
        (_unwritable, RecipientOutcome(TO_BUYER, "dropped", "unwritable")),
        (_sent_twice, RecipientOutcome(TO_SELLER, "dropped", "duplicate", ID_TO_SELLER)),
        (
            _sent_failing(DeliveryUnconfirmed("ReadTimeoutError")),
            RecipientOutcome(TO_SELLER, "relayed", None, ID_TO_SELLER, unconfirmed=True),
        ),
        (
            _sent_failing(DeliveryFailed("MessageRejected")),
            RecipientOutcome(TO_SELLER, "dropped", "delivery_failed", ID_TO_SELLER),
        ),
        (from_buyer, RecipientOutcome(TO_SELLER, "relayed", None, ID_TO_SELLER)),
    ],
    ids=[
        "refused",
        "unread",
        "empty",
        "unwritable",
        "duplicate",
        "unconfirmed",
        "failed",
        "relayed",
    ],
)
def test_each_outcome_names_its_recipient_what_became_of_it_and_the_row_it_claimed(
    act: Callable[[RelayWorld], RecipientOutcome], expected: RecipientOutcome
) -> None:
    # The inbound function returns each recipient's disposition and reason, and logs the
    # message id (the MessagesTable key) beside them: the log leads an operator to the row.
    assert act(RelayWorld()) == expected


def test_the_relayed_messages_row_lives_the_retention_days_from_its_send() -> None:
    world = RelayWorld(policy=replace(RelayWorld().policy, message_retention_days=30))
    from_buyer(world)
    [row] = world.relayed.rows.values()
    now = int(NOW.timestamp())
    assert (row.created_at, row.expires_at) == (now, now + 30 * 86400)


def test_the_subject_is_the_replys_own_or_the_topics_when_it_has_none() -> None:
    world = RelayWorld()
    from_buyer(world, raw_reply(subject="Re: tracking number?"))
    from_buyer(world, raw_reply(subject=""), ses_message_id="ses-inbound-2")
    own, fallback = (parse_mime(raw)["Subject"] for _, raw, _ in world.mailers.sends)
    assert (own, fallback) == ("Re: tracking number?", "Shipping inquiry from Amazon customer")


def test_a_reply_longer_than_the_relay_reads_is_relayed_cut_with_a_note() -> None:
    world = RelayWorld(policy=replace(RelayWorld().policy, max_text_chars=200))
    outcome = from_buyer(world, raw_reply(text="word " * 100))
    assert outcome.disposition == "relayed"
    body = body_of(parse_mime(world.mailers.sends[0][1]))
    assert f"word\n\n{TRUNCATED_NOTE}" in body
    assert body.count("word") < 100


def test_a_message_with_neither_text_nor_html_is_empty() -> None:
    world = RelayWorld()
    outcome = from_buyer(world, raw_reply(text=None, attachments=1))
    assert (outcome.disposition, outcome.reason) == ("dropped", "empty")
    assert world.mailers.sends == []


def test_a_buyer_address_that_cannot_be_written_is_recipient_unavailable() -> None:
    # A stored address the current rules refuse: nothing is sent to it.
    world = RelayWorld()
    broken = replace(world.conversation, buyer_email="hanako")
    world.conversations.conversations[broken.conversation_id] = broken
    assert from_seller(world).reason == "recipient_unavailable"
    assert world.mailers.sends == []


class ReleasingFails(InMemoryRelayedMessages):
    def release(self, message_id: str) -> None:
        raise DependencyUnavailable("dynamodb", "ThrottlingException")


class MarkingFailedFails(InMemoryRelayedMessages):
    def failed(self, message_id: str, reason: str) -> None:
        raise DependencyUnavailable("dynamodb", "ThrottlingException")


def test_ses_not_taking_it_is_what_is_raised_when_the_claim_cannot_be_released() -> None:
    # The function logs the dependency and counts InboundRetried: it must be SES, the cause.
    world = RelayWorld(relayed=ReleasingFails())
    world.mailers.failure = DependencyUnavailable("ses", "ThrottlingException")
    with pytest.raises(DependencyUnavailable) as raised:
        from_buyer(world)
    assert raised.value.dependency == "ses"


def test_a_send_refused_for_good_is_dropped_though_its_row_cannot_be_marked_failed() -> None:
    world = RelayWorld(relayed=MarkingFailedFails())
    world.mailers.failure = DeliveryFailed("MessageRejected")
    outcome = from_buyer(world)
    assert (outcome.disposition, outcome.reason) == ("dropped", "delivery_failed")
    [row] = world.relayed.rows.values()
    assert row.status == "unconfirmed"
