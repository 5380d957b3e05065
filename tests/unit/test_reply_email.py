"""The relayed reply: one plain-text part from the writer's alias, to the reader's real address,
with nothing of the writer's own address, host or Message-ID in it."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.headerregistry import AddressHeader
from email.message import Message
from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_relay.inbound_checks import is_automatic
from contact_relay.inbound_mail import read_mail
from contact_relay.plaintext import reduce_to_plain_text
from contact_relay.reply_email import (
    MAX_DISPLAY_NAME_CHARS,
    MAX_REFERENCES,
    MAX_SUBJECT_CHARS,
    RelayedEmail,
    _reads_back,
    clean_subject,
    compose_relayed,
    our_references,
)
from contact_relay.text_rules import has_forbidden_single_line_character
from tests.support import body_of, parse_mime

SENT_AT = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
ALIAS = "abcdefghijklmnopqrstuvwxyz234567@reply.example"
STOP = "https://api.example/stop/" + "a" * 64 + "." + "b" * 64


def relayed(**changes: object) -> RelayedEmail:
    values: dict[str, object] = {
        "message_id": "9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
        "marketplace": "Amazon",
        "writer_display_name": "Tokyo Gadgets",
        "from_alias": ALIAS,
        "to_address": "hanako@example.com",
        "subject": "Re: Shipping inquiry",
        "text": "It ships today.\n\n> When will it ship?",
        "attachments_left_out": 0,
        "stop_link": STOP,
        "reply_domain": "reply.example",
    }
    values.update(changes)
    return RelayedEmail(**values)  # type: ignore[arg-type]


def composed(**changes: object) -> tuple[bytes, Message]:
    raw = compose_relayed(relayed(**changes), sent_at=SENT_AT)
    return raw, parse_mime(raw)


def sender(mail: Message) -> tuple[str, str]:
    header = mail["From"]
    assert isinstance(header, AddressHeader)
    [address] = header.addresses
    return address.display_name, address.addr_spec


# The email


def test_headers_name_the_alias_the_reader_and_our_message_id() -> None:
    _, mail = composed(in_reply_to=("<m1@reply.example>",))

    assert sender(mail) == ("Tokyo Gadgets via Amazon", ALIAS)
    assert mail["To"] == "hanako@example.com"
    assert mail["Subject"] == "Re: Shipping inquiry"
    assert mail["Message-ID"] == "<9b2f6a1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b@reply.example>"
    assert mail["In-Reply-To"] == "<m1@reply.example>"
    assert "References" not in mail
    assert mail["Date"] == "Sat, 05 Dec 2026 01:00:00 +0000"
    assert mail["X-Auto-Response-Suppress"] == "All"
    assert "Reply-To" not in mail


def test_a_person_s_reply_is_not_marked_automatic() -> None:
    raw, mail = composed()

    assert "Auto-Submitted" not in mail
    assert "Precedence" not in mail
    # What our own reader would make of it, at the other end of a conversation.
    read_back = read_mail(io.BytesIO(raw), max_bytes=10**6, max_text_chars=10**4)
    assert not is_automatic(read_back.auto_submitted, read_back.precedence)
    assert read_back.automatic_markers == ()


def test_one_plain_text_utf8_part_with_crlf_line_ends() -> None:
    raw, mail = composed(text="日本語の返信 🎁", subject="Re: 配送について")

    assert not mail.is_multipart()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert raw.isascii()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert mail["Subject"] == "Re: 配送について"
    assert "日本語の返信 🎁" in body_of(mail)


def test_references_are_folded_one_id_a_line() -> None:
    ids = tuple(f"<m{n}.{'x' * 60}@reply.example>" for n in range(MAX_REFERENCES))
    raw, mail = composed(references=ids)

    assert mail["References"].split() == list(ids)
    head = raw.partition(b"\r\n\r\n")[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998


@pytest.mark.parametrize(
    "bad", ["<a@b.example>\r\nBcc: x@evil.example", "no-brackets@reply.example", "<a b@x.example>"]
)
def test_an_id_that_is_not_a_message_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="Message-IDs"):
        composed(references=(bad,))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"to_address": "a@example.com\r\nBcc: x@evil.example"}, "printable ASCII"),
        ({"message_id": "a@b"}, "Message-ID"),
        ({"reply_domain": "reply.example>"}, "Message-ID"),
        ({"stop_link": "https://api.example/stop/x y"}, "stop link"),
        ({"stop_link": "javascript:alert(1)"}, "stop link"),
        ({"subject": "Re: a\r\nBcc: x@evil.example"}, "one line"),
        ({"subject": "Re: a\u2028b"}, "one line"),
        ({"writer_display_name": "Shop\nX-Evil: 1"}, "one line"),
        ({"writer_display_name": "Shop\u202eevil"}, "one line"),
        ({"writer_display_name": "  "}, "one line"),
    ],
)
def test_what_cannot_stand_in_a_header_is_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        composed(**changes)


@pytest.mark.parametrize(
    "name",
    [
        'Shop "Best" Deals',
        "Back\\slash\\",
        '"',
        "\\",
        'a" <eve@evil.example>, "b',
        "Eve <eve@evil.example>",
        "=?utf-8?q?=0D=0ABcc:_x@evil.example?=",
        "Shop, Inc. (Tokyo); [JP]: @home",
        '東京ガジェット "本店"',
        "x" * 300,
        "(" * 2000,
        "日本" * 1000,
    ],
)
def test_a_hostile_display_name_never_breaks_the_from_header(name: str) -> None:
    raw, mail = composed(writer_display_name=name)

    # One address, the alias: `sender` unpacks exactly one.
    display_name, address = sender(mail)
    assert address == ALIAS
    assert display_name.endswith(" via Amazon")
    assert "Bcc" not in mail
    assert mail["To"] == "hanako@example.com"
    assert raw.count(b"\r\nTo: ") == 1


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=120))
def test_any_one_line_name_and_subject_round_trip_or_are_refused(name: str, subject: str) -> None:
    cleaned = clean_subject(subject, fallback="Re: your message")
    try:
        _, mail = composed(writer_display_name=name, subject=cleaned)
    except ValueError:
        assert has_forbidden_single_line_character(name) or not name.strip()
        return

    assert mail["Subject"].strip() == cleaned
    display_name, address = sender(mail)
    assert address == ALIAS
    assert display_name.endswith(" via Amazon")


# The body


@pytest.mark.parametrize(
    "subject", ["0" * 70, "Re: " + "1Z999AA10123456784" * 5, "x" * MAX_SUBJECT_CHARS]
)
def test_a_subject_word_longer_than_a_line_is_folded_and_read_back(subject: str) -> None:
    # The library puts a word it cannot fold on a line of its own ("Subject:" CRLF " 000...",
    # which its reader reads with the space) or in encoded words.
    _, mail = composed(subject=subject)

    assert mail["Subject"].strip() == subject


@pytest.mark.parametrize(
    ("name", "display_name"),
    [
        ("=?utf-8?b?QmNj?=", "utf-8?b?QmNj via Amazon"),
        ('Tokyo =?utf-8?q?Gadgets?= "Official"', "Tokyo utf-8?q?Gadgets Official via Amazon"),
        ("=?utf-8?q?Eve?= <eve@evil.example>", "utf-8?q?Eve eve evil example via Amazon"),
    ],
)
def test_a_name_that_would_read_as_an_encoded_word_is_relayed_plainer(
    name: str, display_name: str
) -> None:
    # Written as it is, a reader would decode it to other text ("Bcc", "Eve"): the name goes
    # with its specials turned to spaces, not the marketplace's name alone.
    _, mail = composed(writer_display_name=name)

    assert sender(mail) == (display_name, ALIAS)


def test_a_long_name_cut_after_a_space_ends_before_via() -> None:
    name = "x" * (MAX_DISPLAY_NAME_CHARS - 1) + " Tokyo Gadgets"

    raw, mail = composed(writer_display_name=name)

    assert sender(mail)[0] == "x" * (MAX_DISPLAY_NAME_CHARS - 1) + " via Amazon"
    assert b"  via" not in raw


def test_a_long_name_is_cut_to_its_first_64_characters() -> None:
    name = "東京ガジェット" * 20

    raw, _ = composed(writer_display_name=name)

    # RFC 2047 readers ignore the space between encoded words; Python's header parser keeps it.
    [(display_name, address)] = getaddresses(
        [
            str(
                make_header(
                    decode_header(
                        raw.decode("ascii")
                        .split("\r\nSubject:")[0]
                        .removeprefix("From:")
                        .replace("\r\n", "")
                    )
                )
            )
        ]
    )
    assert display_name == name[:MAX_DISPLAY_NAME_CHARS] + " via Amazon"
    assert address == ALIAS


def test_body_is_the_text_then_the_stop_link_and_the_safety_advice() -> None:
    _, mail = composed()

    assert body_of(mail) == (
        "It ships today.\n\n> When will it ship?\n\n--\n"
        f"To stop this conversation for good (no more replies either way): {STOP}\n"
        "Relayed messages hold plain text only: links and markup are removed before delivery.\n"
        "Do not follow links or open attachments in an email that claims to come from Amazon.\n"
    )


def test_the_text_is_relayed_as_written_but_for_the_blank_lines_around_it() -> None:
    body = body_of(composed(text="\n\n  1. Unplug it.\n  2. Press X\n\n")[1])

    assert body.startswith("  1. Unplug it.\n  2. Press X\n\n--\n")


@pytest.mark.parametrize(
    ("count", "line"),
    [
        (1, "1 attachment was not forwarded: the relay forwards plain text only."),
        (2, "2 attachments were not forwarded: the relay forwards plain text only."),
    ],
)
def test_the_body_says_how_many_attachments_were_left_out(count: int, line: str) -> None:
    body = body_of(composed(attachments_left_out=count)[1])

    assert f"> When will it ship?\n\n{line}\n\n--\n" in body


def test_the_body_says_nothing_of_attachments_when_there_were_none() -> None:
    assert "attachment" not in body_of(composed()[1]).split("--\n")[0]


# From an inbound message to the relayed email: nothing of the writer's own reaches the reader


SELLER_REPLY = (
    b"From: Tokyo Gadgets <owner@tokyo-gadgets.jp>\r\n"
    b"To: " + ALIAS.encode() + b"\r\n"
    b"Subject: =?utf-8?q?Re=3A_Shipping_inquiry_=E2=80=A8Bcc=3A_owner=40tokyo-gadgets.jp?=\r\n"
    b"Message-ID: <CAF123xyz@mail.tokyo-gadgets.jp>\r\n"
    b"In-Reply-To: <9b2f-1@reply.example>\r\n"
    b"References: <1764900000.42.7.msg-1@relay.example> <9b2f-1@reply.example>\r\n"
    b" <CAE987@mail.tokyo-gadgets.jp>\r\n"
    b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
    b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"It ships today.\r\nOwner, owner@tokyo-gadgets.jp, https://tokyo-gadgets.jp\r\n\r\n"
    b"On Fri, Hanako <hanako@example.com> wrote:\r\n> When will it ship?\r\n"
    b"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
    b'filename="owner@tokyo-gadgets.jp.pdf"\r\n\r\nJVBERi0=\r\n--b1--\r\n'
)


def test_the_writer_s_address_host_and_ids_never_reach_the_reader() -> None:
    mail = read_mail(io.BytesIO(SELLER_REPLY), max_bytes=10**6, max_text_chars=10**4)
    assert mail.text is not None
    ours = {"reply.example", "relay.example"}

    raw = compose_relayed(
        relayed(
            to_address="hanako@example.com",
            subject=clean_subject(mail.subject, fallback="Re: your message"),
            text=reduce_to_plain_text(mail.text).text,
            attachments_left_out=mail.attachments,
            in_reply_to=our_references(mail.in_reply_to, ours),
            references=our_references(mail.references, ours),
        ),
        sent_at=SENT_AT,
    )
    relayed_mail = parse_mime(raw)
    body = body_of(relayed_mail)

    assert b"tokyo-gadgets" not in raw.lower()
    assert "tokyo-gadgets" not in body.lower()
    assert "CAF123xyz" not in str(raw) and "CAE987" not in str(raw)
    assert relayed_mail["References"].split() == [
        "<1764900000.42.7.msg-1@relay.example>",
        "<9b2f-1@reply.example>",
    ]
    assert relayed_mail["Subject"] == "Re: Shipping inquiry Bcc: [link removed]"
    assert "Bcc" not in relayed_mail
    # The reader's own address stands in To, and in the quoted history only as reduced.
    assert relayed_mail["To"] == "hanako@example.com"
    assert "hanako@example.com" not in body
    assert "1 attachment was not forwarded" in body


# clean_subject


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Re: Shipping inquiry", "Re: Shipping inquiry"),
        ("  Re:\tShipping \r\n inquiry  ", "Re: Shipping inquiry"),
        ("Re: a\r\nBcc: x", "Re: a Bcc: x"),
        ("Re: a\u2028b\u2029c\x85d", "Re: a b c d"),
        ("Re: a\x00\x07\x1bb", "Re: ab"),
        ("Re: \u202eevil\u202c \u200bzero\ufeff width\u00ad", "Re: evil zero width"),
        ("Re: 家族 👨\u200d👩\u200d👧", "Re: 家族 👨\u200d👩\u200d👧"),
        ("Re: see https://evil.example/x now", "Re: see [link removed] now"),
        ("Re: <b>bold</b> &amp; www.evil.example", "Re: bold & [link removed]"),
        ("Re: &#10;Bcc: x&#x2028;y", "Re: Bcc: x y"),
        ("Re: price $19.99, 3:30pm, e.g. a<b", "Re: price $19.99, 3:30pm, e.g. a<b"),
        ("Re: =?utf-8?b?QmNjOiB4?= ok", "Re: = ?utf-8?b?QmNjOiB4?= ok"),
    ],
)
def test_a_subject_is_one_clean_line(raw: str, clean: str) -> None:
    assert clean_subject(raw, fallback="Re: your message") == clean


@pytest.mark.parametrize("raw", ["", "   ", "\r\n\u2028", "\u200b\u202e", "https://evil.example"])
def test_an_empty_subject_is_the_fallback(raw: str) -> None:
    assert clean_subject(raw, fallback="Re: your message") == "Re: your message"


def test_a_subject_of_ten_thousand_characters_is_capped_on_a_character_boundary() -> None:
    subject = clean_subject("Re: " + "日本" * 5000, fallback="x")

    assert len(subject) == MAX_SUBJECT_CHARS
    assert subject == ("Re: " + "日本" * 5000)[:MAX_SUBJECT_CHARS]


def test_cutting_a_subject_never_makes_a_link() -> None:
    # Cut after ".com", "example.comx" would become a link; the cut result is read again.
    raw = "Re: " + "x" * (MAX_SUBJECT_CHARS - 15) + " example.comxyz"

    subject = clean_subject(raw, fallback="x")

    assert reduce_to_plain_text(subject).links_removed == 0
    assert len(subject) <= MAX_SUBJECT_CHARS


SUBJECT_SNIPPETS = [
    "Re: ",
    "www.",
    "example",
    ".com",
    ".c",
    "om",
    "http://",
    "hxxp",
    "[.]",
    "@",
    "&#10;",
    "&#x2028;",
    "&amp;",
    "&lt;",
    "<b>",
    "</b>",
    "<",
    "\u2028",
    "\u200b",
    "\u00ad",
    "\u202e",
    "\r\n",
    "=?utf-8?q?",
    " ",
    "x" * 50,
    "日本",
]
subjects = st.one_of(
    st.text(max_size=400), st.lists(st.sampled_from(SUBJECT_SNIPPETS), max_size=40).map("".join)
)


@settings(max_examples=400, deadline=None)
@given(subjects)
def test_a_clean_subject_is_one_reduced_line_and_stays_clean(raw: str) -> None:
    subject = clean_subject(raw, fallback="Re: your message")

    assert subject
    assert len(subject) <= MAX_SUBJECT_CHARS
    assert not has_forbidden_single_line_character(subject)
    assert subject == " ".join(subject.split())
    assert reduce_to_plain_text(subject).text == subject
    assert clean_subject(subject, fallback="Re: your message") == subject


LONG_SUBJECT = "Re: Shipping inquiry about order 123-4567890-1234567 and the gift wrapping, please"


@pytest.mark.parametrize("length", range(60, len(LONG_SUBJECT) + 1))
def test_a_subject_the_library_folds_after_its_name_is_relayed(length: int) -> None:
    # From 70 to 77 characters the library writes `Subject:`, a line break, then the subject:
    # read back as part of the From, it made every such reply fail to compose.
    subject = LONG_SUBJECT[:length].rstrip()

    _, mail = composed(subject=subject)

    # Folded after its name, the value starts with the fold's space, which readers show as none.
    assert mail["Subject"].lstrip(" ") == subject
    assert sender(mail) == ("Tokyo Gadgets via Amazon", ALIAS)


@pytest.mark.parametrize(
    "raw",
    [
        "=?utf-8?q?a=0D=0Ab?=",  # `=?utf-8?q?=3D=3Futf-8=3Fq=3Fa=3D0D=3D0Ab=3F=3D?=` decoded
        "Re: =?utf-8?b?QmNjOiB4?= ok",
        "=?us-ascii?q?hi?=",
    ],
)
def test_a_subject_holding_an_encoded_word_as_text_is_relayed_as_that_text(raw: str) -> None:
    # Written as it is, ASCII, it would read back decoded (a line break, other text): the
    # relayed email could not be composed and the relay raised, for every recipient, each retry.
    subject = clean_subject(raw, fallback="Re: your message")

    _, mail = composed(subject=subject)

    assert mail["Subject"] == subject
    assert "=?" not in subject


def test_an_encoded_subject_of_line_separators_reads_as_one_line() -> None:
    raw = b"From: a@example.com\r\nSubject: =?utf-8?b?UmU6IGHigKhCY2M6IHg=?=\r\n\r\nx\r\n"
    mail = read_mail(io.BytesIO(raw), max_bytes=1000, max_text_chars=100)

    assert mail.subject == "Re: a\u2028Bcc: x"
    assert clean_subject(mail.subject, fallback="-") == "Re: a Bcc: x"


# our_references


def test_only_our_well_formed_ids_are_kept_in_order_once() -> None:
    ids = [
        "<a1@reply.example>",
        "<x@mail.writer.example>",
        "<b2@RELAY.example>",
        "<a1@reply.example>",
        "<c3@sub.reply.example>",
        "<bad id@reply.example>",
        "no-brackets@reply.example",
        "<d4@reply.example",
        "<e5@reply.example>\r\nBcc: x",
        "<" + "f" * 300 + "@reply.example>",
        "<g6@reply.example.evil.example>",
        "<h7@reply.example>",
    ]

    assert our_references(ids, {"reply.example", "relay.example"}) == (
        "<a1@reply.example>",
        "<b2@RELAY.example>",
        "<h7@reply.example>",
    )


def test_a_long_thread_keeps_its_root_and_its_latest_ids() -> None:
    ids = [f"<m{n}@reply.example>" for n in range(50)]

    kept = our_references(ids, ["reply.example"])

    assert len(kept) == MAX_REFERENCES
    assert kept[0] == "<m0@reply.example>"
    assert kept[1:] == tuple(ids[-(MAX_REFERENCES - 1) :])


def test_an_id_of_the_longest_length_is_kept_and_relayed_a_longer_one_is_not() -> None:
    longest = "<" + "a" * 234 + "@reply.example>"
    longer = "<" + "a" * 235 + "@reply.example>"
    assert len(longest) == 250

    kept = our_references([longest, longer], ["reply.example"])
    _, mail = composed(references=kept, in_reply_to=kept)

    assert kept == (longest,)
    assert mail["References"] == mail["In-Reply-To"] == longest
    with pytest.raises(ValueError, match="Message-IDs"):
        composed(references=(longer,))


def test_no_domain_of_ours_keeps_nothing() -> None:
    assert our_references(["<a@reply.example>"], []) == ()


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(min_size=1, max_size=80).filter(
        lambda name: name.strip() and not has_forbidden_single_line_character(name)
    ),
    subject=subjects,
    text=st.one_of(st.text(max_size=300), subjects),
    attachments=st.integers(min_value=0, max_value=3),
    ids=st.lists(
        st.one_of(
            st.sampled_from(["<a1@reply.example>", "<b.2@relay.example>", "<x@writer.example>"]),
            st.text(max_size=40),
        ),
        max_size=30,
    ),
)
def test_whatever_the_writer_sent_the_headers_are_ours_alone(
    name: str, subject: str, text: str, attachments: int, ids: list[str]
) -> None:
    references = our_references(ids, {"reply.example", "relay.example"})
    _, mail = composed(
        writer_display_name=name,
        subject=clean_subject(subject, fallback="Re: your message"),
        text=reduce_to_plain_text(text).text,
        attachments_left_out=attachments,
        in_reply_to=references[-1:],
        references=references,
    )

    threading = ["In-Reply-To", "References"] if references else []
    assert mail.keys() == [
        *("From", "Subject", "To", "Message-ID", *threading, "Date"),
        *("X-Auto-Response-Suppress", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"),
    ]
    assert sender(mail)[1] == ALIAS
    assert mail["To"] == "hanako@example.com"
    assert body_of(mail).endswith(
        "Do not follow links or open attachments in an email that claims to come from Amazon.\n"
    )


# The read-back check: the library never writes what it refuses, so it is tested on renderings


GOOD_FROM = f"From: Tokyo Gadgets via Amazon <{ALIAS}>"


@pytest.mark.parametrize(
    ("rendered", "subject", "reads_back"),
    [
        (f"{GOOD_FROM}\r\nSubject: Re: Shipping", "Re: Shipping", True),
        # Each of these reads back the same name and subject: only the check of the rendering
        # itself refuses a raw non-ASCII, a control, another header, another address.
        (f"{GOOD_FROM}\r\nSubject: Re: caf\u00e9", "Re: caf\u00e9", False),
        (f"{GOOD_FROM}\r\nSubject: Re:\tShipping", "Re: Shipping", False),
        (f"{GOOD_FROM}\r\nBcc: eve@evil.example\r\nSubject: Re: Shipping", "Re: Shipping", False),
        (f"{GOOD_FROM}, eve@evil.example\r\nSubject: Re: Shipping", "Re: Shipping", False),
    ],
)
def test_only_a_rendering_a_reader_reads_as_written_is_accepted(
    rendered: str, subject: str, reads_back: bool
) -> None:
    email = relayed(subject=subject)

    assert _reads_back(rendered, "Tokyo Gadgets via Amazon", email) is reads_back
