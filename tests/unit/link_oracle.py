"""An independent link oracle for the reducer's tests: it shares no code with
`contact_relay.links`, so a test that judges reduced text by it never uses the code under test as
its own oracle.

Two well-kept tools, each reading the text as its own kind of reader would:
- linkify-it-py, a port of the linkifier markdown-it uses, with fuzzy links, emails and IPs on and
  every TLD of `data/tlds.txt` (read here as data: the list is a fact about the world, not code);
- the WHATWG URL parser (ada-url), asked about every `scheme:` in the text and every dotted quad:
  a scheme that opens something (a web scheme with a real host, `javascript:`, `data:` and the
  like, any `name://host`) or an IPv4 host, as a browser parses them, is a link.
Each reads three versions of the text: as delivered; NFKC-folded with invisible characters and
combining marks gone and the ideographic full stop read as a dot (UTS 46, which URL hosts go
through, does the same), which is what a reader's eye does with a full-width `example.com`; and
that folded text with the bracketed defangs of DESIGN.md (`[.]`, `(dot)`, `[at]`, `[:]`, `hxxp`)
read back. The URL parser drops ASCII tab and newline anywhere in a URL, so a scheme's name is
read across them (`java<TAB>script:`).

Where these tools and DESIGN.md legitimately disagree (honest text a tool would take for a link,
or a "link" that opens nothing), the oracle says so at the place, with the reason: see
`_linkified` and `_opens_something`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ada_url
from linkify_it import LinkifyIt

_TLD_FILE = Path(__file__).resolve().parents[2] / "functions/contact_relay/data/tlds.txt"


@cache
def _tld_names() -> frozenset[str]:
    """Every name in the TLD list, in its ASCII (`xn--`) form and its Unicode form."""
    names: set[str] = set()
    for line in _TLD_FILE.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        for name in line.split():
            names.add(name.lower())
            if name.startswith("xn--"):
                names.add(name[4:].encode("ascii").decode("punycode"))
    return frozenset(names)


@cache
def _linkifier() -> LinkifyIt:
    options = {"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True}
    return LinkifyIt(options=options).tlds(sorted(_tld_names()), keep_old=False)


# --- Readings of the text -------------------------------------------------------------------

# Default-ignorable characters outside category Cf (which goes whole): fillers, variation
# selectors, the combining grapheme joiner, the Mongolian and Khmer invisibles.
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
)


def _invisible(char: str) -> bool:
    return char in _IGNORABLE or unicodedata.category(char) in {"Cf", "Mn", "Me"}


def _seen_before(view: str, position: int) -> str:
    """The character a reader sees before `position`, NFKC-folded ("" at the start)."""
    while position > 0 and _invisible(view[position - 1]):
        position -= 1
    return unicodedata.normalize("NFKC", view[position - 1])[-1:] if position > 0 else ""


def _seen_after(view: str, position: int) -> str:
    """The character a reader sees from `position` on, NFKC-folded ("" at the end)."""
    while position < len(view) and _invisible(view[position]):
        position += 1
    return unicodedata.normalize("NFKC", view[position])[:1] if position < len(view) else ""


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if not _invisible(char)).replace("\u3002", ".")


# The defangs DESIGN.md names, bracketed; the plain word `dot` is the product's own heuristic
# (`a polka dot top` is honest), so the oracle does not read it.
_DEFANGS = (
    (re.compile(r" ?[\[({<] ?(?:\.|dot) ?[\])}>] ?", re.IGNORECASE), "."),
    (re.compile(r" ?[\[({<] ?(?:at|@) ?[\])}>] ?", re.IGNORECASE), "@"),
    (re.compile(r"[\[({<] ?:// ?[\])}>]"), "://"),
    (re.compile(r"[\[({<] ?: ?[\])}>]"), ":"),
    (re.compile(r"h(?:xx|\*\*)p", re.IGNORECASE), "http"),
)


def _refanged(text: str) -> str:
    for pattern, replacement in _DEFANGS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, slots=True)
class Sighting:
    """A link one detector saw in one reading of the text."""

    detector: str
    reading: str
    view: str
    start: int
    end: int

    @property
    def link(self) -> str:
        return self.view[self.start : self.end]

    @property
    def before(self) -> str:
        return self.view[max(0, self.start - 16) : self.start]

    @property
    def after(self) -> str:
        return self.view[self.end : self.end + 16]

    def __repr__(self) -> str:
        return f"{self.detector}/{self.reading}: {self.before!r} [{self.link!r}] {self.after!r}"


# --- linkify-it -----------------------------------------------------------------------------

_WORD_HOST = re.compile(r"(?:[\w-]+\.)+[\w-]+\.?")
_RUN_TOGETHER = re.compile(r"(?:[^\W_]+\.)*[^\W_]+\.[A-Z][a-z]+")


def host_of(link: str) -> str:
    """The host of a link as linkify-it returns it (`user@host:port/path`, `//host`, `s://host`)."""
    rest = link.split("://", 1)[1] if "://" in link else link.removeprefix("//")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return authority.rsplit("@", 1)[-1].split(":", 1)[0]


def _linkified(view: str, reading: str) -> list[Sighting]:
    sightings = []
    for match in _linkifier().match(view) or []:
        link = view[match.index : match.last_index]
        host = host_of(link)
        if not (host.startswith("[") or _WORD_HOST.fullmatch(host)):
            # linkify-it takes any symbol for a letter (`🎁.co`, `\u200b.jp` as sent); no mail
            # client and no reader makes a host of those.
            continue
        if link.startswith("//") and not _linkifier().test(host):
            # A protocol-relative reference resolves against a page; in a plain-text email `//i.e`
            # opens nothing unless its host would be a link on its own.
            continue
        if _RUN_TOGETHER.fullmatch(link.rsplit("@", 1)[-1]):
            # Sentences run together (`Hello.My name`, `today.It is`, `item 1.Do this`): words,
            # the last capitalised as a sentence starts; honest text in our corpus. linkify-it
            # reads `my`, `it`, `do` as TLDs; a reader does not.
            continue
        sightings.append(Sighting("linkify", reading, view, match.index, match.last_index))
    return sightings


# --- The WHATWG URL parser --------------------------------------------------------------------

_OPENERS = {"(": ")", "[": "]", "{": "}", "'": "'", '"': '"', "`": "`"}
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
# Schemes whose URL opens something with no host: script, inline documents, mail, local files.
_HOSTLESS_SCHEMES = _SCRIPT_SCHEMES | {"data", "mailto", "file", "view-source"}
_WEB_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "sftp", "ws", "wss"})
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_TAB_NEWLINE = "\t\n\r"
_REMOVE_TAB_NEWLINE = str.maketrans(dict.fromkeys(_TAB_NEWLINE))
# What linkifiers (linkify-it, the product, mail clients) leave off the end of a URL.
_TRAILING = ".,;:!?'\")]}"
_ASCII_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")
_DOTTED_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z0-9-]+")
# An unknown scheme before `//` is one an app could register (`custom-app`, `ms-settings`); a
# dotted or longer run is words glued to a URL (`example.comhttp://`), which linkify-it judges
# with its own rule for where a link may start.
_APP_SCHEME = re.compile(r"[a-z][a-z0-9+-]{0,30}")
_COLON = re.compile(":")
_PAYLOAD = re.compile(r"\S*")


def _starts_a_word(view: str, position: int) -> bool:
    """Whether a scheme may start here: a URL parser reads a scheme from the first letter of a
    token, so what stands before must be no letter, digit or scheme character once folded."""
    if position == 0:
        return True
    before = unicodedata.normalize("NFKC", view[position - 1])[-1:]
    if before in _SCHEME_CHARS or before == "_":
        return False
    return unicodedata.category(before)[0] not in "LNMS" and unicodedata.category(before) != "Cf"


def _opens_something(scheme: str, payload: str, url: ada_url.URL) -> bool:
    if scheme in _SCRIPT_SCHEMES:
        # `javascript:)x`, `javascript:<` or `javascript:'x` (the link a reader follows ends at a
        # space) is a syntax error, not a program.
        payload = unicodedata.normalize("NFKC", payload).lstrip("!+-~")
        first = payload[:1]
        if first in _OPENERS:
            return _OPENERS[first] in payload[1:]
        return first.isalnum() or (first != "" and first in "/$_%\\")
    if scheme in _HOSTLESS_SCHEMES:
        # `mailto:)` addresses no one; `data:` without a comma is refused by the data: URL
        # processor (`Data:10:30` is a time, and opens nothing).
        if scheme == "data":
            return "," in payload and re.match(r"[A-Za-z0-9,%]", payload) is not None
        return (
            re.match(r"[A-Za-z0-9%/]" if scheme == "file" else r"[A-Za-z0-9%]", payload) is not None
        )
    if url.host_type != ada_url.HostType.DEFAULT:
        return True  # an IPv4 or IPv6 address
    host = url.hostname.rstrip(".")
    if payload.startswith("//"):
        # `name://host`: any authority a person could type back in.
        return _ASCII_HOST.fullmatch(host) is not None
    # `http:本` or `ftp:o` parse, to a host no one owns: only a real TLD makes them a place.
    return _DOTTED_HOST.fullmatch(host) is not None and host.rsplit(".", 1)[-1] in _tld_names()


def _scheme_sightings(view: str, reading: str) -> list[Sighting]:
    sightings = []
    for colon in (match.start() for match in _COLON.finditer(view)):
        word = _PAYLOAD.match(view, colon + 1)
        payload = word.group().rstrip(_TRAILING) if word else ""
        if not payload:
            continue  # `mailto:` or `Note:` with nothing after opens nothing
        run = colon
        while run > 0 and (view[run - 1] in _SCHEME_CHARS or view[run - 1] in _TAB_NEWLINE):
            run -= 1
        # A scheme starts where the run starts, or after a tab or newline inside it (the parser
        # drops those, but a person also reads a new line as a new word).
        starts = [
            start
            for start in range(run, colon)
            if view[start].isascii()
            and view[start].isalpha()
            and (_starts_a_word(view, start) if start == run else view[start - 1] in _TAB_NEWLINE)
        ]
        for start in starts:
            url_text = view[start : colon + 1 + len(payload)].translate(_REMOVE_TAB_NEWLINE)
            scheme = url_text.split(":", 1)[0].lower()
            known = scheme in _HOSTLESS_SCHEMES or scheme in _WEB_SCHEMES
            if not known and not (payload.startswith("//") and _APP_SCHEME.fullmatch(scheme)):
                continue
            try:
                url = ada_url.URL(url_text)
            except ValueError:
                continue
            if _opens_something(scheme, payload, url):
                sightings.append(Sighting("url", reading, view, start, colon + 1 + len(payload)))
    return sightings


# A dotted quad standing as a word of its own (`.` before it makes it part of a longer name);
# the parser decides whether it is an IPv4 host (decimal, octal or hex parts, each in range:
# `999.1.1.1` and `1.2.3.4567` are not).
_DOTTED_QUAD = re.compile(r"(?<![\w.])[0-9A-Za-z]+(?:\.[0-9A-Za-z]+){3}(?![\w]|\.\w)")


def _ipv4_sightings(view: str, reading: str) -> list[Sighting]:
    sightings = []
    for match in _DOTTED_QUAD.finditer(view):
        before, after = _seen_before(view, match.start()), _seen_after(view, match.end())
        if before.isalnum() or before in (".", "_") or after.isalnum() or after == "_":
            continue  # as sent, `Ｗ1.2.3.4`, `1.2.3.4ⓔ`, `a\u200b1.2.3.4`: a word with letters
        try:
            url = ada_url.URL("http://" + match.group())
        except ValueError:
            continue
        if url.host_type == ada_url.HostType.IPV4:
            sightings.append(Sighting("ipv4", reading, view, match.start(), match.end()))
    return sightings


def links_seen(text: str) -> list[Sighting]:
    """Every link the oracle sees in any reading of `text`."""
    # As sent, only the URL parser looks: linkify-it would take an invisible character for a
    # letter of a host (`\u200b.jp`), where a reader sees nothing at all. (Folding makes a dot of
    # the ideographic full stop, which in `ありがとう。1.2.3.4` ends a sentence, not a label.)
    sightings = _scheme_sightings(text, "as sent") + _ipv4_sightings(text, "as sent")
    folded = _folded(text)
    readings = [("folded", folded)]
    refanged = _refanged(folded)
    if refanged != folded:
        readings.append(("refanged", refanged))
    for reading, view in readings:
        sightings += _linkified(view, reading)
        sightings += _scheme_sightings(view, reading)
        sightings += _ipv4_sightings(view, reading)
    return sightings
