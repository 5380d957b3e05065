"""Reduce a buyer's message to plain text: no markup, no links, no control characters.

Validation rejects; reduction rewrites. This module never refuses a message: it returns what is
left and says what it took out, and the service decides what an empty or link-bearing result means.

Each round (repeated while it still changes the text, at most four times):
1. line breaks become `\\n`; other control characters and bidi controls are removed;
2. markup is removed with its text kept (script, style, comments dropped with their content);
   percent-encoded markup (`%3Cscript%3E`) is decoded first when that reveals a tag;
3. character references are decoded once (`&amp;` becomes `&`).
Repeating is what re-checks the decoded text: `&lt;script&gt;` or `<scr<b></b>ipt>` never
survives as a tag, however deeply encoded or nested, and reducing twice gives what reducing once
gave. Named references need their `;` (`&copy;`), so `AT&T` and `R&D` are left alone.
Then every link becomes `[link removed]` (see `links` for what counts as one); where taking a
link out leaves something markup removal could still act on, the rounds run again, so reducing
twice gives what reducing once gave.

Text that is none of these is delivered exactly as written: nothing is NFKC-folded or trimmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.entities import html5

from contact_relay.links import remove_links
from contact_relay.markup import strip_markup
from contact_relay.text_rules import clean_message_characters as _clean_characters

_MAX_ROUNDS = 4
# What markup removal or reference decoding could still act on.
_MAY_HOLD_MARKUP = re.compile("[<&]|%3[cCeE]")
# What could still open a tag once the rounds are spent: a `%` run before `3C` goes whole, so
# taking it out cannot make a new `%3C`. Matched only from a run's start: a long run of `%`
# before no `3C` is read once, not once for each `%` in it.
_PERCENT_OPENING_A_TAG = re.compile("(?<!%)%+(?=3[cC])")
# Bounded repetitions only: matching is linear in the text, whatever it holds.
_REFERENCE = re.compile(
    r"&(?:#([0-9]{1,8});?|#[xX]([0-9a-fA-F]{1,7});?|([A-Za-z][A-Za-z0-9]{0,31};))"
)
_PERCENT_CHARS = {
    "%3c": "<",
    "%3e": ">",
    "%2f": "/",
    "%22": '"',
    "%27": "'",
    "%3d": "=",
    "%20": " ",
}


@dataclass(frozen=True, slots=True)
class PlainText:
    text: str
    links_removed: int
    markup_removed: bool


def reduce_to_plain_text(message: str) -> PlainText:
    text, markup_removed = _without_markup(message)
    links = 0
    for _ in range(_MAX_ROUNDS):
        text, found = remove_links(text)
        links += found
        if not found or not _MAY_HOLD_MARKUP.search(text):
            break
        # Taking a link out can change how what was around it reads (`<b'www.x.comonclick=`
        # became `<b'[link removed]=`): read the result again, until it reads the same.
        again, more_markup = _without_markup(text)
        if again == text:
            break
        text, markup_removed = again, markup_removed or more_markup
    else:
        text, found = remove_links(_without_openers(text))
        links += found
    return PlainText(text=text, links_removed=links, markup_removed=markup_removed)


def _without_markup(text: str) -> tuple[str, bool]:
    """Rounds of character cleaning, markup removal and reference decoding, until a round
    changes nothing; and whether any markup was removed."""
    markup_removed = False
    for _ in range(_MAX_ROUNDS):
        cleaned = _clean_characters(text)
        stripped = strip_markup(cleaned)
        if "%3" in cleaned:
            unpercented = strip_markup(_percent_decoded_markup(cleaned))
            if unpercented.markup_removed and not stripped.markup_removed:
                stripped = unpercented
        markup_removed = markup_removed or stripped.markup_removed
        decoded = decode_references(stripped.text)
        if decoded == text:
            return text, markup_removed
        text = decoded
    # Still changing after the last round: nesting built to outlast us.
    return _without_openers(_clean_characters(text)), markup_removed


def _without_openers(text: str) -> str:
    """`text` without what could still open a tag or a reference: `<`, `&` and `%3C`."""
    return _PERCENT_OPENING_A_TAG.sub("", text.replace("<", "").replace("&", ""))


def decode_references(text: str) -> str:
    """Decode HTML character references once: `&#46;`, `&#x2e;`, `&period;`."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(_decoded_reference, text)


def _decoded_reference(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return html5.get(name, match.group())
    value = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if value > 0x10FFFF:
        return ""  # no character has that number
    # NUL and the halves of surrogate pairs go later with every other character that draws
    # nothing (`text_rules`), wherever they came from.
    return chr(value)


def _percent_decoded_markup(text: str) -> str:
    for escape, char in _PERCENT_CHARS.items():
        text = text.replace(escape, char).replace(escape.upper(), char)
    return text
