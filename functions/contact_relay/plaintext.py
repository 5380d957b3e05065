"""Reduce a buyer's message to plain text: no markup, no links, no control characters.

Validation rejects; reduction rewrites. This module never refuses a message: it returns what is
left and says what it took out, and the service decides what an empty or link-bearing result means.

Steps, in order:
1. markup is removed with its text kept (script, style, comments dropped with their content);
2. character references are decoded once, and the result is stripped of markup again, so an
   encoded `&lt;script&gt;` never survives as a tag;
3. line breaks become `\\n`; other control characters and bidi controls are removed;
4. every link becomes `[link removed]` (see `links` for what counts as one).
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from contact_relay.links import find_links, remove_links
from contact_relay.markup import strip_markup
from contact_relay.text_rules import BIDI_CONTROLS

_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
_KEPT_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True, slots=True)
class PlainText:
    text: str
    links_removed: int
    markup_removed: bool


def reduce_to_plain_text(message: str) -> PlainText:
    first_pass = strip_markup(message)
    decoded = html.unescape(first_pass.text) if "&" in first_pass.text else first_pass.text
    second_pass = strip_markup(decoded)
    cleaned = _clean_characters(second_pass.text)
    text, links = remove_links(cleaned)
    return PlainText(
        text=text,
        links_removed=links,
        markup_removed=first_pass.markup_removed or second_pass.markup_removed,
    )


def holds_link(text: str) -> bool:
    return bool(find_links(text))


def _clean_characters(text: str) -> str:
    for line_break, newline in _LINE_BREAKS.items():
        if line_break in text:
            text = text.replace(line_break, newline)
    if text.isascii() and text.isprintable():
        return text
    return "".join(char for char in text if _is_kept(char))


def _is_kept(char: str) -> bool:
    if char in _KEPT_CONTROLS:
        return True
    if char in BIDI_CONTROLS:
        return False
    return unicodedata.category(char) not in {"Cc", "Cs", "Co", "Cn"}
