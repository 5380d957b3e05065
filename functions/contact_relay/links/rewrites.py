"""The rewrites of a folded text's disguised separators: each defanged, bracketed, spelled-out,
percent-encoded or letter-by-letter form written as what it stands for, at its own place."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_DEFANGED_BRACKETS = {
    ".": ".", "dot": ".", "at": "@", "@": "@", ":": ":", "://": "://", "/": "/",
}  # fmt: skip

# Every pattern below is linear: possessive quantifiers, bounded repetition, and lookbehinds
# that stop a match from starting inside a run another attempt has already read.
# Rewrites keep the text as long as it was: what a defanged or percent-encoded separator
# stands for is written at its place and the rest of its characters become FILLER, which the
# label, URL and scheme patterns read through. So position i of the rewritten text is position
# i of the folded one.
FILLER = "\x01"
# Percent-escapes worth decoding: those of characters a host, scheme or path is made of.
_PERCENT_DECODED = {
    f"{ord(char):02x}": char.lower()
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./:@-_~?#=&%"
}
PERCENT_ESCAPE = re.compile(r"%(?P<hex>" + "|".join(sorted(_PERCENT_DECODED)) + ")")
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
    ("percent_escape", PERCENT_ESCAPE, ("%",)),
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


@dataclass(frozen=True, slots=True)
class Rewritten:
    """A folded text with its disguised separators rewritten.

    `weak` holds the positions of dots that came from a plain spelled-out word, `loose` those
    of them with a space after them only."""

    text: str
    weak: frozenset[int]
    loose: frozenset[int]


def rewritten(text: str) -> Rewritten:
    """`text` (folded) with each disguised separator written as what it stands for."""
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
    for name, pattern, hints in _REWRITES:
        if any(hint in text for hint in hints):
            text = pattern.sub(replacements[name], text)
    return Rewritten(text, frozenset(weak), frozenset(loose))


def _unspaced(match: re.Match[str]) -> str:
    return match.group().replace(" ", FILLER)


def _percent_decoded(match: re.Match[str]) -> str:
    return _PERCENT_REPLACEMENTS[match.group()]


def _bracket_meaning(match: re.Match[str]) -> str:
    return _DEFANGED_BRACKETS[match.group("bracketed")].ljust(match.end() - match.start(), FILLER)
