"""The MIME message a seller receives, built by the standard library."""

from __future__ import annotations

from datetime import UTC, datetime
from email.headerregistry import Address, AddressHeader
from email.message import Message

import pytest

from contact_relay.mail_format import encoded_body
from contact_relay.seller_email import SellerEmail, compose
from contact_relay.topics import topic_by_id
from tests.support import body_of, parse_mime

SENT_AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def seller_email(**changes: object) -> SellerEmail:
    values: dict[str, object] = {
        "message_id": "msg-0001",
        "topic": topic_by_id("returns-policy"),
        "marketplace": "Amazon",
        "sender_address": "noreply@relay.example",
        "seller_address": "cs@shop.example",
        "reply_to": "hanako@example.com",
        "buyer_name": "Hanako Yamada",
        "order_id": None,
        "text": "Can I return it?\nThanks",
    }
    values.update(changes)
    return SellerEmail(**values)  # type: ignore[arg-type]


def _sender(mail: Message) -> Address:
    """The From header's address (the default policy parses the header into an object)."""
    header = mail["From"]
    assert isinstance(header, AddressHeader)
    [address] = header.addresses
    return address


def test_headers_address_the_seller_and_reply_to_the_buyer() -> None:
    raw = compose(seller_email(), sent_at=SENT_AT)
    mail = parse_mime(raw)

    assert _sender(mail).display_name == "Amazon Messaging"
    assert _sender(mail).addr_spec == "noreply@relay.example"
    assert mail["To"] == "cs@shop.example"
    assert mail["Reply-To"] == "hanako@example.com"
    assert mail["Subject"] == "Return policy inquiry from Amazon customer"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].endswith("@relay.example>")
    assert "msg-0001" in mail["Message-ID"]
    assert mail["Date"] == "Thu, 26 Nov 2026 12:00:00 +0000"
    assert mail["MIME-Version"] == "1.0"


def test_auto_replies_to_the_seller_email_are_suppressed() -> None:
    # Outlook and Exchange send no out-of-office reply or read receipt for an email with this
    # header: our automatic email has no one to answer them. `All` is Microsoft's token as written.
    mail = parse_mime(compose(seller_email(), sent_at=SENT_AT))

    assert mail["X-Auto-Response-Suppress"] == "All"


def test_one_plain_text_utf8_part_with_crlf_line_ends() -> None:
    raw = compose(seller_email(text="日本語のメッセージ 🎁"), sent_at=SENT_AT)
    mail = parse_mime(raw)

    assert not mail.is_multipart()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert raw.isascii()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "日本語のメッセージ 🎁" in body_of(mail)


def test_body_holds_topic_order_name_message_and_the_safety_footer() -> None:
    mail = parse_mime(compose(seller_email(order_id="503-1234567-1234567"), sent_at=SENT_AT))
    body = body_of(mail)

    assert body.startswith(
        "Topic: Returns Policy\nOrder ID: 503-1234567-1234567\nFrom: Hanako Yamada"
    )
    assert "Can I return it?\nThanks" in body
    assert "Message ID: msg-0001" in body
    assert "plain text only" in body
    assert "Do not follow links or open attachments" in body


def test_the_body_reads_line_by_line_as_the_seller_sees_it() -> None:
    email = seller_email(
        order_id="503-1234567-1234567",
        marketplace="Rakuten",
        stop_link="https://relay.example/stop/abc",
    )
    body = body_of(parse_mime(compose(email, sent_at=SENT_AT)))

    assert body.split("\n") == [
        "Topic: Returns Policy",
        "Order ID: 503-1234567-1234567",
        "From: Hanako Yamada (reply to this email to answer the buyer)",
        "",
        "Can I return it?",
        "Thanks",
        "",
        "--",
        "Message ID: msg-0001",
        "To stop this conversation for good (no more replies either way):"
        " https://relay.example/stop/abc",
        "Messages from buyers hold plain text only: links and markup are removed before delivery.",
        "Do not follow links or open attachments in an email that claims to come from Rakuten.",
        "",
    ]


def test_non_ascii_marketplace_is_encoded_by_the_library() -> None:
    raw = compose(seller_email(marketplace="アマゾン"), sent_at=SENT_AT)
    mail = parse_mime(raw)

    assert b"=?utf-8?" in raw
    assert mail["Subject"] == "Return policy inquiry from アマゾン customer"
    assert _sender(mail).display_name == "アマゾン Messaging"


def test_buyer_text_that_looks_like_headers_stays_in_the_body() -> None:
    raw = compose(seller_email(text="Bcc: victim@example.com\r\n\r\nSubject: hi"), sent_at=SENT_AT)
    mail = parse_mime(raw)

    assert "Bcc" not in mail
    assert mail["Subject"] == "Return policy inquiry from Amazon customer"


def test_mostly_ascii_text_is_quoted_printable_and_other_text_base64() -> None:
    english = parse_mime(compose(seller_email(text="When will it ship? " * 40), sent_at=SENT_AT))
    japanese = parse_mime(compose(seller_email(text="いつ発送されますか。" * 40), sent_at=SENT_AT))

    assert english["Content-Transfer-Encoding"] == "quoted-printable"
    assert japanese["Content-Transfer-Encoding"] == "base64"
    assert "いつ発送されますか。" * 40 in body_of(japanese)


def test_on_a_tie_the_readable_quoted_printable_is_chosen() -> None:
    # "Olá" is ten characters either way: base64 would be "T2zDoQ0K" and CRLF.
    assert encoded_body("Olá") == ("quoted-printable", "Ol=C3=A1\r\n")


def test_encoded_body_lines_are_at_most_76_characters() -> None:
    for text in ("x" * 3000 + "\n" + "é" * 3000, "いつ" * 2000):
        raw = compose(seller_email(text=text), sent_at=SENT_AT)
        body = raw.partition(b"\r\n\r\n")[2]

        assert max(len(line) for line in body.split(b"\r\n")) <= 76


def test_a_header_value_that_is_not_one_ascii_line_is_refused() -> None:
    for bad in ("cs@shop.example\r\nBcc: x@evil.example", "cs@shop.example\u2028", "ç@x.example"):
        with pytest.raises(ValueError, match="printable ASCII"):
            compose(seller_email(seller_address=bad), sent_at=SENT_AT)


def test_the_name_stands_on_the_from_line_as_the_service_made_it() -> None:
    body = body_of(
        parse_mime(compose(seller_email(buyer_name="Eve [link removed]"), sent_at=SENT_AT))
    )

    assert "\nFrom: Eve [link removed] (reply to this email to answer the buyer)\n" in body


@pytest.mark.parametrize("name", ["Eve\nOrder ID: 1", "Eve\r", "Eve\u2028X", "Eve\tX", "Eve\x00"])
def test_a_name_that_is_not_one_line_is_refused(name: str) -> None:
    # The name shares a line with our words: a second line would read as ours.
    with pytest.raises(ValueError, match="one line"):
        compose(seller_email(buyer_name=name), sent_at=SENT_AT)
