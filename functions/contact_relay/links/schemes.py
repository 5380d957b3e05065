"""Scheme URLs (`https:`, `javascript:`, any `name://`, defanged `hxxp:`) and bracketed IPv6
addresses in a shadow."""

from __future__ import annotations

import re

from contact_relay.links.rewrites import FILLER
from contact_relay.links.urls import link_start, url_end

_SCHEMES = frozenset(
    """http https ftp ftps sftp file javascript vbscript livescript data mailto ssh telnet irc ircs
    magnet ws wss intent market itms itms-apps itms-services webcal ldap rtsp gopher view-source
    blob jar smb nntp jnlp ms-settings ms-word ms-excel search-ms hxxp hxxps ttp ttps fxp""".split()
)
# Schemes whose colon is also common in ordinary text ("Data: 10:30"): the link needs more.
_SCHEMES_NEEDING_A_LETTER = frozenset({"data", "file", "jar", "blob"})
# A scheme's name, read as a URL parser reads it: tab and newline removed anywhere in it
# (`java<TAB>script:`), fillers read through (`%6Aavascript:`). It may follow a dot, a hyphen or
# a rewritten separator (`Thanks.mailto:`, `see [.] javascript:`): where the run holds more than
# a name, `_scheme_start` finds the one that ends at the colon.
_SCHEME_USE = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9+.\x01\t\n-]{0,40}+:(?=\S)")
# The most a match of it holds, with its colon and the character after.
_LONGEST_NAME = 43
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


def scheme_links(text: str, low: int, high: int, until: int, most: int) -> list[tuple[int, int]]:
    """Scheme URLs: a reader (see `_Reader`)."""
    links: list[tuple[int, int]] = []
    # A name split by a tab or a newline may start before the window (which starts after one);
    # a match may run on past `high`, never start there.
    previous_end = max(low - _LONGEST_NAME, 0)
    stop = min(high, until)
    for match in _SCHEME_USE.finditer(text, previous_end, high + _LONGEST_NAME):
        if match.start() < previous_end:
            continue
        if match.start() >= stop or len(links) == most:
            break
        colon = match.end() - 1
        name = match.group()[:-1]
        known = _KNOWN_NAME_AT_END.search(name)
        gapped = _GAP_OR_FILLER.search(name) is not None
        # Read through fillers: a defanged colon leaves some (`custom-app[:]//`).
        after = text[colon + 1 : colon + 40].replace(FILLER, "")
        if not after.startswith("//") and known is None and not gapped:
            continue  # most colons in prose (`Re:Hello`, `a.co:`): no scheme ends there
        end = url_end(text, colon + 1)
        if (
            end == colon + 1
            and known is not None
            and not gapped
            and known.group().lstrip(".+-") not in _SCRIPT_SCHEMES
        ):
            continue  # `ws:)`: nothing follows that a URL holds, and no script runs on anyway
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


def ipv6_links(text: str, low: int, high: int, until: int, most: int) -> list[tuple[int, int]]:
    """Bracketed IPv6 addresses: a reader (see `_Reader`)."""
    links: list[tuple[int, int]] = []
    previous_end = low
    for match in _IPV6_LITERAL.finditer(text, low, high + 64):
        if match.start() < previous_end or match.group().count(":") < 2:
            continue  # inside the link found last, or too few colons for an address
        if match.start() >= min(high, until) or len(links) == most:
            break
        end = max(url_end(text, match.end()), match.end())
        links.append((link_start(text, match.start(), low), end))
        previous_end = end
    return links
