"""Find links in text, in any form a mail client would make clickable or a person would follow.

Detection runs on a *shadow* of the text: each character is folded (NFKC, lower case, look-alike
dots, colons and slashes, common Cyrillic and Greek homoglyphs) and invisible characters are left
out, while every shadow character remembers where it came from. Matches found in the shadow are
mapped back, so what is delivered is the buyer's own text minus the links, never a folded copy.

The scanner is hand-written and looks at each character a bounded number of times: linear time,
with no regular expression that could backtrack on hostile input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LINK_PLACEHOLDER = "[link removed]"

# Characters that render as nothing (or as a space) and so can hide inside a link.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u200e"
    "\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07"
    "\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)
# Look-alikes NFKC leaves alone.
_FOLD_EXTRA = {
    "。": ".",
    "｡": ".",
    "․": ".",
    "﹒": ".",
    "∙": ".",
    "∕": "/",
    "⁄": "/",
    "⧸": "/",
    "＼": "\\",
    "꞉": ":",
    "ː": ":",
    "∶": ":",
    # Cyrillic and Greek letters that look Latin.
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ӏ": "l",
    "ԛ": "q",
    "ԝ": "w",
    "α": "a",
    "ο": "o",
    "ν": "v",
    "ρ": "p",
    "τ": "t",
    "ι": "i",
    "κ": "k",
    "ε": "e",
    "υ": "u",
    "χ": "x",
}
# Characters a URL can hold, in the shadow (ASCII after folding), whitespace excluded.
_URL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%{}\\|^")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+.-*")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_SCHEMES = frozenset(
    """http https ftp ftps sftp file javascript vbscript data mailto tel sms callto skype ssh irc
    ircs magnet ws wss intent market itms itms-apps news nntp telnet gopher ldap rtsp webcal
    feed view-source blob about chrome jar hxxp hxxps hxxps ttp ttps fxp h**p h**ps""".split()
)
# Defanged separators, as they appear in the shadow; longest first.
_DEFANGED = (
    ("[dot]", "."),
    ("(dot)", "."),
    ("{dot}", "."),
    ("[.]", "."),
    ("(.)", "."),
    ("{.}", "."),
    ("[:]", ":"),
    ("[://]", "://"),
    ("[/]", "/"),
)
_WRAPPING = "([{<'\"*"
_TRAILING = ".,;:!?)]}>'\"*"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Shadow:
    """A folded copy of a text; `origin[i]` is the index in the text of shadow character i."""

    text: str
    origin: tuple[int, ...]


@lru_cache(maxsize=1)
def top_level_domains() -> frozenset[str]:
    lines = resources.files("contact_relay").joinpath("data/tlds.txt").read_text("utf-8")
    return frozenset(line for line in lines.split() if not line.startswith("#"))


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    extra = _FOLD_EXTRA.get(char)
    if extra is not None:
        return extra
    folded = unicodedata.normalize("NFKC", char).lower()
    return "".join(_FOLD_EXTRA.get(part, part) for part in folded)


def shadow_of(text: str) -> Shadow:
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            pieces.append(char.lower())
            origin.append(index)
        elif char not in _INVISIBLE:
            folded = _fold(char)
            pieces.append(folded)
            origin.extend([index] * len(folded))
    return Shadow("".join(pieces), tuple(origin))


def find_links(text: str) -> list[Span]:
    """Spans of `text` that hold links, in order and not overlapping."""
    shadow = shadow_of(text)
    spans: list[Span] = []
    for start, end in _runs(shadow.text):
        found = _link_in_run(shadow.text[start:end])
        if found is None:
            continue
        link_start, link_end = start + found[0], start + found[1]
        spans.append(Span(shadow.origin[link_start], shadow.origin[link_end - 1] + 1))
    return spans


def remove_links(text: str) -> tuple[str, int]:
    """Replace every link with the placeholder; return the text and how many were replaced."""
    spans = find_links(text)
    if not spans:
        return text, 0
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(LINK_PLACEHOLDER)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces), len(spans)


def _runs(shadow: str) -> list[tuple[int, int]]:
    """Maximal stretches of URL characters, extended back over letters before a leading dot
    (so an internationalised host such as `例え.jp` is one run)."""
    runs: list[tuple[int, int]] = []
    length = len(shadow)
    index = 0
    while index < length:
        if shadow[index] not in _URL_CHARS:
            index += 1
            continue
        start = index
        while index < length and shadow[index] in _URL_CHARS:
            index += 1
        if shadow[start] == "." and start > 0 and shadow[start - 1].isalnum():
            previous_end = runs[-1][1] if runs else 0
            while start > previous_end and shadow[start - 1].isalnum():
                start -= 1
        runs.append((start, index))
    return runs


def _link_in_run(run: str) -> tuple[int, int] | None:
    """Where in this run of URL characters a link starts and ends, if it holds one."""
    start, end = 0, len(run)
    while start < end and run[start] in _WRAPPING:
        start += 1
    while end > start and run[end - 1] in _TRAILING and not _closes_a_bracket(run, start, end):
        end -= 1
    if start >= end:
        return None
    candidate = _undefang(run[start:end])
    if _has_link(candidate):
        return start, end
    return None


def _closes_a_bracket(run: str, start: int, end: int) -> bool:
    """A trailing `)` or `]` that closes one opened inside the candidate belongs to the link."""
    closing = run[end - 1]
    opening = {")": "(", "]": "["}.get(closing)
    if opening is None:
        return False
    inside = run[start:end]
    return inside.count(opening) >= inside.count(closing)


def _undefang(candidate: str) -> str:
    for defanged, plain in _DEFANGED:
        if defanged in candidate:
            candidate = candidate.replace(defanged, plain)
    return candidate


def _has_link(candidate: str) -> bool:
    if "://" in candidate or ":\\\\" in candidate or candidate.startswith(("www.", "//www")):
        return True
    if _has_scheme(candidate):
        return True
    if candidate.startswith("//") and _host_in(candidate[2:]):
        return True
    return _host_in(candidate)


def _has_scheme(candidate: str) -> bool:
    """A known scheme name right before a colon, with something after it (`javascript:x`)."""
    colon = candidate.find(":")
    previous_colon = -1
    while 0 <= colon < len(candidate) - 1:
        start = colon
        while start > previous_colon + 1 and candidate[start - 1] in _SCHEME_CHARS:
            start -= 1
        if candidate[start:colon] in _SCHEMES:
            return True
        previous_colon = colon
        colon = candidate.find(":", colon + 1)
    return False


def _host_in(candidate: str) -> bool:
    """True when some part of the candidate is a host name with a real TLD, or an IP address."""
    for part in _split_any(candidate, "@/?#\\,;!()[]{}'\"=&|"):
        host = part.partition(":")[0].strip(".-")
        if "." in host and (_is_domain(host) or _is_ipv4(host)):
            return True
    return _is_ipv6_literal(candidate)


def _split_any(text: str, separators: str) -> list[str]:
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return text.split(separators[0])


def _is_domain(host: str) -> bool:
    labels = host.split(".")
    tld = labels[-1]
    if not tld.isascii():
        try:
            tld = tld.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    if tld not in top_level_domains():
        return False
    name = labels[-2]
    return bool(name) and all(char in _HOST_CHARS or not char.isascii() for char in name)


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    if len(parts) != 4:
        return False
    return all(_is_ip_number(part) for part in parts)


def _is_ip_number(part: str) -> bool:
    """One part of a dotted IPv4 address, in decimal, octal (leading 0) or hex (0x)."""
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
    return 0 <= value <= 255 and len(part) <= 12


def _is_ipv6_literal(candidate: str) -> bool:
    opening = candidate.find("[")
    closing = candidate.find("]", opening + 1)
    if opening < 0 or closing < 0:
        return False
    inside = candidate[opening + 1 : closing]
    return inside.count(":") >= 2 and all(char in "0123456789abcdef:." for char in inside)
