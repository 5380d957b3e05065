"""Reading a text for links, and taking them out: every reading of its shadow, the runs of
removal, and the bounds that keep what hostile text costs linear and small."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import ne

from contact_relay.links.folding import Folding, folding_of
from contact_relay.links.hosts import host_links
from contact_relay.links.schemes import ipv6_links, scheme_links
from contact_relay.links.shadow import (
    LINK_PLACEHOLDER,
    WALL,
    Shadow,
    holds_percent_escape,
    latin_look_alikes,
    shadow_of,
    undecoded_reading,
)

# A reading stops at this many links, and the text is cut where the last of them starts: no honest
# message holds so many (none of them would reach the seller), and each costs tens of microseconds
# of Python to read, so the cost of any accepted text is bounded (`adversarial_reduction.py`).
MOST_LINKS = 20
# Runs of link removal over its own output before what is left is cut at its first link: two
# are the most any fuzzer needed, and a text built to need more (each removal bringing out
# the next link, `5.ly dot dot com dot dot jp ...`) would have each run read it all again.
MOST_RUNS = 2


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


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
    if latin := latin_look_alikes(plain):
        readings.append((latin, plain, _where_they_differ(latin.text, plain.text, within)))
    if holds_percent_escape(plain):
        undecoded = undecoded_reading(plain)
        readings.append((undecoded, plain, _where_they_differ(undecoded.text, plain.text, within)))
    spans: list[Span] = []
    # Shadow positions are text positions mapped alike in every reading: once one reading cuts
    # the text, the others read only up to the cut.
    cut = length
    for shadow, read_already, windows in readings:
        found, cut = read_shadow(shadow, text, read_already, windows, cut)
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
    `MOST_RUNS`, what is left of a text that still holds a link is cut at its first link.
    """
    total = 0
    # A placeholder is ASCII, so the first text's folding serves every later run.
    folding = None if text.isascii() else folding_of(text)
    fresh: set[int] | None = None
    for _ in range(MOST_RUNS):
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
_WALLS = re.compile(WALL + "{" + str(len(LINK_PLACEHOLDER)) + "}")
_DIFFERING = re.compile(b"\x01+")


def _around_placeholders(shadow_text: str, fresh: set[int]) -> Windows:
    """The windows around the placeholders numbered in `fresh` (every placeholder stands in
    the shadow as a run of walls as long as itself)."""
    changes = [
        (walls.start(), walls.end())
        for number, walls in enumerate(_WALLS.finditer(shadow_text))
        if number in fresh
    ]
    return _windows_around(shadow_text, changes, 0, len(shadow_text))


def _where_they_differ(shadow_text: str, read_text: str, within: Windows) -> Windows:
    """The windows of `shadow_text`, inside `within` (widened to its own white space), whose
    reading may differ from that of `read_text` (as long as it, read already)."""
    windows: Windows = []
    for start, end in _windows_around(shadow_text, within, 0, len(shadow_text)):
        differs = bytes(map(ne, shadow_text[start:end], read_text[start:end]))
        changes = [(start + run.start(), start + run.end()) for run in _DIFFERING.finditer(differs)]
        windows += _windows_around(shadow_text, changes, start, end)
    return windows


# What bounds a window. The shadow holds no other white space: NFKC makes a space of the rest,
# and line breaks other than `\n` are gone before links are read.
_WHITE_SPACE = (" ", "\n", "\t")
# Windows this close are read as one: the few characters between cost less than another call
# of each reader.
_CLOSE = 64


def _windows_around(text: str, changes: Windows, low: int, high: int) -> Windows:
    """Each of `changes` (in order, apart) and `_REACH` further, widened to the white space
    around, within `low` to `high`; windows closer than `_CLOSE` are one.

    No link holds white space but in a scheme's name (`java<TAB>script:`), which the scheme
    reader reads back to from a window's start; so what lies between two white-space characters
    is read whole or not at all. Each character is searched at most once for white space: a
    change inside the window before is passed over, and a search back stops at that window."""
    windows: Windows = []
    for start, end in changes:
        if windows and end + _REACH <= windows[-1][1]:
            continue
        if windows and start - _REACH <= windows[-1][1] + _CLOSE:
            left = windows.pop()[0]
        else:
            floor = windows[-1][1] if windows else low
            before = max(start - _REACH, floor)
            left = max(max(text.rfind(char, floor, before) for char in _WHITE_SPACE) + 1, floor)
        after = min(end + _REACH, high)
        ends = [found for char in _WHITE_SPACE if (found := text.find(char, after, high)) >= 0]
        windows.append((left, min(ends, default=high)))
    return windows


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


def read_shadow(
    shadow: Shadow, original: str, read_already: Shadow | None, windows: Windows, until: int
) -> tuple[list[tuple[int, int]], int]:
    """Links in the windows of one shadow that start before `until`, and where the text is
    cut: `until`, or the start of the link at which a reader found `MOST_LINKS`. Chains of
    labels that stand unchanged in `read_already` were read there already and are passed over."""
    text = shadow.text
    readers: list[_Reader] = []
    if "." in text:
        readers.append(partial(host_links, shadow, text[::-1], original, read_already))
    if ":" in text:
        readers.append(partial(scheme_links, text))
    if "[" in text:
        readers.append(partial(ipv6_links, text))
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
