"""The character rules: what one line may not hold, and what a message keeps of it."""

from __future__ import annotations

import pytest

from contact_relay.text_rules import (
    clean_message_characters,
    has_forbidden_single_line_character,
    one_line,
)

# Every character either rule names is below U+10000.
BASIC_PLANE = [chr(code) for code in range(0x10000)]


def test_a_message_keeps_every_character_one_line_may_hold() -> None:
    changed = [
        hex(ord(char))
        for char in BASIC_PLANE
        if not has_forbidden_single_line_character(char) and clean_message_characters(char) != char
    ]

    assert changed == []


def test_of_what_one_line_may_not_hold_a_message_keeps_tab_and_line_breaks_only() -> None:
    kept = {
        char: clean_message_characters(char)
        for char in BASIC_PLANE
        if has_forbidden_single_line_character(char) and clean_message_characters(char)
    }

    assert kept == {
        "\t": "\t",
        "\n": "\n",
        "\r": "\n",
        "\x85": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
    }


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("a\r\nb\rc\n\rd", "a\nb\nc\n\nd"),
        ("Ha\u202enako\x00\x7f\ud800", "Hanako"),
        ("\t山田\u2028花子 🎁", "\t山田\n花子 🎁"),
    ],
)
def test_a_message_s_line_breaks_are_written_as_newlines(text: str, cleaned: str) -> None:
    assert clean_message_characters(text) == cleaned


@pytest.mark.parametrize("text", ["Hanako\t", "a\nb", "\x85", "\u2029", "x\u061c", "\udfff"])
def test_one_line_refuses_line_breaks_tabs_bidi_controls_and_lone_surrogates(text: str) -> None:
    assert has_forbidden_single_line_character(text)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("  a \r\n b\tc  ", "a b c"),
        ("a\u2028b\u2029c\x85d\x0be", "a b c d e"),
        ("a\x00b\x1b[31mc\x7f", "ab[31mc"),
        ("a\u202eb\u2066c\u200bd\ufeffe\u00adf\U000e0041g", "abcdefg"),
        ("a \u200b b", "a b"),
        # The joiners stay: Persian and emoji sequences need them.
        ("می\u200cخواهم 👨\u200d👩\u200d👧", "می\u200cخواهم 👨\u200d👩\u200d👧"),
        ("lone \ud800 half", "lone half"),
        ("日本語 🎁", "日本語 🎁"),
    ],
)
def test_one_line_keeps_what_draws_on_one_line(text: str, line: str) -> None:
    assert one_line(text) == line


def test_one_line_leaves_nothing_a_single_line_may_not_hold() -> None:
    text = "".join(BASIC_PLANE)

    line = one_line(text)

    assert not has_forbidden_single_line_character(line)
    assert line == " ".join(line.split())
