"""The record the idempotency expressions read a request by is the one `dataclasses.asdict`
would make, so a key or a payload hash never depends on how it was built."""

from __future__ import annotations

from dataclasses import asdict

from contact_relay.handlers.idempotency import KeyedDelivery, UnkeyedDelivery, record_of
from contact_relay.plaintext import PlainText
from contact_relay.service import Inquiry, PreparedInquiry

PREPARED = PreparedInquiry(
    Inquiry(
        seller_id="example-store",
        topic="shipping",
        message="When will it ship? <b>soon</b>",
        buyer_name="Hanako",
        buyer_email="Hanako@Example.com",
        order_id="503-1234567-1234567",
        honeypot_filled=False,
        source_ip="203.0.113.7",
        captcha_token="token",
    ),
    PlainText("When will it ship? soon", 0, True),
    "Hanako",
)


def test_a_keyed_request_is_recorded_as_asdict_records_it() -> None:
    request = KeyedDelivery(PREPARED, buyer="digest", idempotency_key="key-1")

    assert record_of(request) == asdict(request)


def test_an_unkeyed_request_is_recorded_as_asdict_records_it() -> None:
    request = UnkeyedDelivery(PREPARED, content_key="content-digest")

    assert record_of(request) == asdict(request)
    assert record_of(request)["prepared"]["inquiry"]["order_id"] == "503-1234567-1234567"
