"""Reading an inbound message: what it keeps, what it counts, and hostile input in bounded
time and memory (the figures are benchmarks/inbound_reading.py's; no timing here)."""

from __future__ import annotations

import email
import io
import tracemalloc
from email.policy import default as default_policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_relay.inbound_checks import is_automatic
from contact_relay.inbound_headers import MAX_IDS
from contact_relay.inbound_mail import (
    MAX_DEPTH,
    MAX_LINE_BYTES,
    MAX_PART_HEADER_BYTES,
    MAX_PARTS,
    InboundMail,
    read_mail,
)
from tests.support import Trickle

MB = 1024 * 1024


def read(raw: bytes, *, max_bytes: int = 10 * MB, max_text_chars: int = 10_000) -> InboundMail:
    return read_mail(io.BytesIO(raw), max_bytes=max_bytes, max_text_chars=max_text_chars)


def message(*headers: str, body: str = "Hello\r\n") -> bytes:
    head = ["From: Shop <cs@shop.example>", "Subject: Re: order", *headers]
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()


def mixed(*parts: str, boundary: str = "b1", close: bool = True) -> bytes:
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts)
    if close:
        body += f"--{boundary}--\r\n"
    return message(f'Content-Type: multipart/mixed; boundary="{boundary}"', body=body)


TEXT_PART = "Content-Type: text/plain; charset=utf-8\r\n\r\nThe text"
PDF_PART = (
    "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
    'Content-Disposition: attachment; filename="a.pdf"\r\n\r\nJVBERi0xLjQK'
)


# Fields


def test_a_plain_reply_gives_its_fields() -> None:
    mail = read(
        message(
            "Message-ID: <x1@mail.shop.example>",
            "In-Reply-To: <m2@reply.example>",
            "References: <m1@relay.example>\r\n <m2@reply.example>",
            body="Thanks!\r\n> quoted\r\n",
        )
    )

    assert mail.from_address == "cs@shop.example"
    assert mail.subject == "Re: order"
    assert mail.message_id == "<x1@mail.shop.example>"
    assert mail.in_reply_to == ("<m2@reply.example>",)
    assert mail.references == ("<m1@relay.example>", "<m2@reply.example>")
    assert mail.text == "Thanks!\r\n> quoted\r\n"
    assert (mail.html, mail.attachments, mail.truncated, mail.malformed) == (None, 0, False, False)
    assert (mail.auto_submitted, mail.precedence, mail.automatic_markers) == ((), (), ())


@pytest.mark.parametrize(
    ("from_headers", "expected"),
    [
        (["From: Hanako <Hanako@Example.COM>"], "Hanako@example.com"),
        (["From: hanako@example.com"], "hanako@example.com"),
        ([], None),
        (["From: a@example.com", "From: b@example.com"], None),
        (["From: a@example.com, b@example.com"], None),
        (["From: friends: a@example.com;"], "a@example.com"),
        (["From: alice@example.org)<bob@example.org>"], None),
        # email.utils.getaddresses recurses into nested comments: this exhausts the stack.
        (["From: " + "(" * 1500 + "a@example.com"], None),
        (["From: not an address"], None),
        (['From: "quoted local"@example.com'], None),
        (["From: <>"], None),
        (["From: x@" + "a" * 3000 + ".com"], None),
        (['From: "cs@shop.example" <eve@evil.example>'], "eve@evil.example"),
    ],
)
def test_from_address_is_one_normalised_address_or_none(
    from_headers: list[str], expected: str | None
) -> None:
    raw = ("\r\n".join([*from_headers, "Subject: s"]) + "\r\n\r\nbody\r\n").encode()

    assert read(raw).from_address == expected


def test_a_long_references_keeps_the_threads_first_id_and_its_latest() -> None:
    ids = [f"<m{n}@relay.example>" for n in range(MAX_IDS + 50)]

    mail = read(message("References: " + "\r\n ".join(ids)))

    assert mail.references == (ids[0], *ids[-(MAX_IDS - 1) :])


def test_a_message_without_a_subject_has_an_empty_one() -> None:
    assert read(b"From: a@example.com\r\n\r\nbody\r\n").subject == ""


def test_a_line_in_a_header_block_that_is_no_header_starts_the_body() -> None:
    mail = read(b"From: a@example.com\r\nSubject: s\r\nHello there\r\nbye\r\n")

    assert (mail.subject, mail.text, mail.malformed) == ("s", "Hello there\r\nbye\r\n", True)


def test_a_delimiter_may_end_in_spaces_and_tabs_and_a_boundary_in_any_letter() -> None:
    raw = mixed(TEXT_PART, PDF_PART, boundary="b1X").replace(b"--b1X\r\n", b"--b1X \t\r\n")

    mail = read(raw)

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 1, False)


@pytest.mark.parametrize(
    "line",
    [
        # Other whitespace after the boundary makes no delimiter (email.feedparser).
        "--b1\x0c",
        # A later piece of a long line starts no line, so it is no delimiter.
        "x" * MAX_LINE_BYTES + "--b1",
    ],
)
def test_a_line_that_only_looks_like_a_delimiter_is_text(line: str) -> None:
    body = f"a\r\n{line}\r\nb"

    mail = read(mixed(f"Content-Type: text/plain\r\n\r\n{body}", PDF_PART))

    assert (mail.text, mail.attachments, mail.malformed) == (body, 1, False)


def test_an_encoded_subject_is_decoded_and_left_raw() -> None:
    mail = read(message("Subject: =?utf-8?q?a=0D=0ABcc=3A_x?= =?utf-8?b?4oCoeQ==?="))

    # The first Subject header is the one read; the encoded line breaks are still there.
    assert mail.subject == "Re: order"
    raw = (
        b"From: a@example.com\r\nSubject: =?utf-8?q?a=0D=0ABcc=3A_x?= =?utf-8?b?4oCoeQ==?=\r\n\r\n"
    )
    assert read(raw).subject == "a\r\nBcc: x\u2028y"


def test_a_subject_in_a_charset_python_lacks_reads_without_surrogates() -> None:
    subject = read(b"From: a@example.com\r\nSubject: =?x-nonesuch?q?caf=E9?=\r\n\r\n").subject

    assert subject.startswith("caf")
    assert not any(0xD800 <= ord(char) <= 0xDFFF for char in subject)


def test_a_subject_the_header_registry_cannot_decode_is_kept_as_written() -> None:
    # UTF-7 decodes "+2AA-" to a lone surrogate, on which email.headerregistry raises.
    raw = b"From: a@example.com\r\nSubject: =?utf-7?q?+2AA-?=\r\n\r\nbody\r\n"

    mail = read(raw)

    assert (mail.subject, mail.text) == ("=?utf-7?q?+2AA-?=", "body\r\n")


@pytest.mark.parametrize(
    ("headers", "auto_submitted", "precedence", "automatic"),
    [
        (["Auto-Submitted: auto-replied"], ("auto-replied",), (), True),
        (
            ["Auto-Submitted: auto-notified;\r\n owner-email=a@b.example"],
            ("auto-notified; owner-email=a@b.example",),
            (),
            True,
        ),
        (
            ["Auto-Submitted: no", "Auto-Submitted: auto-generated"],
            ("no", "auto-generated"),
            (),
            True,
        ),
        (["Precedence: Bulk"], (), ("Bulk",), True),
        (["Precedence: list"], (), ("list",), True),
        (["Auto-Submitted: no", "Precedence: first-class"], ("no",), ("first-class",), False),
    ],
)
def test_auto_submitted_and_precedence_are_read_whole_for_the_one_rule(
    headers: list[str],
    auto_submitted: tuple[str, ...],
    precedence: tuple[str, ...],
    automatic: bool,
) -> None:
    mail = read(message(*headers))

    assert (mail.auto_submitted, mail.precedence) == (auto_submitted, precedence)
    assert is_automatic(mail.auto_submitted, mail.precedence) == automatic


def test_a_thousand_auto_submitted_headers_are_a_few() -> None:
    mail = read(message(*["Auto-Submitted: no" + " " * 500] * 1000))

    assert mail.auto_submitted == ("no" + " " * 198,) * 10


@pytest.mark.parametrize(
    "header",
    ["X-Autoreply: yes", "X-Autorespond: on", "List-Id: <a.list.example>", "X-Mailing-List: x"],
)
def test_vacation_and_list_headers_are_markers(header: str) -> None:
    mail = read(message(header))

    assert mail.automatic_markers == (header.split(":", maxsplit=1)[0].lower(),)


def test_a_delivery_report_is_marked() -> None:
    raw = message(
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        body="--r\r\nContent-Type: text/plain\r\n\r\nNot delivered\r\n--r--\r\n",
    )

    assert read(raw).automatic_markers == ("multipart/report",)


# What is kept and what is counted


def test_attachments_are_counted_and_text_and_html_kept() -> None:
    raw = mixed(
        'Content-Type: multipart/alternative; boundary="b2"\r\n\r\n'
        "--b2\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        "--b2\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b2--",
        PDF_PART,
        "Content-Type: image/png\r\nContent-Disposition: inline\r\n\r\nPNG",
        "Content-Type: message/rfc822\r\n\r\nFrom: x@y.example\r\n\r\nforwarded text",
        "Content-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nnot kept",
        "Content-Type: text/plain; name=notes.txt\r\n\r\nnot kept either",
    )

    mail = read(raw)

    assert (mail.text, mail.html, mail.attachments) == ("plain", "<p>html</p>", 5)
    assert not mail.malformed


def test_an_untyped_part_of_a_digest_is_a_forwarded_message_not_text() -> None:
    # RFC 2046 5.1.5: in multipart/digest a part's default type is message/rfc822.
    raw = message(
        'Content-Type: multipart/digest; boundary="d"',
        body="--d\r\n\r\nFrom: b@y.example\r\nSubject: one\r\n\r\nForwarded text\r\n"
        "--d\r\nContent-Type: text/plain\r\n\r\nDigest notes\r\n--d--\r\n",
    )

    mail = read(raw)

    assert (mail.text, mail.attachments, mail.malformed) == ("Digest notes", 1, False)


@pytest.mark.parametrize(
    ("bodiless", "html", "attachments"),
    [("Content-Type: application/pdf", None, 1), ("Content-Type: text/html", "", 0)],
)
def test_a_part_whose_header_block_runs_into_the_next_delimiter_ends_there(
    bodiless: str, html: str | None, attachments: int
) -> None:
    # No blank line, so no body: the delimiter still starts the next part, as the library
    # reads it, whether the bodiless part is counted or kept.
    raw = mixed(bodiless, TEXT_PART)

    mail = read(raw)

    assert (mail.text, mail.html, mail.attachments) == ("The text", html, attachments)
    assert not mail.malformed


def test_a_bodiless_text_part_has_empty_text_and_the_next_part_is_read() -> None:
    mail = read(mixed("Content-Type: text/plain", "Content-Type: text/html\r\n\r\n<p>Hi</p>"))

    assert (mail.text, mail.html, mail.attachments, mail.malformed) == ("", "<p>Hi</p>", 0, False)


def test_a_header_line_that_would_take_a_part_header_block_past_its_cap_is_dropped() -> None:
    padding = ["X-Pad: " + "p" * 8100, "X-Pad: " + "q" * 8100]
    # Short, but after the padding it is past MAX_PART_HEADER_BYTES: the part stays text/plain.
    late = "Content-Type: text/html; x=" + "h" * 300
    part = "\r\n".join([*padding, late]) + "\r\n\r\nThe text"
    assert len(part) - len("The text") > MAX_PART_HEADER_BYTES

    mail = read(mixed(part))

    assert (mail.text, mail.html, mail.malformed) == ("The text", None, True)


def test_an_rfc2231_filename_makes_an_attachment() -> None:
    raw = mixed(
        TEXT_PART,
        "Content-Type: text/plain\r\n"
        "Content-Disposition: attachment; filename*0*=utf-8''%E8%AB%8B;\r\n"
        " filename*1*=%E6%B1%82.txt\r\n\r\nnot kept",
        "Content-Type: text/plain\r\nContent-Disposition: inline; filename*=utf-8''a.txt\r\n\r\nno",
    )

    assert (read(raw).text, read(raw).attachments) == ("The text", 2)


def test_an_unknown_charset_reads_as_utf8() -> None:
    raw = mixed("Content-Type: text/plain; charset=x-nonesuch\r\n\r\ncafé ☕")

    assert read(raw).text == "café ☕"


@pytest.mark.parametrize("charset", ["base64", "zlib", "punycode", "idna", "unicode_escape"])
def test_a_codec_no_mail_declares_reads_as_utf8(charset: str) -> None:
    raw = mixed(f"Content-Type: text/plain; charset={charset}\r\n\r\nab\\u0041 é")

    assert read(raw).text == "ab\\u0041 é"


def test_a_part_without_a_charset_reads_as_us_ascii_as_the_library_reads_it() -> None:
    # RFC 2045 5.2: no charset is US-ASCII; 8-bit bytes are replaced, not guessed at.
    raw = message(body="café\r\n")

    assert read(raw).text == "caf\ufffd\ufffd\r\n"
    assert read(raw).text == email.message_from_bytes(raw, policy=default_policy).get_content()


def test_bytes_a_codec_no_mail_declares_cannot_decode_read_as_replacements() -> None:
    raw = mixed("Content-Type: text/plain; charset=base64\r\n\r\nok ").replace(
        b"ok ", b"ok \xff end"
    )

    assert read(raw).text == "ok \ufffd end"


def test_a_lone_surrogate_from_a_decoder_reads_as_replacements() -> None:
    # UTF-7 decodes `+2D0-` to U+D834, half of a pair, which no UTF-8 text can hold.
    raw = mixed("Content-Type: text/plain; charset=utf-7\r\n\r\nok +2D0- end")

    assert read(raw).text == "ok \ufffd\ufffd\ufffd end"


def test_invalid_base64_is_malformed_but_read() -> None:
    raw = mixed(
        "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8=!!*&^%x"
    )

    mail = read(raw)

    assert mail.malformed
    assert mail.text is not None and mail.text.startswith("Hello")


def test_cr_only_line_ends_read_as_the_library_reads_them() -> None:
    raw = mixed(TEXT_PART, PDF_PART).replace(b"\r\n", b"\r")

    mail = read(raw)

    assert (mail.from_address, mail.text, mail.attachments) == ("cs@shop.example", "The text", 1)


def test_text_over_the_cap_is_cut_and_said_to_be() -> None:
    mail = read(message(body="x" * 50_000), max_text_chars=1000)

    assert mail.text == "x" * 1000
    assert mail.truncated

    mail = read(message(body="x" * 1000), max_text_chars=1000)

    assert (mail.text, mail.truncated) == ("x" * 1000, False)


def test_a_part_over_its_raw_cap_is_cut_there_and_the_parts_after_it_still_read() -> None:
    # Soft line breaks decode to nothing: the raw cap (about ten bytes a character, here
    # 5 KiB) cuts the part before its text does, at the line that would cross it.
    body = "=\r\n" * 1000 + "x" * 5000 + "\r\nHello\r\n"
    raw = mixed(
        "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body,
        "Content-Type: text/html\r\n\r\n<p>html</p>",
    )

    mail = read(raw, max_text_chars=100)

    assert (mail.text, mail.html) == ("", "<p>html</p>")
    assert mail.truncated is True
    assert not mail.malformed


def test_a_message_that_ends_in_its_header_block_has_empty_text() -> None:
    mail = read(b"From: Shop <cs@shop.example>\r\nSubject: Re: order")

    assert (mail.subject, mail.text, mail.malformed) == ("Re: order", "", False)


def test_a_message_over_max_bytes_is_too_large_and_keeps_no_body() -> None:
    html_part = "Content-Type: text/html\r\n\r\n<p>html</p>"
    mail = read(mixed(TEXT_PART, html_part, PDF_PART + "A" * 100_000), max_bytes=50_000)

    assert mail.too_large
    assert (mail.text, mail.html) == (None, None)
    assert mail.from_address == "cs@shop.example"


def test_a_slow_stream_reads_the_same() -> None:
    raw = mixed(TEXT_PART, PDF_PART, "Content-Type: text/html\r\n\r\n<p>x</p>").replace(
        b"\r\n", b"\r"
    )

    for step in (1, 2, 3, 5):
        assert read_mail(Trickle(raw, step), max_bytes=MB, max_text_chars=100) == read(raw)


# Hostile input: each must end, with its limits said


def test_nesting_past_the_cap_is_one_opaque_part() -> None:
    depth = 2000
    head = "".join(
        f'--n{level}\r\nContent-Type: multipart/mixed; boundary="n{level + 1}"\r\n\r\n'
        for level in range(depth)
    )
    raw = message('Content-Type: multipart/mixed; boundary="n0"', body=head + TEXT_PART)

    mail = read(raw)

    assert mail.malformed
    assert (mail.text, mail.attachments) == (None, 1)


def test_a_boundary_longer_than_rfc_2046_allows_makes_its_multipart_one_opaque_part() -> None:
    # Each open boundary set is compiled into the delimiter matcher (pure-Python work per
    # character): 70 nested multiparts of distinct 1000-character boundaries took 7 s to read.
    longest = "b" * 70
    assert read(mixed(TEXT_PART, boundary=longest)).text == "The text"

    mail = read(mixed(TEXT_PART, boundary=longest + "b"))

    assert (mail.text, mail.attachments, mail.malformed) == (None, 1, True)


def test_thousands_of_parts_are_all_counted_the_ones_past_the_cap_unread() -> None:
    mail = read(mixed(*[TEXT_PART] * 5000))

    assert mail.text == "The text"
    assert mail.attachments == 4999
    assert mail.malformed
    assert MAX_PARTS < 5000


def test_the_part_cap_counts_each_part_once() -> None:
    mail = read(mixed(*[PDF_PART] * (MAX_PARTS - 1), TEXT_PART))

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", MAX_PARTS - 1, False)

    mail = read(mixed(*[PDF_PART] * MAX_PARTS, TEXT_PART))

    assert (mail.text, mail.attachments, mail.malformed) == (None, MAX_PARTS + 1, True)


def test_text_nested_in_as_many_multiparts_as_the_cap_allows_is_read() -> None:
    def nested(depth: int) -> bytes:
        """TEXT_PART inside `depth` multiparts, each closed."""
        head = "".join(
            f'--n{level}\r\nContent-Type: multipart/mixed; boundary="n{level + 1}"\r\n\r\n'
            for level in range(depth - 1)
        )
        tail = "".join(f"\r\n--n{level}--" for level in reversed(range(depth)))
        body = f"{head}--n{depth - 1}\r\n{TEXT_PART}{tail}\r\n"
        return message('Content-Type: multipart/mixed; boundary="n0"', body=body)

    mail = read(nested(MAX_DEPTH))

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 0, False)

    mail = read(nested(MAX_DEPTH + 1))

    assert (mail.text, mail.attachments, mail.malformed) == (None, 1, True)


def test_an_inner_multipart_that_never_closes_ends_at_its_parents_delimiter() -> None:
    # Two multiparts open inside the message's own: the innermost never closes, and the
    # middle one's delimiter ends it; the text after it is still read.
    inner = 'Content-Type: multipart/mixed; boundary="b3"\r\n\r\n--b3\r\n' + PDF_PART
    middle = f'Content-Type: multipart/mixed; boundary="b2"\r\n\r\n--b2\r\n{inner}\r\n'
    middle += f"--b2\r\n{TEXT_PART}\r\n--b2--"

    mail = read(mixed(middle, PDF_PART))

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 2, True)


def test_a_boundary_that_never_closes_keeps_what_was_read() -> None:
    mail = read(mixed(TEXT_PART, PDF_PART, close=False))

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 1, True)


def test_a_line_of_megabytes_without_a_line_end() -> None:
    mail = read(mixed(TEXT_PART + "y" * (5 * MB)), max_text_chars=1000)

    assert mail.text == "The text" + "y" * 992
    assert mail.truncated


def test_a_header_block_of_megabytes_is_cut() -> None:
    junk = "\r\n".join(f"X-Junk-{n}: " + "j" * 60 for n in range(80_000))
    raw = f"{junk}\r\nFrom: late@example.com\r\n\r\nbody\r\n".encode()

    mail = read(raw)

    assert mail.malformed
    assert mail.from_address is None
    assert mail.text == "body\r\n"


def test_a_header_line_of_megabytes_without_a_line_end() -> None:
    mail = read(b"From: a@example.com\r\nSubject: " + b"s" * (3 * MB))

    assert mail.malformed
    assert mail.from_address == "a@example.com"


def test_eight_bit_garbage_in_headers_and_body() -> None:
    raw = b"From: \xff\xfe <a@example.com>\r\nSubject: \xe9t\xe9 \x80\r\n\r\n\xff\x00\x80body\r\n"

    mail = read(raw)

    assert mail.from_address == "a@example.com"
    assert mail.subject == "\ufffdt\ufffd \ufffd"
    assert mail.text is not None and mail.text.endswith("body\r\n")


@pytest.mark.parametrize("header", ["Content-Type: text/plain", "Content-Disposition: inline"])
def test_a_content_header_too_long_to_parse_makes_an_opaque_part(header: str) -> None:
    raw = mixed(f'{header}; a="' + ";" * 10_000 + '"\r\n\r\ntext', TEXT_PART)

    mail = read(raw)

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 1, True)


def test_a_top_content_type_too_long_to_parse_makes_the_message_one_opaque_part() -> None:
    mail = read(message('Content-Type: text/plain; a="' + ";" * 10_000 + '"'))

    assert (mail.text, mail.attachments, mail.malformed) == (None, 1, True)
    assert mail.automatic_markers == ()


@pytest.mark.parametrize(
    "content_type",
    [
        # docs/performance.md: refused past 4 KiB or 64 parameters, so these are read.
        'text/plain; a="' + "x" * (4096 - len('text/plain; a=""')) + '"',
        'text/plain; a="' + ";" * 63 + '"',
    ],
)
def test_a_content_type_at_its_caps_is_read(content_type: str) -> None:
    assert len(content_type) == 4096 or content_type.count(";") == 64

    mail = read(mixed(f"Content-Type: {content_type}\r\n\r\ntext", TEXT_PART))

    assert (mail.text, mail.attachments, mail.malformed) == ("text", 1, False)


def test_a_content_type_with_too_many_parameters_makes_an_opaque_part() -> None:
    # email.message._parseparam's time grows with length times semicolons.
    raw = mixed('Content-Type: text/plain; a="' + ";" * 100 + '"\r\n\r\ntext', TEXT_PART)

    mail = read(raw)

    assert (mail.text, mail.attachments, mail.malformed) == ("The text", 1, True)


def test_an_attachment_of_megabytes_streams_past_in_flat_memory() -> None:
    attachment = ("QUFB" * 19 + "\r\n") * (5 * MB // 78)
    mail, peak = _read_measuring_memory(mixed(TEXT_PART, PDF_PART + "\r\n" + attachment))

    assert (mail.text, mail.attachments) == ("The text", 1)
    assert peak < MB // 2


def test_a_message_that_is_one_attachment_of_megabytes_streams_past_in_flat_memory() -> None:
    # No multipart is open, so no delimiter is looked for: every line is discarded unread.
    attachment = ("QUFB" * 19 + "\r\n") * (5 * MB // 78)
    mail, peak = _read_measuring_memory(
        message(
            "Content-Type: application/pdf", "Content-Transfer-Encoding: base64", body=attachment
        )
    )

    assert (mail.text, mail.attachments, mail.malformed) == (None, 1, False)
    assert peak < MB // 2


def _read_measuring_memory(raw: bytes) -> tuple[InboundMail, int]:
    """What read_mail makes of `raw`, streamed, and the most memory it held at once."""
    stream = io.BytesIO(raw)
    tracemalloc.start()
    try:
        mail = read_mail(stream, max_bytes=10 * MB, max_text_chars=10_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return mail, peak


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=200))
def test_any_bytes_read_to_an_end_within_the_caps(noise: bytes, max_text_chars: int) -> None:
    raw = mixed(TEXT_PART, PDF_PART) + noise + mixed(TEXT_PART)[: len(noise) % 400]

    mail = read(raw, max_text_chars=max_text_chars)

    assert len(mail.text or "") <= max_text_chars
    assert len(mail.html or "") <= max_text_chars
    assert mail.attachments >= 0


SNIPPETS = [
    "text/plain",
    "text/html",
    "multipart/mixed",
    "message/rfc822",
    "attachment",
    "inline",
    "; ",
    ";",
    "=",
    '"',
    "\\",
    "charset=",
    "charset*=utf-8''",
    "charset*0*=",
    "filename*0*=utf-8''%E8",
    "filename*1=",
    "name*=x-unknown'ja'%FF",
    "boundary=",
    "b1",
    "%",
    "'",
    "=?utf-8?q?",
    "?=",
    "\r\n ",
    "\xe9",
    "\x00",
]
header_values = st.lists(st.sampled_from(SNIPPETS), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            header_values,
            header_values,
            header_values,
            st.sampled_from(["7bit", "base64", "quoted-printable", "x-uuencode", "bogus"]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_hostile_content_headers_never_raise(parts: list[tuple[str, str, str, str]]) -> None:
    raw = mixed(
        *(
            f"Content-Type: {content_type}\r\nContent-Disposition: {disposition}\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n{body}=E9=\r\nSGVsbG8\r\n"
            for content_type, disposition, body, encoding in parts
        )
    )

    mail = read(raw, max_text_chars=100)

    assert mail.attachments <= len(parts)
    assert len(mail.text or "") <= 100
