"""How link detection reads a text: its *shadow*, folded and with disguised separators rewritten.

Each character is folded (NFKC, lower case, look-alike dots, colons and slashes, enclosed and
regional-indicator letters), invisible characters are left out, and defanged or percent-encoded
separators (`[.]`, `(dot)`, ` dot `, `[:]`, `hxxp`, `%2e`) are rewritten to what they stand for,
while every shadow character remembers where it came from. A second reading also maps Cyrillic
and Greek letters that look Latin (`latin_look_alikes`); the first keeps them, so a real
internationalised host (`пример.рф`) is still seen.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import overload

LINK_PLACEHOLDER = "[link removed]"

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
# Letters that look Latin; used only in the second shadow.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ӏ": "l", "ԛ": "q", "ԝ": "w", "һ": "h", "ь": "b", "α": "a", "ο": "o", "ν": "v",
        "ρ": "p", "τ": "t", "ι": "i", "κ": "k", "ε": "e", "υ": "u", "χ": "x", "ϲ": "c", "ς": "c",
        "ϳ": "j", "ɑ": "a", "ɡ": "g", "ı": "i", "ȷ": "j", "ɩ": "i", "ʋ": "u", "ո": "n",
        "օ": "o", "ս": "u", "հ": "h", "ѵ": "v", "ѡ": "w", "ԍ": "g",
    }
)  # fmt: skip
_DEFANGED_BRACKETS = {
    ".": ".", "dot": ".", "at": "@", "@": "@", ":": ":", "://": "://", "/": "/",
}  # fmt: skip


# Every pattern below is linear: possessive quantifiers, bounded repetition, and lookbehinds
# that stop a match from starting inside a run another attempt has already read.
# Rewrites keep the shadow as long as the text: what a defanged or percent-encoded separator
# stands for is written at its place and the rest of its characters become FILLER, which the
# label, URL and scheme patterns read through. So shadow position i is text position i, unless
# NFKC folding changed a length (then `Shadow.origin` maps back).
FILLER = "\x01"
# What a placeholder reads as: a character that is no part of a label, URL, scheme or space.
WALL = "\x00"
# What `%` reads as where percent-escapes are read undecoded: a wall, but not a placeholder's.
_PERCENT_WALL = "\x02"
# Percent-escapes worth decoding: those of characters a host, scheme or path is made of.
_PERCENT_DECODED = {
    f"{ord(char):02x}": char.lower()
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./:@-_~?#=&%"
}
_PERCENT_ESCAPE = re.compile(r"%(?P<hex>" + "|".join(sorted(_PERCENT_DECODED)) + ")")
_PERCENT_REPLACEMENTS = {f"%{code}": char + FILLER * 2 for code, char in _PERCENT_DECODED.items()}
# Each rewrite: its name, its pattern, and strings one of which a text must hold for the pattern
# to be worth running. They run in this order, each over what the one before wrote.
_REWRITES = (
    # A link spelled out a character at a time (`e x a m p l e . c o m`, `h t t p : / / ...`):
    # the spaces go. It starts only where such a run starts, so each run is read once, and each
    # of its characters stands alone: the `m` of `paypal.com a s a p : )`, written with a Cyrillic
    # `o`, ends a word, and gluing it to the letters after would hide the host.
    (
        "letter_by_letter",
        re.compile(
            r"(?<![\w:/.])(?<![^\w:/.][a-z0-9:/.] )(?<!^[a-z0-9:/.] )(?![a-z0-9:/.][\w:/.])"
            r"(?P<spaced>[a-z0-9:/.](?: [a-z0-9:/.](?![\w:/.])){5,}+)"
        ),
        (" . ", " : "),
    ),
    ("percent_escape", _PERCENT_ESCAPE, ("%",)),
    (
        "bracketed_separator",
        re.compile(r"(?<! ) *+[\[({<] ?(?P<bracketed>\.|dot|at|@|:|://|/) ?[\])}>] *+"),
        tuple("[({<"),
    ),
    ("defanged_http", re.compile(r"h(?:xx|\*\*|xt|tx)p"), ("hxxp", "h**p", "hxtp", "htxp")),
    # A dot with a space after it only (`evil. com`) is `loose`: most often a sentence's end.
    # Starts with a literal dot, so the engine skips to dots instead of trying every position.
    # A tab is a space to whoever reads it (`evil<TAB>.com`).
    (
        "dot_then_space_before_com",
        re.compile(r"(?P<loose>\.(?<=[a-z0-9]\.)[ \t]++)(?=com(?![a-z0-9-]))"),
        (". ", ".\t"),
    ),
    # ` dot `, and a dot with a space before it or on both sides (`evil .com`, `evil . com`).
    (
        "spelled_dot",
        re.compile(r"(?<=[a-z0-9])(?P<spelled>[ \t]++dot[ \t]++|[ \t]++\.[ \t]*+)(?=[a-z0-9])"),
        (" dot", " .", "\tdot", "\t."),
    ),
)
_CONFUSABLE = re.compile("[" + "".join(chr(code) for code in _CONFUSABLES) + "]")


@dataclass(frozen=True, slots=True)
class Shadow:
    """A folded copy of a text; `origin[i]` is the index in the text of shadow character i.

    `weak` holds the shadow positions of dots that came from a plain spelled-out word.
    """

    text: str
    origin: Sequence[int]
    weak: frozenset[int]
    filled: bool = False  # whether FILLER stands anywhere in `text`
    loose: frozenset[int] = frozenset()  # weak dots with a space after them only
    folded: str = ""  # `text` before the rewrites


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


def shadow_of(text: str, folding: Folding | None = None) -> Shadow:
    """The folded shadow of `text`, with defanged and percent-encoded separators rewritten.

    `folding` is that of this text or of one it was made from by taking links out."""
    text = _walled(text)
    if text.isascii():
        return _rewritten(text.lower(), range(len(text)))
    folding = folding or folding_of(text)
    folded = text.translate(folding.table)
    if not folding.lengths:
        return _rewritten(folded, range(len(text)))
    return _rewritten(folded, _Origin(text, folding.lengths))


def undecoded_reading(plain: Shadow) -> Shadow:
    """The plain shadow rewritten again with `%` as a wall, so no escape is decoded:
    `evil.co%6do` decodes to no host, but a reader sees `evil.co`."""
    return _rewritten(plain.folded.replace("%", _PERCENT_WALL), plain.origin)


def _walled(text: str) -> str:
    # The characters the shadow gives a meaning of its own stand for nothing in the text.
    for char in (FILLER, WALL, _PERCENT_WALL):
        if char in text:
            text = text.replace(char, " ")
    if LINK_PLACEHOLDER in text:
        # What was taken out reads as a wall no pattern reads through, never as part of a link
        # (`http://&[link removed]`) nor as a gap a spelled-out host spans (`a dot [...] jp`).
        text = text.replace(LINK_PLACEHOLDER, WALL * len(LINK_PLACEHOLDER))
    return text


class _Origin(Sequence[int]):
    """Where each shadow character comes from, when some character folds to none or several:
    the first text character whose fold ends past it (`ends[i]`: where character i's does).

    Built on first use: most texts hold no link, and then nothing needs mapping back."""

    def __init__(self, text: str, lengths: dict[str, int]) -> None:
        self._text = text
        self._lengths = lengths
        self._ends: list[int] | None = None

    def _built(self) -> list[int]:
        if self._ends is None:
            self._ends = list(accumulate(map(self._lengths.get, self._text, repeat(1))))
        return self._ends

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        length = len(self)
        if not -length <= index < length:
            raise IndexError(index)
        return bisect_right(self._built(), index % length)

    def __len__(self) -> int:
        ends = self._built()
        return ends[-1] if ends else 0


def _rewritten(text: str, origin: Sequence[int]) -> Shadow:
    weak: list[int] = []
    loose: list[int] = []

    def spelled_dot(match: re.Match[str]) -> str:
        weak.append(match.start())
        if match.lastgroup == "loose":
            loose.append(match.start())
        return "." + FILLER * (match.end() - match.start() - 1)  # the label before ends there

    # One replacement per rewrite, each padded with FILLER to its match's length. Hostile text
    # repeats these thousands of times, so each does as little as it can.
    replacements: dict[str, str | Callable[[re.Match[str]], str]] = {
        "letter_by_letter": _unspaced,
        "percent_escape": _percent_decoded,
        "bracketed_separator": _bracket_meaning,
        "defanged_http": "http",
        "dot_then_space_before_com": spelled_dot,
        "spelled_dot": spelled_dot,
    }
    folded = text
    for name, pattern, hints in _REWRITES:
        if any(hint in text for hint in hints):
            text = pattern.sub(replacements[name], text)
    return Shadow(text, origin, frozenset(weak), FILLER in text, frozenset(loose), folded)


def _unspaced(match: re.Match[str]) -> str:
    return match.group().replace(" ", FILLER)


def _percent_decoded(match: re.Match[str]) -> str:
    return _PERCENT_REPLACEMENTS[match.group()]


def _bracket_meaning(match: re.Match[str]) -> str:
    return _DEFANGED_BRACKETS[match.group("bracketed")].ljust(match.end() - match.start(), FILLER)


def latin_look_alikes(plain: Shadow) -> Shadow | None:
    """The shadow with letters that look Latin read as Latin (`раypal.com`), or None when it
    holds none."""
    if plain.text.isascii() or not _CONFUSABLE.search(plain.text):
        return None
    latin = plain.text.translate(_CONFUSABLES)
    return Shadow(latin, plain.origin, plain.weak, plain.filled, plain.loose, plain.folded)


def holds_percent_escape(plain: Shadow) -> bool:
    """Whether the plain shadow decoded an escape (`%2e`, or a full-width `％2e`): then the text
    is read undecoded too."""
    return "%" in plain.folded and _PERCENT_ESCAPE.search(plain.folded) is not None
