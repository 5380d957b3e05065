"""Find links in text, in any form a mail client would make clickable or a person would follow.

Detection runs on *shadows* of the text. Each character is folded (NFKC, lower case, look-alike
dots, colons and slashes, enclosed and regional-indicator letters), invisible characters are left
out, and defanged or percent-encoded separators (`[.]`, `(dot)`, ` dot `, `[:]`, `hxxp`, `%2e`)
are rewritten to what they stand for, while every shadow character remembers where it came from.
A second shadow also maps Cyrillic and Greek letters that look Latin (in an otherwise Latin
host); the first
keeps them, so a real internationalised host (`пример.рф`) is still seen. Matches are mapped back,
so what is delivered is the buyer's own text minus the links, never a folded copy.

What counts as a link:
- a known scheme followed by something (`https:`, `javascript:`, `data:`, `mailto:`, defanged
  `hxxp:` and the Japanese `ttp://` habit), or any `name://`;
- a host: labels joined by dots whose last label is a real top-level domain (the ICANN section of
  the Public Suffix List, `data/tlds.txt`), a `www.` host, or a dotted IPv4 address (decimal,
  octal or hex parts); a bracketed IPv6 address;
- with its scheme, userinfo (`user@`, so a bare email address is a link: mail clients make it a
  `mailto:`), port and path.
Spelled-out hosts: `example (dot) com`, `[dot]`, `{dot}` always count; the plain word and a dot
with spaces (`example dot com`, `example . com`) count only before a TLD that links commonly use,
written in lower case, after a word that is not an article; a dot with a space after it only is a
sentence's end unless `com` follows (`evil. com`). So `polka dot top`, `the dot com bubble`,
`See the photo. Info below` and `It broke. me and my wife` survive. A sentence run
into the next without a space (`Thanks.Regards`, `Hello.My name`, `Thank you.Best regards`) is not
a host when the second word is capitalised and the TLD is not one links commonly use.
A link spelled a character at a time (`e x a m p l e . c o m`) is read without its spaces.
Telephone numbers (`TEL:03-1234-5678`) are not links.

Why our own scanner: nh3 (Ammonia) to strip tags, an unescape, and linkify-it-py with the full
TLD list and fuzzy links, emails and IPs on, let 82 of the 169 disguised links in our corpus
through (defanged, look-alike, zero-width, encoded and spelled-out forms are not links to it) and
changed 17 of its 80 honest texts (`Hello.My name` became a link; see
`benchmarks/reducer_baseline.py`; the corpus is the one this scanner was built against, so the
comparison flatters it). The scanner is driven by regular expressions with possessive quantifiers
and by `str` methods, and reads each character a bounded number of times: linear time, with no
pattern that could backtrack on hostile input (`benchmarks/reduction_scaling.py`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, repeat
from operator import ne
from pathlib import Path
from typing import overload

LINK_PLACEHOLDER = "[link removed]"
# A reading stops at this many links, and the text is cut where the last of them starts: no honest
# message holds so many (none of them would reach the seller), and each costs tens of microseconds
# of Python to read, so the cost of any accepted text is bounded (`adversarial_reduction.py`).
MOST_LINKS = 20
# Runs of link removal over its own output; two were the most any fuzzer needed.
_MAX_PASSES = 4

# Characters that render as nothing (or as a space) and so can hide inside a link.
_INVISIBLE = frozenset(
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
# What may stand before a host in the same link: scheme, `//`, userinfo (`:` is checked apart).
_LEFT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-._~%@/\\\x01")
# What may follow a host in the same link: port, path, query, fragment.
_TRAILING = ".,;:!?'\"*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_CLOSER = re.compile(r"[)\]}]")
_DIGIT = re.compile("[0-9]")
_SCHEMES = frozenset(
    """http https ftp ftps sftp file javascript vbscript livescript data mailto ssh telnet irc ircs
    magnet ws wss intent market itms itms-apps itms-services webcal ldap rtsp gopher view-source
    blob jar smb nntp jnlp ms-settings ms-word ms-excel search-ms hxxp hxxps ttp ttps fxp""".split()
)
# Schemes whose colon is also common in ordinary text ("Data: 10:30"): the link needs more.
_SCHEMES_NEEDING_A_LETTER = frozenset({"data", "file", "jar", "blob"})
# TLDs a spelled-out host (`example dot com`) is taken to end in.
_SPELLED_TLDS = frozenset("com net org info biz io co jp cn ru uk de fr xyz".split())
# TLDs common in links, never read as the start of a sentence (`Evil.Com`).
_COMMON_TLDS = _SPELLED_TLDS | frozenset("us me ly to tk ml ga cf gq top site online app".split())
_ARTICLES = frozenset({"a", "an", "the"})
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
_WALL = "\x00"
# What `%` reads as where percent-escapes are read undecoded: a wall, but not a placeholder's.
_PERCENT_WALL = "\x02"
# Percent-escapes worth decoding: those of characters a host, scheme or path is made of.
_PERCENT_DECODED = {
    f"{ord(char):02x}": char.lower()
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./:@-_~?#=&%"
}
_PERCENT_ESCAPE = re.compile(r"%(?P<hex>" + "|".join(sorted(_PERCENT_DECODED)) + ")")
_PERCENT_REPLACEMENTS = {f"%{code}": char + FILLER * 2 for code, char in _PERCENT_DECODED.items()}
_REWRITES = (
    # A link spelled out a character at a time (`e x a m p l e . c o m`, `h t t p : / / ...`):
    # the spaces go. It starts only where such a run starts, so each run is read once.
    (
        "spaced",
        re.compile(
            r"(?<![a-z0-9:/.])(?<![^a-z0-9:/.][a-z0-9:/.] )(?<!^[a-z0-9:/.] )(?![a-z0-9:/.]{2})"
            r"(?P<spaced>[a-z0-9:/.](?: [a-z0-9:/.](?![a-z0-9:/.])){5,}+)"
        ),
    ),
    ("%", _PERCENT_ESCAPE),
    ("[({<", re.compile(r"(?<! ) *+[\[({<] ?(?P<bracketed>\.|dot|at|@|:|://|/) ?[\])}>] *+")),
    ("h", re.compile(r"h(?:xx|\*\*|xt|tx)p")),
    # ` dot `, and a dot with a space before it or on both sides (`evil .com`, `evil . com`);
    # a dot with a space after it only (`evil. com`) is `loose`: most often a sentence's end.
    # Starts with a literal dot, so the engine skips to dots instead of trying every position.
    (". ", re.compile(r"(?P<loose>\.(?<=[a-z0-9]\.) ++)(?=com(?![a-z0-9-]))")),
    (
        " ",
        re.compile(r"(?<=[a-z0-9])(?P<spelled> ++dot ++| ++\. *+)(?=[a-z0-9])"),
    ),
)
_REWRITE_HINTS = {
    "spaced": (" . ", " : "),
    "%": ("%",),
    "[({<": tuple("[({<"),
    "h": ("hxxp", "h**p", "hxtp", "htxp"),
    " ": (" dot", " ."),
    ". ": (". ",),
}
# A label is ASCII or not, never both: Japanese runs into a host without a space
# (`詳細はexample.comまで`). Fillers from a rewritten separator may stand in either
# (`shop[.]みんな` reads `shop.\x01\x01みんな`).
_NON_ASCII_LABEL = r"\x01*+(?:[^\W\x00-\x7f]\x01*+)++"
_ASCII_LABEL = r"[a-z0-9_\x01-]++"
_ANY_LABEL = rf"(?:{_NON_ASCII_LABEL}|{_ASCII_LABEL})"
_LABEL = re.compile(_ANY_LABEL)
_CHAIN = re.compile(rf"{_ANY_LABEL}(?:\.{_ANY_LABEL})+")
_CONFUSABLE = re.compile("[" + "".join(chr(code) for code in _CONFUSABLES) + "]")
# A scheme's name, read as a URL parser reads it: tab and newline removed anywhere in it
# (`java<TAB>script:`), fillers read through (`%6Aavascript:`). It may follow a dot, a hyphen or
# a rewritten separator (`Thanks.mailto:`, `see [.] javascript:`): where the run holds more than
# a name, `_scheme_start` finds the one that ends at the colon.
_SCHEME_USE = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9+.\x01\t\n-]{0,40}+:(?=\S)")
# A known scheme ending a run of name characters, as a whole or after a break (`x.javascript`).
_KNOWN_NAME_AT_END = re.compile(
    r"(?:^|[.+-])(?:"
    + "|".join(sorted((re.escape(name) for name in _SCHEMES), key=len, reverse=True))
    + r")$"
)
_GAP_OR_FILLER = re.compile(r"[\x01\t\n]")
# Where a name may start inside such a run: after dots, pluses, hyphens, fillers and gaps.
_NAME_BREAK = re.compile(r"[.+\x01\t\n-]++")
# Schemes whose URL runs to the next space, whatever it holds: `javascript:'例'+alert(1)` is
# a script even where the URL characters of `_URL_RUNS` stop at once.
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "data"})
_NO_GAPS = str.maketrans(dict.fromkeys((FILLER, "\t", "\n")))
_SPACE = re.compile(r"\s")
_IPV6_LITERAL = re.compile(r"\[[0-9a-f:.\x01]{2,60}+\]")
_URL_RUNS = re.compile(r"[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%{}\\|^\x01]++")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


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


@lru_cache(maxsize=1)
def top_level_domains() -> frozenset[str]:
    """Every TLD, in its ASCII form and, for internationalised ones, its Unicode form too.

    Comparing Unicode forms spares an IDNA encoding of every label that might be a TLD; the
    data file carries both, so nothing is decoded here.
    """
    # A plain path: importlib.resources costs 6 ms of imports on the first call.
    lines = (Path(__file__).parent / "data" / "tlds.txt").read_text("utf-8")
    # Line by line, so the words of the header's comments are never taken for TLDs.
    return frozenset(
        name for line in lines.splitlines() if not line.startswith("#") for name in line.split()
    )


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
            char in _INVISIBLE
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
            table[ord(char)] = folded
            if len(folded) != 1:
                lengths[char] = len(folded)
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


def shadow_of(text: str, folding: Folding | None = None, percent_as_wall: bool = False) -> Shadow:
    """The folded shadow of `text`, with defanged and percent-encoded separators rewritten.

    `folding` is that of this text or of one it was made from by taking links out. With
    `percent_as_wall`, `%` reads as a wall, so nothing is decoded."""
    # The characters the shadow gives a meaning of its own stand for nothing in the text.
    for char in (FILLER, _WALL, _PERCENT_WALL):
        if char in text:
            text = text.replace(char, " ")
    if percent_as_wall:
        text = text.replace("%", _PERCENT_WALL)
    if LINK_PLACEHOLDER in text:
        # What was taken out reads as a wall no pattern reads through, never as part of a link
        # (`http://&[link removed]`) nor as a gap a spelled-out host spans (`a dot [...] jp`).
        text = text.replace(LINK_PLACEHOLDER, _WALL * len(LINK_PLACEHOLDER))
    if text.isascii():
        return _rewritten(text.lower(), range(len(text)))
    if folding is None:
        folding = folding_of(text)
    folded = text.translate(folding.table)
    if not folding.lengths:
        return _rewritten(folded, range(len(text)))
    return _rewritten(folded, _Origin(text, folding.lengths))


class _Origin(Sequence[int]):
    """Where each shadow character comes from, when some character folds to none or several.

    Built on first use: most texts hold no link, and then nothing needs mapping back."""

    def __init__(self, text: str, lengths: dict[str, int]) -> None:
        self._text = text
        self._lengths = lengths
        self._indexes: list[int] | None = None

    def _built(self) -> list[int]:
        if self._indexes is None:
            counts = map(self._lengths.get, self._text, repeat(1))
            self._indexes = list(chain.from_iterable(map(repeat, range(len(self._text)), counts)))
        return self._indexes

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        return self._built()[index]

    def __len__(self) -> int:
        return len(self._built())


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
        "spaced": _unspaced,
        "%": _percent_decoded,
        "[({<": _bracket_meaning,
        "h": "http",
        ". ": spelled_dot,
        " ": spelled_dot,
    }
    for key, pattern in _REWRITES:
        if any(hint in text for hint in _REWRITE_HINTS[key]):
            text = pattern.sub(replacements[key], text)
    return Shadow(text, origin, frozenset(weak), FILLER in text, frozenset(loose))


def _unspaced(match: re.Match[str]) -> str:
    return match.group().replace(" ", FILLER)


def _percent_decoded(match: re.Match[str]) -> str:
    return _PERCENT_REPLACEMENTS[match.group()]


def _bracket_meaning(match: re.Match[str]) -> str:
    return _DEFANGED_BRACKETS[match.group("bracketed")].ljust(match.end() - match.start(), FILLER)


def find_links(text: str) -> list[Span]:
    """Spans of `text` that hold links, in order, merged where they touch."""
    return _find_links(text, None, None)


# Windows of a shadow, as (start, end) positions: where a reading looks for links.
Windows = list[tuple[int, int]]


def _find_links(text: str, folding: Folding | None, fresh: set[int] | None) -> list[Span]:
    """Links in `text`, read everywhere, or (`fresh`: which placeholders, counted from the
    start, the last run of removal put in) only around what that run took out."""
    plain = shadow_of(text, folding)
    length = len(plain.text)
    within = [(0, length)] if fresh is None else _around_placeholders(plain.text, fresh)
    readings: list[tuple[Shadow, Shadow | None, Windows]] = [(plain, None, within)]
    if not plain.text.isascii() and _CONFUSABLE.search(plain.text):
        latin = Shadow(
            plain.text.translate(_CONFUSABLES), plain.origin, plain.weak, plain.filled, plain.loose
        )
        readings.append((latin, plain, _where_they_differ(latin.text, plain.text, within)))
    if "%" in text and _PERCENT_ESCAPE.search(text.lower()):
        # Read without decoding too: `evil.co%6do` decodes to no host, but a reader sees
        # `evil.co`, and `%2E.co` shows `2E.co`.
        undecoded = shadow_of(text, folding, percent_as_wall=True)
        readings.append((undecoded, plain, _where_they_differ(undecoded.text, plain.text, within)))
    spans: list[Span] = []
    # Shadow positions are text positions mapped alike in every reading: once one reading cuts
    # the text, the others read only up to the cut.
    cut = length
    for shadow, read_already, windows in readings:
        found, cut = _links_in_shadow(shadow, text, read_already, windows, cut)
        spans.extend(Span(shadow.origin[start], shadow.origin[end - 1] + 1) for start, end in found)
    if cut < length:
        cut_at = plain.origin[cut]
        spans = [span for span in spans if span.start < cut_at]
        spans.append(Span(cut_at, len(text)))
    return _merged(spans)


def remove_links(text: str) -> tuple[str, int]:
    """Replace every link with the placeholder; return the text and how many were replaced.

    Runs again on its own output until nothing more is found: taking one link out can change
    how the text around it reads (`example.com dot e.g.com(`). A run after the first reads only
    around the placeholders the run before put in: elsewhere the text reads as it did. Past
    `_MAX_PASSES`, what is left of a text that still holds a link is cut at its first link.
    """
    total = 0
    # A placeholder is ASCII, so the first text's folding serves every later run.
    folding = None if text.isascii() else folding_of(text)
    fresh: set[int] | None = None
    for _ in range(_MAX_PASSES):
        spans = _find_links(text, folding, fresh)
        if not spans:
            return text, total
        total += len(spans)
        pieces: list[str] = []
        fresh = set()
        placeholders = 0
        position = 0
        for span in spans:
            before = text[position : span.start]
            # What the buyer typed counts too: the shadow walls every placeholder alike.
            placeholders += before.count(LINK_PLACEHOLDER)
            fresh.add(placeholders)
            placeholders += 1
            pieces.append(before)
            pieces.append(LINK_PLACEHOLDER)
            position = span.end
        pieces.append(text[position:])
        text = "".join(pieces)
    spans = _find_links(text, folding, fresh)
    if spans:
        total += 1
        text = text[: spans[0].start] + LINK_PLACEHOLDER
    return text, total


# How far past a changed character the reading of the text around it can change: the widest
# look-around of a rewrite (`. com`, a spelled-out run's start) and a character on either side.
_REACH = 8
_WALLS = re.compile(_WALL + "{" + str(len(LINK_PLACEHOLDER)) + "}")
_DIFFERING = re.compile(b"\x01+")


def _around_placeholders(shadow_text: str, fresh: set[int]) -> Windows:
    """The windows around the placeholders numbered in `fresh` (every placeholder stands in
    the shadow as a run of walls as long as itself)."""
    windows = [
        _around(shadow_text, walls.start(), walls.end(), 0, len(shadow_text))
        for number, walls in enumerate(_WALLS.finditer(shadow_text))
        if number in fresh
    ]
    return _merged_windows(windows)


def _where_they_differ(shadow_text: str, read_text: str, within: Windows) -> Windows:
    """The windows of `shadow_text`, inside `within` (widened to its own spaces), whose reading
    may differ from that of `read_text` (as long as it, read already)."""
    length = len(shadow_text)
    windows: Windows = []
    for start, end in _merged_windows(
        [_around(shadow_text, *window, 0, length) for window in within]
    ):
        differs = bytes(map(ne, shadow_text[start:end], read_text[start:end]))
        windows.extend(
            _around(shadow_text, start + run.start(), start + run.end(), start, end)
            for run in _DIFFERING.finditer(differs)
        )
    return _merged_windows(windows)


def _around(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """From `start` to `end` and `_REACH` further, widened to the spaces around: no link holds a
    space, so what lies between two spaces is read whole or not at all."""
    left = max(text.rfind(" ", low, max(start - _REACH, low)) + 1, low)
    right = text.find(" ", min(end + _REACH, high), high)
    return left, high if right < 0 else right


def _merged_windows(windows: Windows) -> Windows:
    merged: Windows = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda span: span.start):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


# A reader finds one kind of link in a shadow's text between two positions (`low` to `high`),
# starting before `until`, and stops after `most` of them.
_Reader = Callable[[int, int, int, int], list[tuple[int, int]]]


def _links_in_shadow(
    shadow: Shadow, original: str, read_already: Shadow | None, windows: Windows, until: int
) -> tuple[list[tuple[int, int]], int]:
    """Links in the windows of one shadow that start before `until`, and where the text is
    cut: `until`, or the start of the link at which a reader found `MOST_LINKS`. Chains of
    labels that stand unchanged in `read_already` were read there already and are passed over."""
    text = shadow.text
    readers: list[_Reader] = []
    if "." in text:
        readers.append(partial(_host_links, shadow, original, read_already))
    if ":" in text:
        readers.append(partial(_scheme_links, text))
    if "[" in text:
        readers.append(partial(_ipv6_links, text))
    found: list[tuple[int, int]] = []
    for read in readers:
        links: list[tuple[int, int]] = []
        for low, high in windows:
            if low >= until or len(links) >= MOST_LINKS:
                break
            links += read(low, high, until, MOST_LINKS - len(links))
        if len(links) >= MOST_LINKS:
            until = links[MOST_LINKS - 1][0]
        found += links
    return [link for link in found if link[0] < until], until


def _scheme_links(text: str, low: int, high: int, until: int, most: int) -> list[tuple[int, int]]:
    """Scheme URLs: a reader (see `_Reader`)."""
    links: list[tuple[int, int]] = []
    previous_end = low
    # A match may run on past `high` (a name is at most 41 characters), never start there.
    for match in _SCHEME_USE.finditer(text, low, high + 48):
        if match.start() < previous_end:
            continue
        if match.start() >= min(high, until) or len(links) == most:
            break
        colon = match.end() - 1
        name = match.group()[:-1]
        known = _KNOWN_NAME_AT_END.search(name)
        gapped = _GAP_OR_FILLER.search(name) is not None
        if not text.startswith("//", colon + 1) and known is None and not gapped:
            continue  # most colons in prose (`Re:Hello`, `a.co:`): no scheme ends there
        end = _url_end(text, colon + 1)
        if (
            end == colon + 1
            and known is not None
            and not gapped
            and known.group().lstrip(".+-") not in _SCRIPT_SCHEMES
        ):
            continue  # `ws:)`: nothing follows that a URL holds, and no script runs on anyway
        after = text[colon + 1 : colon + 40].replace(FILLER, "")
        start = _scheme_start(text, match.start(), colon, after.startswith("//"))
        if start is None:
            continue
        name = text[start:colon].translate(_NO_GAPS)
        if name in _SCHEMES_NEEDING_A_LETTER and not (after[:1].isalpha() or after[:1] in ",/"):
            continue
        if end == colon + 1 and name in _SCRIPT_SCHEMES:
            space = _SPACE.search(text, colon + 1)
            end = space.start() if space else len(text)
        if end > colon + 1:
            links.append((start, end))
            previous_end = end
    return links


def _scheme_start(text: str, start: int, colon: int, slashes: bool) -> int | None:
    """Where the scheme that ends at `colon` starts, or None when there is none.

    A URL parser removes tab and newline anywhere in a URL, so a name split by them is read
    whole. Where the run also holds what came before (`Regards<LF>http://`, `x.javascript:`),
    the longest known scheme that starts after a break wins; any name before `//` is a scheme.
    After the colon a tab or newline still ends the link: `Market:<LF>Tokyo` is a heading.
    """
    run = text[start:colon]
    breaks = [
        gap
        for gap in _NAME_BREAK.finditer(run)
        if gap.end() < len(run) and run[gap.end()].isalpha()
    ]
    for candidate in (start, *(start + gap.end() for gap in breaks)):
        if text[candidate:colon].translate(_NO_GAPS) in _SCHEMES:
            return candidate
    if not slashes:
        return None
    # Any name may stand before `//` (`custom-app://`): it starts after the last break that a
    # written name cannot hold.
    gaps = [gap.end() for gap in breaks if gap.group().strip(".+-")]
    return start + gaps[-1] if gaps else start


def _url_end(text: str, position: int) -> int:
    """Where a URL that continues at `position` ends.

    A closing bracket the URL did not open ends it (`(see https://x.example)`, `[url=...]`), and
    trailing punctuation is not part of it. The run of URL characters is looked up, not read
    again: `ws:)` repeated 1,000 times once read the rest of the text at every colon.
    """
    end = _url_runs(text).end_at(position)
    if _CLOSER.search(text, position, end):
        # Only up to the first closer can the URL end unopened; a balanced one is read through.
        depth = dict.fromkeys(_CLOSERS.values(), 0)
        for index in range(position, end):
            char = text[index]
            if char in depth:
                depth[char] += 1
            elif char in _CLOSERS:
                if depth[_CLOSERS[char]] == 0:
                    end = index
                    break
                depth[_CLOSERS[char]] -= 1
    while end > position and text[end - 1] in _TRAILING:
        end -= 1
    return end


class _UrlRuns:
    """The maximal runs of URL characters in one text, found in one pass."""

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for run in _URL_RUNS.finditer(text):
            self._starts.append(run.start())
            self._ends.append(run.end())

    def end_at(self, position: int) -> int:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ends[index]:
            return self._ends[index]
        return position


@lru_cache(maxsize=4)
def _url_runs(text: str) -> _UrlRuns:
    # A few texts at a time (the shadows of the text being reduced): bounded, whatever comes.
    return _UrlRuns(text)


def _host_links(
    shadow: Shadow,
    original: str,
    read_already: Shadow | None,
    low: int,
    high: int,
    until: int,
    most: int,
) -> list[tuple[int, int]]:
    """Hosts: a reader (see `_Reader`).

    Hosts are found from their dots: each dot is looked at once, each chain of labels read
    once (a reversed copy of the text gives the label before a dot without walking back)."""
    text = shadow.text
    length = len(text)
    reversed_text = text[::-1]
    links: list[tuple[int, int]] = []
    previous_end = low
    position = low
    while (dot := text.find(".", position, high)) >= 0:
        before = _LABEL.match(reversed_text, length - dot)
        chain = _CHAIN.match(text, dot - len(before.group())) if before else None
        if chain is None or chain.start() < previous_end:
            position = dot + 1
            continue
        if chain.start() >= until or len(links) >= most:
            break
        position = chain.end()
        around = slice(max(chain.start() - 1, 0), chain.end() + 1)
        if read_already is not None and read_already.text[around] == text[around]:
            continue  # the same labels, bounded alike, in the shadow read already
        hosts = (
            # `name.com` as written: what the full reading gives, at a fraction of its cost (a
            # text can hold hundreds of these).
            [(chain.start(), chain.end())]
            if _plain_two_label_host(shadow, chain.start(), chain.group())
            else _hosts_in_chain(shadow, original, chain.start(), chain.group())
        )
        for host_start, host_end in hosts:
            start = host_start
            if host_start == chain.start():
                start = _link_start(text, host_start, previous_end)
            end = host_end
            if host_end < length and text[host_end] in ":/?#\\":
                end = _url_end(text, host_end)
            links.append((start, end))
            previous_end = end
            position = max(position, end)
    return links


def _link_start(text: str, host_start: int, limit: int) -> int:
    """Walk back from a host over its scheme, `//` and userinfo; a colon belongs to the link
    only in `scheme://` or in `user:password@`."""
    start = host_start
    seen_at = False
    while start > limit:
        char = text[start - 1]
        if char == "@":
            seen_at = True
        elif char == ":":
            if not (seen_at or text.startswith("/", start)):
                break
        elif char not in _LEFT_CHARS:
            break
        start -= 1
    while start < host_start and text[start] in ".-_":
        start += 1
    return start


def _hosts_in_chain(
    shadow: Shadow, original: str, chain_start: int, chain: str
) -> list[tuple[int, int]]:
    """The hosts among these dot-separated labels, left to right, as (start, end) positions.

    A chain may hold several (`a.com dot b.com`, `1.2.3.4.evil.com`): a dot that cannot join
    the labels on its two sides into one host (a spelled-out dot before a TLD that spelled-out
    hosts do not use, a sentence's end) separates hosts instead of ending the search.
    """
    labels = chain.split(".")
    names = [label.replace(FILLER, "") for label in labels] if shadow.filled else labels
    domains = top_level_domains()
    if not _may_hold_a_host(chain, names, domains):
        return []  # most dots in prose
    starts, ends = _label_bounds(labels, chain_start)
    hosts = _addresses_in_chain(names, labels, ends, chain_start)
    # in_address[i]: label i belongs to an address; after_address[i]: the label after the last
    # address that ends before label i (0 if none). A host from a TLD starts after it.
    in_address = [False] * len(names)
    for first_label, _, _ in hosts:
        in_address[first_label : first_label + 4] = [True] * 4
    after_address = [0]
    for index in range(1, len(names)):
        after_address.append(index if in_address[index - 1] and not in_address[index] else 0)
        after_address[index] = max(after_address[index], after_address[index - 1])
    first = after_address[-1] if not in_address[-1] else len(names)
    # `www.` starts a host wherever it stands, and the host runs to the end of the chain.
    www = next(
        (
            index
            for index in range(first, len(names) - 1)
            if names[index] == "www" and names[index + 1].isascii() and names[index + 1].isalnum()
        ),
        len(names),
    )
    found = [(start, end) for _, start, end in hosts]
    if www < len(names):
        found.append((chain_start if www == 0 else starts[www], ends[-1]))
    if not any(name in domains for name in names[1:www]):
        return found  # no label could end a host: most dots in prose (`19.99`, `e.g`)
    # after_weak[i]: the label after the last spelled-out dot before label i (0 if none);
    # after_loose[i]: the same for loose dots (`evil. com`), which are spelled-out dots too.
    after_weak = [0]
    after_loose = [0]
    for index in range(1, len(names)):
        dot = ends[index - 1]
        after_weak.append(index if dot in shadow.weak else after_weak[-1])
        after_loose.append(index if dot in shadow.loose else after_loose[-1])
    limit = www  # a host found already starts at this label: the next ends before it
    for last in range(len(names) - 1, 0, -1):
        tld = names[last]
        if last >= limit or in_address[last] or tld not in domains:
            continue
        start = after_address[last]
        if tld != "com":
            # `It broke. me and my wife`: after a sentence's end only `. com` is a host.
            start = max(start, after_loose[last])
        if after_weak[last] > start and not (
            _spelled_host(names, last, tld)
            and not _written_capitalised(original, shadow, starts[last], ends[last])
        ):
            start = after_weak[last]
        if start >= last or not names[last - 1]:
            continue
        if (
            last == start + 1
            and tld not in _COMMON_TLDS
            and _reads_as_sentence(shadow, original, starts[start], ends[start], ends[last])
        ):
            continue
        found.append((chain_start if start == 0 else starts[start], ends[last]))
        limit = start
    return sorted(found)


def _plain_two_label_host(shadow: Shadow, chain_start: int, chain: str) -> bool:
    """A word, a dot as written, a TLD that never reads as a sentence: a host, no more to ask."""
    first, _, tld = chain.partition(".")
    return (
        bool(first)
        and tld in _COMMON_TLDS
        and FILLER not in first
        and chain_start + len(first) not in shadow.weak
    )


def _label_bounds(labels: list[str], chain_start: int) -> tuple[list[int], list[int]]:
    """Where each label starts (past leading fillers) and ends, as positions in the shadow."""
    starts: list[int] = []
    ends: list[int] = []
    position = chain_start
    for label in labels:
        starts.append(position + len(label) - len(label.lstrip(FILLER)))
        position += len(label)
        ends.append(position)
        position += 1
    return starts, ends


def _may_hold_a_host(chain: str, names: list[str], domains: frozenset[str]) -> bool:
    """Whether any label could end a host (a TLD), start one (`www`) or make an address."""
    return (
        any(name in domains for name in names[1:])
        or "www" in names
        or (
            len(names) >= 4
            and _DIGIT.search(chain) is not None  # every number of an address holds one
            and sum(_is_ip_number(_ip_part(name)) for name in names) >= 4
        )
    )


def _addresses_in_chain(
    names: list[str], labels: list[str], ends: list[int], chain_start: int
) -> list[tuple[int, int, int]]:
    """Dotted IPv4 addresses wherever they stand in a chain, as (first label, start, end):
    one after another (`⒈⒉⒊⒋⒌⒍⒎⒏` reads `1.2.3.4.5.6.7.8`), after a word or a spelled-out
    dot (`x (dot) 1.2.3.4`), and with a hyphen on either side (`10.0.0.1-10.0.0.9`)."""
    addresses: list[tuple[int, int, int]] = []
    index = 0
    while index + 4 <= len(names):
        head, tail = _ip_part(names[index]), _ip_part(names[index + 3])
        if not all(map(_is_ip_number, (head, *names[index + 1 : index + 3], tail))):
            index += 1
            continue
        first_label, last_label = labels[index], labels[index + 3]
        start = ends[index] - len(first_label.lstrip("-_" + FILLER))
        if start == ends[index] - len(first_label) and index == 0:
            start = chain_start  # nothing cut: the link may reach back over a scheme
        end = ends[index + 3]
        if "-" in last_label:
            end = ends[index + 3] - len(last_label) + last_label.index("-")
        addresses.append((index, start, end))
        index += 4
    return addresses


def _written_capitalised(original: str, shadow: Shadow, start: int, end: int) -> bool:
    """Whether the buyer wrote this label as a capitalised word: `the end. Info below` starts a
    sentence, `evil. com` is a host."""
    word = original[shadow.origin[start] : shadow.origin[end - 1] + 1].strip(" .")
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _spelled_host(names: list[str], last: int, tld: str) -> bool:
    """`example dot com` is a host; `a polka dot top` and `the dot com bubble` are not."""
    return tld in _SPELLED_TLDS and names[last - 1] not in _ARTICLES and len(names[last - 1]) > 1


def _reads_as_sentence(
    shadow: Shadow, original: str, start: int, first_end: int, second_end: int
) -> bool:
    """`Hello.My` or `you.Best`: two words, the second capitalised as a sentence starts, and
    nothing around them that a link has. Common link TLDs never read as a sentence (`Evil.Com`)."""
    origin = shadow.origin
    first = original[origin[start] : origin[first_end - 1] + 1]
    second = original[origin[first_end + 1] : origin[second_end - 1] + 1]
    text = shadow.text
    before = text[start - 1] if start > 0 else " "
    after = text[second_end] if second_end < len(text) else " "
    return (
        first.isalnum()
        and second[:1].isupper()
        and second[1:].islower()
        and before not in "/@:"
        and after not in "/:@?#"
    )


def _ip_part(name: str) -> str:
    """The part of a label that may be a number of an address: `-10` and `1-10` hold `10`, `1`."""
    return name.lstrip("-_").split("-", 1)[0]


def _is_ip_number(part: str) -> bool:
    """One part of a dotted IPv4 address, in decimal, octal (leading 0) or hex (0x)."""
    if not part.isascii() or not part or len(part) > 12:
        return False
    try:
        if part.startswith("0x"):
            value = int(part[2:], 16)
        elif part.startswith("0") and len(part) > 1:
            value = int(part[1:], 8)
        elif part.isdigit():
            value = int(part)
        else:
            return False
    except ValueError:
        return False
    return 0 <= value <= 255


def _ipv6_links(text: str, low: int, high: int, until: int, most: int) -> list[tuple[int, int]]:
    """Bracketed IPv6 addresses: a reader (see `_Reader`)."""
    links: list[tuple[int, int]] = []
    previous_end = low
    for match in _IPV6_LITERAL.finditer(text, low, high + 64):
        if match.start() < previous_end or match.group().count(":") < 2:
            continue  # inside the link found last, or too few colons for an address
        if match.start() >= min(high, until) or len(links) == most:
            break
        end = max(_url_end(text, match.end()), match.end())
        links.append((_link_start(text, match.start(), low), end))
        previous_end = end
    return links
