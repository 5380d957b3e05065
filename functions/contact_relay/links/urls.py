"""Where a link starts and ends around what was found of it: a scheme, a host, an address."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

# What may stand before a host in the same link: scheme, `//`, userinfo (`:` is checked apart).
_LEFT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-._~%@/\\\x01")
# What may follow a host in the same link: port, path, query, fragment.
_TRAILING = ".,;:!?'\"*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_CLOSER = re.compile(r"[)\]}]")
_URL_RUNS = re.compile(r"[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%{}\\|^\x01]++")


def link_start(text: str, host_start: int, limit: int) -> int:
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


def url_end(text: str, position: int) -> int:
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


def link_reach(text: str, start: int, end: int) -> tuple[int, int]:
    """The most that a link holding `text[start:end]` could take in: the run of URL characters
    before `start` (over which `link_start` walks back) and the one from `end` on (which
    `url_end` may cut short), as (first, last + 1)."""
    runs = _url_runs(text)
    return (runs.start_at(start - 1) if start > 0 else 0), runs.end_at(end)


class _UrlRuns:
    """The maximal runs of URL characters in one text, found in one pass."""

    def __init__(self, text: str) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for run in _URL_RUNS.finditer(text):
            self._starts.append(run.start())
            self._ends.append(run.end())

    def start_at(self, position: int) -> int:
        """Where the run that holds `position` starts; past `position` when none holds it."""
        index = self._run_holding(position)
        return position + 1 if index is None else self._starts[index]

    def end_at(self, position: int) -> int:
        """Where the run that holds `position` ends; `position` itself when none holds it."""
        index = self._run_holding(position)
        return position if index is None else self._ends[index]

    def _run_holding(self, position: int) -> int | None:
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ends[index]:
            return index
        return None


@lru_cache(maxsize=4)
def _url_runs(text: str) -> _UrlRuns:
    # A few texts at a time (the shadows of the text being reduced): bounded, whatever comes.
    return _UrlRuns(text)
