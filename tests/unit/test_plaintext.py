"""Plain-text reduction: markup out with its text kept, links out, honest text untouched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_relay.links import LINK_PLACEHOLDER, find_links, top_level_domains
from contact_relay.plaintext import reduce_to_plain_text
from contact_relay_local.reduction_corpus.honest import HONEST
from contact_relay_local.reduction_corpus.links import LINKS, WRAPPED_LINKS
from contact_relay_local.reduction_corpus.markup import CHARACTERS, MARKUP
from tests.support import cases


@pytest.mark.parametrize("link", cases(LINKS))
def test_every_link_becomes_the_placeholder(link: str) -> None:
    reduced = reduce_to_plain_text(f"Please see {link} today")

    assert reduced.text == f"Please see {LINK_PLACEHOLDER} today"
    assert reduced.links_removed == 1


@pytest.mark.parametrize("link", cases(LINKS))
def test_a_link_alone_is_all_removed(link: str) -> None:
    assert reduce_to_plain_text(link).text == LINK_PLACEHOLDER


@pytest.mark.parametrize("case", cases(MARKUP))
def test_markup_is_removed_and_its_text_kept(case: tuple[str, str]) -> None:
    given_text, expected = case

    reduced = reduce_to_plain_text(given_text)

    assert reduced.text == expected
    assert reduced.markup_removed


@pytest.mark.parametrize(("given_text", "expected"), CHARACTERS)
def test_references_are_decoded_and_control_characters_removed(
    given_text: str, expected: str
) -> None:
    reduced = reduce_to_plain_text(given_text)

    assert reduced.text == expected
    assert (reduced.links_removed, reduced.markup_removed) == (0, False)


@pytest.mark.parametrize("text", ["Our R&D; team", "AT&T; bill", "Is &chips; a code?"])
def test_an_ampersand_word_that_names_no_character_stays_as_written(text: str) -> None:
    # Only references that name a character are decoded (make mutate found none of these).
    reduced = reduce_to_plain_text(text)

    assert reduced.text == text
    assert (reduced.links_removed, reduced.markup_removed) == (0, False)


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_survives_exactly(text: str) -> None:
    reduced = reduce_to_plain_text(text)

    assert reduced.text == text
    assert (reduced.links_removed, reduced.markup_removed) == (0, False)


def test_only_real_top_level_domains_end_a_host() -> None:
    domains = top_level_domains()

    assert {"com", "jp", "xn--p1ai", "рф"} <= domains
    # Words of the list file's header were once read as TLDs, and "xn--" decoded to "".
    assert not {"", "the", "of", "last", "rule", "xn--"} & domains
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in domains if name.isascii())


@pytest.mark.parametrize(
    "text",
    [
        "It arrived broken.the box was crushed",
        "I checked the label.their courier is wrong",
        "Please read the manual.last page, section 2",
        "It is in the box[.]",
        "Step 2.Click the button",
        "Q1.Is it new?",
    ],
)
def test_a_dot_before_an_ordinary_word_or_before_nothing_is_not_a_link(text: str) -> None:
    assert reduce_to_plain_text(text).text == text


def test_a_link_split_by_markup_is_caught_once_joined() -> None:
    assert reduce_to_plain_text("exa<b></b>mple.com").text == LINK_PLACEHOLDER
    assert reduce_to_plain_text("ht<i>t</i>ps://evil.example").text == LINK_PLACEHOLDER


@pytest.mark.parametrize(("given_text", "expected"), WRAPPED_LINKS)
def test_the_syntax_around_a_link_stays(given_text: str, expected: str) -> None:
    assert reduce_to_plain_text(given_text).text == expected


def test_the_delivered_text_is_not_folded() -> None:
    text = "ｶﾀｶﾅ and ＡＢＣ and ①, then ｅｘａｍｐｌｅ．ｃｏｍ"

    assert reduce_to_plain_text(text).text == f"ｶﾀｶﾅ and ＡＢＣ and ①, then {LINK_PLACEHOLDER}"


_PIECES = st.sampled_from(
    [
        *"abcxyz019 .,:;/@<>&#[]()-_%\n",
        "example.com", "www.", "http://", "&amp;", "&lt;", "&#46;", "<b>", "</b>", "<script>",
        "<!--", "-->", "。", "．", "\u200b", "\u202e", "日本語", "🎁", "[.]", " dot ", "e.g.",
        "$19.99", "10:30", "com", "jp", "hxxp", "%3C", "%2e", "ⓔ", "Ｗ",
    ]
)  # fmt: skip
_MESSAGES = st.lists(_PIECES, max_size=40).map("".join)
_PLAIN_WORDS = st.lists(
    st.sampled_from(
        ["hello", "注文", "🎁", "19.99", "10:30", "e.g.", "-", "Tom & Jerry", "a<b", "<3", "\n",
         " ", "Thanks.", "Regards", "ありがとう。", "①", "ｶﾀｶﾅ", "503-1234567", "(note)", "[1]",
         "50%"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_MESSAGES)
def test_reduction_is_idempotent(message: str) -> None:
    once = reduce_to_plain_text(message).text

    assert reduce_to_plain_text(once).text == once


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("&amp;amp;amp;#37;3Cb&amp;amp;amp;#37;3E hello", "3Cb%3E hello"),
        ("&amp;amp;amp;lt;b&amp;amp;amp;gt;x", "b>x"),
        ("&" + "amp;" * 5 + " ok", "amp; ok"),
    ],
)
def test_what_could_open_a_tag_after_the_last_round_goes_and_nothing_else(
    given_text: str, expected: str
) -> None:
    # make mutate: `_without_openers` 5, 15 and 17 put something else where `%`, `<` or `&` were.
    assert reduce_to_plain_text(given_text).text == expected


def _nested_links(depth: int) -> str:
    """`e2.c<b<e1.c<b<y.jp<ex>om<ex>om`: each link taken out makes a tag of what held it, and
    each tag taken out joins a link of what stood around it."""
    text = "y.jp"
    for level in range(1, depth + 1):
        text = f"e{level}.c<b<{text}<ex>om"
    return text


@pytest.mark.parametrize("depth", range(1, 8))
def test_links_and_tags_nested_past_the_last_round_leave_neither(depth: int) -> None:
    reduced = reduce_to_plain_text(_nested_links(depth)).text

    assert "<" not in reduced
    assert find_links(reduced) == []
    assert reduce_to_plain_text(reduced).text == reduced


def test_the_clean_up_after_the_last_round_counts_what_it_removes() -> None:
    # Depth 4 spends the four rounds; the clean-up after them removes the fifth link (make
    # mutate: `reduce_to_plain_text` 21-25, in that clean-up, lived, for no test reached it).
    reduced = reduce_to_plain_text(_nested_links(4))

    assert (reduced.text, reduced.links_removed) == (LINK_PLACEHOLDER, 5)


def test_a_link_is_counted_when_a_later_round_finds_none() -> None:
    # `<b<y.jp<ex>` is no tag until the link in it is taken out; the round that then removes
    # the tag finds no link, and the count of the first stands (make mutate: `reduce_to_plain_text`
    # 8 counted only the last round). A count of 0 would let the link past `LINK_POLICY=reject`.
    reduced = reduce_to_plain_text("a <b<y.jp<ex> c")

    assert (reduced.text, reduced.links_removed, reduced.markup_removed) == ("a  c", 1, True)


@pytest.mark.parametrize("depth", range(7))
@pytest.mark.parametrize("tag", ["%3Cb%3Ex%3C/b%3E", "%3Cscript%3Ex%3C/script%3Ey <i>t</i>"])
def test_percent_encoded_markup_nested_past_the_last_round_is_inert_and_stays_so(
    tag: str, depth: int
) -> None:
    # `&amp;` nesting spends a round each, so at some depth the last round decodes `&#37;` into
    # the `%` of a `%3C` that no round is left to read: it must not open a tag on a second
    # reduction either (found while asking why `reduce_to_plain_text` 10 survived make mutate).
    message = tag.replace("%", "&" + "amp;" * depth + "#37;")

    once = reduce_to_plain_text(message).text

    assert reduce_to_plain_text(once).text == once
    assert "<" not in once and "%3c" not in once.lower()


@settings(max_examples=500, deadline=None)
@given(_MESSAGES)
def test_nothing_the_link_detector_finds_survives(message: str) -> None:
    assert find_links(reduce_to_plain_text(message).text) == []


@settings(max_examples=500, deadline=None)
@given(_PLAIN_WORDS)
def test_text_without_markup_or_links_comes_out_unchanged(message: str) -> None:
    assert reduce_to_plain_text(message).text == message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reduces_without_error_to_clean_text(message: str) -> None:
    reduced = reduce_to_plain_text(message).text

    assert "\r" not in reduced and "\x00" not in reduced
    assert find_links(reduced) == []


# The default-ignorable block's first and last code points are unassigned (Cn), so only the
# block's bounds hide them (make mutate: `folding_of` 43 left U+E0000 out).
@pytest.mark.parametrize(
    "hidden",
    ["\U000e0041", "\U000e0020", "\U000e0000", "\U000e0fff", "\ufff9", "\U0001d173", "\U0001bca0"],
)
def test_a_format_character_inside_a_link_hides_nothing(hidden: str) -> None:
    assert reduce_to_plain_text(f"see evil{hidden}.com now").text == f"see {LINK_PLACEHOLDER} now"
