"""Plain-text reduction: markup out with its text kept, links out, honest text untouched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_relay.links import LINK_PLACEHOLDER, find_links
from contact_relay.plaintext import reduce_to_plain_text

L = LINK_PLACEHOLDER

MARKUP = [
    ("<b>fast</b> shipping", "fast shipping"),
    ("<p>Hello</p><p>there</p>", "\nHello\nthere"),
    ("line<br>break", "line\nbreak"),
    ("<script>alert(1)</script>Hi", "Hi"),
    ("<SCRIPT type='text/javascript'>x()</SCRIPT>Hi", "Hi"),
    ("<style>p {color: red}</style>Hi", "Hi"),
    ("a<!-- hidden -->b", "ab"),
    ("a<![CDATA[ <b>x</b> ]]>b", "ab"),
    ("<!--[if IE]><b>old</b><![endif]-->ok", "ok"),
    ("<img src=x onerror=alert(1)", ""),
    ("<img src=x onerror=alert(1)>after", "after"),
    ('<a href="javascript:alert(1)">click</a>', "click"),
    ("<svg><script>evil()</script></svg>ok", "ok"),
    ("<math><mi>x</mi></math>", "x"),
    ("<my-widget data-x=1>text</my-widget>", "text"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;ok", "ok"),
    ("&lt;b&gt;bold&lt;/b&gt;", "bold"),
    ("<!DOCTYPE html><html><body>Hi</body></html>", "Hi"),
    ("<?xml version='1.0'?>Hi", "Hi"),
]

LINKS = [
    "http://evil.example/path",
    "https://evil.example",
    "ftp://files.example.org",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "mailto:someone@example.com",
    "//evil.example.com/x",
    "www.example.com",
    "example.com",
    "shop.example.co.jp/item?id=1",
    "user@evil.example.com",
    "192.168.10.1",
    "0xC0.0xA8.0x0.0x1",
    "0300.0250.0.01",
    "http://3232235777",
    "http://[2001:db8::1]/",
    "hxxp://evil.example",
    "example[.]com",
    "example(.)com",
    "example{.}com",
    "example[dot]com",
    "http[:]//evil.example",
    "ttp://2ch.example.net",
    "ｅｘａｍｐｌｅ．ｃｏｍ",
    "example。com",
    "example．com",
    "exa\u200bmple.com",
    "exa\u00admple.com",
    "exam\ufeffple.com",
    "ехаmple.com",
    "ⓔⓧⓐⓜⓟⓛⓔ.ⓒⓞⓜ",
    "𝐞𝐱𝐚𝐦𝐩𝐥𝐞.𝐜𝐨𝐦",
    "xn--e1afmkfd.xn--p1ai",
    "例え.jp",
]

HONEST = [
    "Hello, when will order 503-1234567-1234567 ship?",
    "It costs $19.99, e.g. the blue one... arriving at 10:30.",
    "Version v2.0 or 3.14 works; ASIN B08N5WRWNW.",
    "Thanks.Regards",
    "a<b and c>d",
    "I <3 this kettle -> best",
    "Tom & Jerry",
    "＜重要＞ 配送について。よろしくお願いします！",
    "ｶﾀｶﾅ ①㈱ 〜 葛󠄀",
    "👨‍👩‍👧 👍🏽 🇯🇵",
    "> quoted line\n> another",
    "Tab\tseparated\nlines",
    "5 < 6 and 7 > 3",
    "Size: 10.5 x 20.25 cm",
    "Parts 1.2.3.4567 and 999.1.1.1 fit",
]


@pytest.mark.parametrize(("given_text", "expected"), MARKUP)
def test_markup_is_removed_and_its_text_kept(given_text: str, expected: str) -> None:
    reduced = reduce_to_plain_text(given_text)

    assert reduced.text == expected
    assert reduced.markup_removed


@pytest.mark.parametrize("link", LINKS)
def test_every_link_becomes_the_placeholder(link: str) -> None:
    reduced = reduce_to_plain_text(f"Please see {link} today")

    assert reduced.text == f"Please see {L} today"
    assert reduced.links_removed == 1


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_survives_exactly(text: str) -> None:
    reduced = reduce_to_plain_text(text)

    assert reduced.text == text
    assert (reduced.links_removed, reduced.markup_removed) == (0, False)


def test_a_link_split_by_markup_is_caught_once_joined() -> None:
    assert reduce_to_plain_text("exa<b></b>mple.com").text == L


def test_a_link_inside_japanese_text_is_removed_without_the_words_around_it() -> None:
    assert (
        reduce_to_plain_text("詳細はexample.comをご覧ください").text == f"詳細は{L}をご覧ください"
    )


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("a\r\nb\rc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),
        ("bell\x07 null\x00 esc\x1b del\x7f", "bell null esc del"),
        ("right\u202eto\u202dleft\u2066iso\u2069", "righttoleftiso"),
        ("&#7;&#x202E;x", "x"),
    ],
)
def test_control_characters_and_bidi_overrides_go_and_newlines_are_normalised(
    given_text: str, expected: str
) -> None:
    assert reduce_to_plain_text(given_text).text == expected


def test_entities_are_decoded_once() -> None:
    assert reduce_to_plain_text("Tom &amp; Jerry &copy; 2026").text == "Tom & Jerry © 2026"


_PIECES = st.sampled_from(
    [
        *"abcxyz019 .,:;/@<>&#[]()-_\n",
        "example.com",
        "www.",
        "http://",
        "&amp;",
        "&lt;",
        "<b>",
        "</b>",
        "<script>",
        "。",
        "．",
        "\u200b",
        "日本語",
        "🎁",
        "[.]",
        "e.g.",
        "$19.99",
        "10:30",
    ]
)
_MESSAGES = st.lists(_PIECES, max_size=40).map("".join)
_PLAIN_WORDS = st.lists(
    st.sampled_from(
        [
            "hello",
            "注文",
            "🎁",
            "19.99",
            "10:30",
            "e.g.",
            "-",
            "Tom & Jerry",
            "a<b",
            "<3",
            "\n",
            " ",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MESSAGES)
def test_reduction_is_idempotent(message: str) -> None:
    once = reduce_to_plain_text(message).text

    assert reduce_to_plain_text(once).text == once


@settings(max_examples=400, deadline=None)
@given(_MESSAGES)
def test_nothing_the_link_detector_finds_survives(message: str) -> None:
    assert find_links(reduce_to_plain_text(message).text) == []


@settings(max_examples=400, deadline=None)
@given(_PLAIN_WORDS)
def test_text_without_markup_or_links_comes_out_unchanged(message: str) -> None:
    assert reduce_to_plain_text(message).text == message
