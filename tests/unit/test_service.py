"""The relay's rules, with in-memory ports: no AWS, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contact_relay.errors import (
    BuyerNameEmpty,
    DeliveryFailed,
    DeliveryUnconfirmed,
    DependencyUnavailable,
    LinksNotAllowed,
    MessageEmpty,
    SellerNotFound,
    SellerUnavailable,
)
from contact_relay.plaintext import PlainText
from contact_relay.ports import HumanCheck, ReplyToStatus
from contact_relay.service import ContactRelay, Inquiry, RelayPolicy
from tests.fakes import InMemoryLedger, InMemorySellers, RecordingMailer
from tests.support import body_of, parse_mime

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def build_relay(
    policy: RelayPolicy | None = None, human_check: HumanCheck | None = None
) -> tuple[ContactRelay, InMemorySellers, RecordingMailer, InMemoryLedger]:
    sellers, mailer, ledger = InMemorySellers(), RecordingMailer(), InMemoryLedger()
    sellers.add("shop-1")
    relay = ContactRelay(
        sellers,
        mailer,
        ledger,
        policy or RelayPolicy(marketplace="Amazon", sender_address="noreply@relay.example"),
        clock=lambda: NOW,
        new_message_id=lambda: "msg-0001",
        human_check=human_check,
    )
    return relay, sellers, mailer, ledger


def inquiry(**changes: object) -> Inquiry:
    values: dict[str, object] = {
        "seller_id": "shop-1",
        "topic": "shipping",
        "message": "When will it ship?",
        "buyer_name": "Hanako Yamada",
        "buyer_email": "hanako@example.com",
    }
    values.update(changes)
    return Inquiry(**values)  # type: ignore[arg-type]


def test_a_message_is_sent_once_and_recorded() -> None:
    relay, _, mailer, ledger = build_relay()

    receipt = relay.relay(inquiry(order_id="503-1234567-1234567"))

    assert receipt.message_id == "msg-0001"
    assert receipt.subject == "Shipping inquiry from Amazon customer"
    assert (
        receipt.confirmation
        == "Your message was sent to Shop shop-1. The seller will contact you shortly."
    )
    assert len(mailer.sent) == 1
    mail = parse_mime(mailer.sent[0])
    assert mail["To"] == "cs@shop.example"
    assert "Order ID: 503-1234567-1234567" in body_of(mail)
    [record] = ledger.records
    assert (record.status, record.ses_message_id, record.buyer_email) == (
        "sent",
        "ses-1",
        "hanako@example.com",
    )
    assert record.created_at == int(NOW.timestamp())
    assert record.expires_at == int(NOW.timestamp()) + 90 * 86400


def test_the_send_is_tagged_with_the_message_and_the_seller_for_its_delivery_events() -> None:
    relay, _, mailer, _ = build_relay()

    relay.relay(inquiry())

    assert mailer.tags == [{"relayMessageId": "msg-0001", "relaySellerId": "shop-1"}]


def test_the_delivered_text_is_the_reduced_text() -> None:
    relay, _, mailer, _ = build_relay()

    receipt = relay.relay(
        inquiry(message="  <p>Is it <b>blue</b>? See https://evil.example/x</p>  ")
    )

    assert (receipt.links_removed, receipt.markup_removed) == (1, True)
    body = body_of(parse_mime(mailer.sent[0]))
    assert "Is it blue? See [link removed]" in body
    assert "evil" not in body


def test_an_inactive_seller_is_not_found() -> None:
    relay, sellers, mailer, _ = build_relay()
    sellers.add("shop-2", status="suspended")

    with pytest.raises(SellerNotFound):
        relay.relay(inquiry(seller_id="shop-2"))
    assert mailer.sent == []


def test_an_unknown_seller_is_not_found() -> None:
    relay, _, mailer, _ = build_relay()

    with pytest.raises(SellerNotFound):
        relay.relay(inquiry(seller_id="nobody"))
    assert mailer.sent == []


@pytest.mark.parametrize(
    "reply_to", [None, "", "not an address", "cs@shop.example\r\nBcc: x@evil.example"]
)
def test_a_seller_without_a_usable_reply_to_is_unavailable(reply_to: str | None) -> None:
    relay, sellers, mailer, _ = build_relay()
    sellers.add("shop-3", reply_to=reply_to)

    with pytest.raises(SellerUnavailable) as raised:
        relay.relay(inquiry(seller_id="shop-3"))
    assert mailer.sent == []
    assert raised.value.reason in {"no_address", "invalid_address"}
    assert raised.value.seller_id == "shop-3"  # for the operator's log


@pytest.mark.parametrize("reply_to_status", ["pending", "bouncing"])
def test_a_seller_whose_address_is_not_verified_is_unavailable_and_nothing_is_sent(
    reply_to_status: ReplyToStatus,
) -> None:
    relay, sellers, mailer, ledger = build_relay()
    sellers.add("shop-4", reply_to_status=reply_to_status)

    with pytest.raises(SellerUnavailable) as raised:
        relay.relay(inquiry(seller_id="shop-4"))

    assert (raised.value.seller_id, raised.value.reason) == ("shop-4", reply_to_status)
    assert mailer.sent == []
    assert ledger.records == []


def test_a_seller_whose_address_is_not_verified_is_unavailable_even_to_the_honeypot() -> None:
    # The honeypot's answer must look like a real one: a real one would be 409 here.
    relay, sellers, mailer, _ = build_relay()
    sellers.add("shop-5", reply_to_status="pending")

    with pytest.raises(SellerUnavailable):
        relay.relay(inquiry(seller_id="shop-5", honeypot_filled=True))
    assert mailer.sent == []


@pytest.mark.parametrize(
    "message", ["   ", "<script>alert(1)</script>", "<b></b>\n\t", "<!-- only a comment -->"]
)
def test_a_message_with_nothing_left_is_empty(message: str) -> None:
    relay, _, mailer, _ = build_relay()

    with pytest.raises(MessageEmpty):
        relay.relay(inquiry(message=message))
    assert mailer.sent == []


def test_reject_policy_refuses_links_and_sends_nothing() -> None:
    relay, _, mailer, _ = build_relay(
        RelayPolicy("Amazon", "noreply@relay.example", link_policy="reject")
    )

    with pytest.raises(LinksNotAllowed) as raised:
        relay.relay(inquiry(message="see www.example.com"))
    assert raised.value.part == "message"
    assert mailer.sent == []


def _from_line(raw: bytes) -> str:
    [line] = [line for line in body_of(parse_mime(raw)).splitlines() if line.startswith("From: ")]
    return line


def test_a_link_in_the_name_is_removed_as_in_the_message() -> None:
    # The footer under it promises that links are removed: the name is no exception.
    relay, _, mailer, _ = build_relay()

    receipt = relay.relay(inquiry(buyer_name="Amazon Security https://evil.example/verify"))

    assert _from_line(mailer.sent[0]) == (
        "From: Amazon Security [link removed] (reply to this email to answer the buyer)"
    )
    assert "evil" not in body_of(parse_mime(mailer.sent[0]))
    # The answer's counts are about the message the buyer wrote, which held no link.
    assert (receipt.links_removed, receipt.markup_removed) == (0, False)


@pytest.mark.parametrize(
    ("name", "delivered"),
    [
        ("<b>Hanako</b> Yamada", "Hanako Yamada"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        # A decoded line break or tab would start a line of the body we did not write.
        ("Eve&#10;Order ID: 503-0000000-0000000", "Eve Order ID: 503-0000000-0000000"),
        ("Eve&#9;&#13;&#10;  Smith", "Eve Smith"),
        ("山田 花子 🎁", "山田 花子 🎁"),
    ],
)
def test_the_name_is_reduced_to_one_line_of_plain_text(name: str, delivered: str) -> None:
    relay, _, mailer, _ = build_relay()

    relay.relay(inquiry(buyer_name=name))

    assert _from_line(mailer.sent[0]) == (
        f"From: {delivered} (reply to this email to answer the buyer)"
    )


@pytest.mark.parametrize(
    "name",
    [
        "<b></b>",
        "<img src=x onerror=alert(1)>",
        "&lt;i&gt;&lt;/i&gt;",
        "https://evil.example",
        "shop.com www.evil.com",
        "<b>hxxp://evil[.]com</b>",
    ],
)
def test_a_name_of_nothing_but_markup_or_links_is_refused(name: str) -> None:
    relay, _, mailer, ledger = build_relay()

    with pytest.raises(BuyerNameEmpty):
        relay.relay(inquiry(buyer_name=name))
    assert mailer.sent == [] and ledger.records == []


def test_reject_policy_refuses_a_link_in_the_name_and_says_where() -> None:
    relay, _, mailer, _ = build_relay(
        RelayPolicy("Amazon", "noreply@relay.example", link_policy="reject")
    )

    for name in ("Eve www.example.com", "www.example.com"):
        with pytest.raises(LinksNotAllowed) as raised:
            relay.relay(inquiry(buyer_name=name))
        assert raised.value.part == "buyer_name"
    assert mailer.sent == []


def test_a_filled_honeypot_looks_sent_but_sends_and_records_nothing() -> None:
    relay, _, mailer, ledger = build_relay()

    receipt = relay.relay(inquiry(honeypot_filled=True))

    assert receipt.suppressed
    assert receipt.subject == "Shipping inquiry from Amazon customer"
    assert mailer.sent == []
    assert ledger.records == []


@pytest.mark.parametrize(
    "failure",
    [DeliveryFailed("MessageRejected"), DependencyUnavailable("ses", "TooManyRequestsException")],
)
def test_a_failed_send_is_recorded_as_failed_with_its_reason(failure: Exception) -> None:
    relay, _, mailer, ledger = build_relay()
    mailer.failure = failure  # type: ignore[assignment]

    with pytest.raises(type(failure)):
        relay.relay(inquiry())

    [record] = ledger.records
    assert record.status == "failed"
    assert record.failure_reason == failure.reason  # type: ignore[attr-defined]
    assert record.ses_message_id is None


def test_an_unconfirmed_send_names_the_seller_and_warns_that_sending_again_may_repeat_it() -> None:
    relay, _, mailer, ledger = build_relay()
    mailer.failure = DeliveryUnconfirmed("ReadTimeoutError")

    receipt = relay.relay(inquiry())

    assert receipt.unconfirmed is True
    assert receipt.confirmation == (
        "We could not confirm that your message reached Shop shop-1. It may still arrive:"
        " sending it again could deliver it twice."
    )
    [record] = ledger.records
    assert (record.status, record.failure_reason) == ("unconfirmed", "ReadTimeoutError")


class RecordingHumanCheck:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None]] = []

    def verify(self, token: str, source_ip: str | None) -> bool:
        self.asked.append((token, source_ip))
        return True


def test_the_captcha_provider_is_asked_with_the_token_and_the_buyers_address() -> None:
    human_check = RecordingHumanCheck()
    relay, _, mailer, _ = build_relay(human_check=human_check)

    relay.relay(inquiry(captcha_token="token-1", source_ip="198.51.100.7"))

    assert human_check.asked == [("token-1", "198.51.100.7")]
    assert len(mailer.sent) == 1


def test_a_failed_send_is_still_reported_when_the_ledger_is_down_too() -> None:
    relay, _, mailer, ledger = build_relay()
    mailer.failure = DeliveryFailed("MessageRejected")
    ledger.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    with pytest.raises(DeliveryFailed):
        relay.relay(inquiry())


def test_a_sent_message_is_not_reported_as_failed_when_its_row_cannot_be_written() -> None:
    # Answering with an error here would make the buyer send the same email again.
    relay, _, mailer, ledger = build_relay()
    ledger.failure = DependencyUnavailable("dynamodb", "ThrottlingException")

    receipt = relay.relay(inquiry())

    assert receipt.recorded is False
    assert len(mailer.sent) == 1


def test_a_seller_lookup_outage_sends_nothing() -> None:
    relay, sellers, mailer, _ = build_relay()
    sellers.failure = DependencyUnavailable("dynamodb", "ProvisionedThroughputExceededException")

    with pytest.raises(DependencyUnavailable):
        relay.relay(inquiry())
    assert mailer.sent == []


def test_the_prepared_text_and_name_are_what_is_sent() -> None:
    relay, _, mailer, _ = build_relay()
    prepared = relay.prepare(
        inquiry(message="Is it <b>blue</b>? www.example.com", buyer_name="<i>Hanako</i>")
    )

    receipt = relay.send(prepared)

    assert prepared.text == PlainText("Is it blue? [link removed]", 1, True)
    assert prepared.buyer_name == "Hanako"
    assert (receipt.links_removed, receipt.markup_removed) == (1, True)
    email = parse_mime(mailer.sent[0])
    assert "Is it blue? [link removed]" in body_of(email)
    assert "From: Hanako (reply" in body_of(email)


@pytest.mark.parametrize(
    "same",
    [
        {"message": "When will it <b>ship</b>?"},
        {"buyer_email": "Hanako@Example.com"},
        {"source_ip": "198.51.100.7", "captcha_token": "another-token"},
    ],
)
def test_inquiries_the_seller_would_read_alike_have_one_identity(same: dict[str, str]) -> None:
    relay, *_ = build_relay()

    assert relay.prepare(inquiry(**same)).identity == relay.prepare(inquiry()).identity


@pytest.mark.parametrize(
    "other",
    [
        {"message": "When will it ship? Soon?"},
        {"buyer_name": "Hana Yamada"},
        {"buyer_email": "taro@example.com"},
        {"seller_id": "shop-2"},
        {"topic": "other"},
        {"order_id": "503-1234567-1234567"},
    ],
)
def test_inquiries_that_differ_in_what_the_seller_reads_have_two_identities(
    other: dict[str, str],
) -> None:
    relay, *_ = build_relay()

    assert relay.prepare(inquiry(**other)).identity != relay.prepare(inquiry()).identity
