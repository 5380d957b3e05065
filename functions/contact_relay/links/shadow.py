"""How link detection reads a text: its *shadow*, folded and with disguised separators rewritten.

Each character is folded (`folding`), and defanged or percent-encoded separators (`[.]`,
`(dot)`, ` dot `, `[:]`, `hxxp`, `%2e`) are rewritten to what they stand for (`rewrites`),
while every shadow character remembers where it came from. A second reading also maps Cyrillic
and Greek letters that look Latin (`latin_look_alikes`); the first keeps them, so a real
internationalised host (`пример.рф`) is still seen.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import overload

from contact_relay.links.folding import Folding, folding_of
from contact_relay.links.rewrites import FILLER, PERCENT_ESCAPE, rewritten

LINK_PLACEHOLDER = "[link removed]"

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
_CONFUSABLE = re.compile("[" + "".join(chr(code) for code in _CONFUSABLES) + "]")

# What a placeholder reads as: a character that is no part of a label, URL, scheme or space.
WALL = "\x00"
# What `%` reads as where percent-escapes are read undecoded: a wall, but not a placeholder's.
_PERCENT_WALL = "\x02"


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


# The rewrites keep the folded text's length, so shadow position i is text position i unless
# folding changed a length (then `origin` is an `_Origin`).
def _rewritten(folded: str, origin: Sequence[int]) -> Shadow:
    separators = rewritten(folded)
    text = separators.text
    return Shadow(text, origin, separators.weak, FILLER in text, separators.loose, folded)


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
    return "%" in plain.folded and PERCENT_ESCAPE.search(plain.folded) is not None
