"""How link detection folds each character of a text: NFKC and lower case, look-alike separators
as ASCII, enclosed and regional-indicator letters as plain ones, and what renders as nothing left
out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing (or as a space) and so can hide inside a link.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u200e"
    "\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0\U000e0001"
)
# Look-alike separators NFKC leaves alone.
_FOLD_EXTRA = {
    "。": ".", "｡": ".", "․": ".", "﹒": ".", "∙": ".", "·": ".", "⸱": ".", "꘎": ".",
    "・": ".", "･": ".", "‧": ".",
    "∕": "/", "⁄": "/", "⧸": "/", "＼": "\\", "꞉": ":", "ː": ":", "∶": ":", "˸": ":",
}  # fmt: skip
# Combining marks, and format characters (Cf: tag characters, interlinear annotations, joiners)
# which render as nothing; with the default-ignorable block U+E0000-E0FFF, assigned or not.
_HIDDEN_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


@dataclass(frozen=True, slots=True)
class Folding:
    """How link detection reads each character of one text.

    `table` is for `str.translate`: NFKC and lower case, look-alike separators as ASCII,
    enclosed letters as plain ones, invisible characters and combining marks as nothing.
    `lengths` holds the characters whose fold is not one character long (`㏂` is `a.m.`).
    """

    table: dict[int, str]
    lengths: dict[str, int]


def folding_of(text: str) -> Folding:
    """The folding of every character `text` holds.

    Built for each text from the characters it holds, and dropped with it: no table shared
    between requests grows with what strangers send, and the cost is one C-level NFKC pass
    plus a short look at each distinct character. Characters separated by NUL normalise as
    they would alone (NUL is a starter that composes with nothing), so one pass serves all.
    """
    table = dict(_ASCII_LOWER)
    lengths: dict[str, int] = {}
    distinct = [char for char in set(text) if char > "\x7f"]
    if not distinct:
        return Folding(table, lengths)
    joined = unicodedata.normalize("NFKC", "\x00".join(distinct)).lower()
    if _FOLDED_EXTRA.search(joined):
        joined = joined.translate(_EXTRA_TABLE)
    normalised = joined.split("\x00")
    category = unicodedata.category
    for char, folded in zip(distinct, normalised, strict=True):
        if (
            char in INVISIBLE
            or category(char) in _HIDDEN_CATEGORIES
            or "\U000e0000" <= char <= "\U000e0fff"
        ):
            # Invisible (`evil\U000e0041.com`), or a combining mark over a letter of a link
            # (`exámple.com`): either way it hides nothing.
            table[ord(char)] = ""
            lengths[char] = 0
        elif char in _SPECIAL_FOLDS:
            table[ord(char)] = _SPECIAL_FOLDS[char]
        elif folded != char:
            shown = folded
            # Marks a fold brings (`İ` lowers to `i` and a combining dot, `ﾞ` folds to a
            # combining mark, `¨` to a space and one) go, as marks in the text do: folded alone, a
            # mark joins nothing and would break the label it stands in. (A mark is not
            # alphanumeric: most folds are passed over by two C-level checks.)
            if not folded.isascii() and not folded.isalnum():
                shown = "".join(part for part in folded if category(part) not in _HIDDEN_CATEGORIES)
            table[ord(char)] = shown
            if len(shown) != 1:
                lengths[char] = len(shown)
    return Folding(table, lengths)


_EXTRA_TABLE = str.maketrans(_FOLD_EXTRA)
# A translation by dict costs a lookup per character: searched for first, it is mostly spared.
_FOLDED_EXTRA = re.compile("[" + re.escape("".join(_FOLD_EXTRA)) + "]")
# Look-alike separators, and negative circled, negative squared and regional-indicator letters,
# which have no NFKC form.
_SPECIAL_FOLDS = _FOLD_EXTRA | {
    chr(first + offset): chr(ord("a") + offset)
    for first in (0x1F150, 0x1F170, 0x1F1E6)
    for offset in range(26)
}
_ASCII_LOWER = {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
