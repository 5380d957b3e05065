"""Hosts in a shadow: labels joined by dots that end in a real top-level domain, `www.` hosts,
and dotted IPv4 addresses (`addresses`), with the spelled-out and run-together forms that are or
are not hosts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from contact_relay.links.addresses import addresses_in_chain, may_hold_an_address
from contact_relay.links.rewrites import FILLER
from contact_relay.links.shadow import Shadow
from contact_relay.links.urls import link_reach, link_start, url_end

# TLDs a spelled-out host (`example dot com`) is taken to end in.
_SPELLED_TLDS = frozenset("com net org info biz io co jp cn ru uk de fr xyz".split())
# TLDs common in links, never read as the start of a sentence (`Evil.Com`).
_COMMON_TLDS = _SPELLED_TLDS | frozenset("us me ly to tk ml ga cf gq top site online app".split())
_ARTICLES = frozenset({"a", "an", "the"})
# A label is ASCII or not, never both: Japanese runs into a host without a space
# (`詳細はexample.comまで`). Fillers from a rewritten separator may stand in either
# (`shop[.]みんな` reads `shop.\x01\x01みんな`).
_NON_ASCII_LABEL = r"\x01*+(?:[^\W\x00-\x7f]\x01*+)++"
_ASCII_LABEL = r"[a-z0-9_\x01-]++"
_ANY_LABEL = rf"(?:{_NON_ASCII_LABEL}|{_ASCII_LABEL})"
_LABEL = re.compile(_ANY_LABEL)
_CHAIN = re.compile(rf"{_ANY_LABEL}(?:\.{_ANY_LABEL})+")


@lru_cache(maxsize=1)
def top_level_domains() -> frozenset[str]:
    """Every TLD, in its ASCII form and, for internationalised ones, its Unicode form too.

    Comparing Unicode forms spares an IDNA encoding of every label that might be a TLD; the
    data file carries both, so nothing is decoded here.
    """
    # A plain path: importlib.resources costs 6 ms of imports on the first call.
    lines = (Path(__file__).parent.parent / "data" / "tlds.txt").read_text("utf-8")
    # Line by line, so the words of the header's comments are never taken for TLDs.
    return frozenset(
        name for line in lines.splitlines() if not line.startswith("#") for name in line.split()
    )


def host_links(
    shadow: Shadow,
    reversed_text: str,
    original: str,
    read_already: Shadow | None,
    low: int,
    high: int,
    until: int,
    most: int,
) -> list[tuple[int, int]]:
    """Hosts: a reader (see `_Reader`).

    Hosts are found from their dots: each dot is looked at once, each chain of labels read
    once (`reversed_text`, the shadow's text reversed, gives the label before a dot without
    walking back)."""
    text = shadow.text
    length = len(text)
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
        if (
            read_already is not None
            and read_already.text[around] == text[around]
            and _reach_alike(read_already.text, shadow, chain)
        ):
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
                start = link_start(text, host_start, previous_end)
            end = host_end
            if host_end < length and text[host_end] in ":/?#\\":
                end = url_end(text, host_end)
            links.append((start, end))
            previous_end = end
            position = max(position, end)
    return links


def _reach_alike(read_text: str, shadow: Shadow, chain: re.Match[str]) -> bool:
    """Whether a chain that stands alike in two shadows gives the same links in both: it holds
    no host, or the shadows are alike in all that a link through it could take in too.

    In `jpаο[.]jpx...` the chain and a character either side are alike, but the look-alike
    reading starts the link at `jp`, where the plain reading stopped at `ο`."""
    names = _names(shadow, chain.group().split("."))
    if not _may_hold_a_host(chain.group(), names, top_level_domains()):
        return True  # no host in either: most chains, and answered without looking further
    return _alike(read_text, shadow.text, *link_reach(shadow.text, chain.start(), chain.end()))


@lru_cache(maxsize=64)
def _alike(read_text: str, text: str, first: int, last: int) -> bool:
    """Whether two shadows are alike from `first` to `last` and in the character either side.
    The chains of one run of URL characters share their reach, so it is compared once: what a
    reading compares is linear in the text."""
    around = slice(max(first - 1, 0), last + 1)
    return read_text[around] == text[around]


def _hosts_in_chain(
    shadow: Shadow, original: str, chain_start: int, chain: str
) -> list[tuple[int, int]]:
    """The hosts among these dot-separated labels, left to right, as (start, end) positions.

    A chain may hold several (`a.com dot b.com`, `1.2.3.4.evil.com`): a dot that cannot join
    the labels on its two sides into one host (a spelled-out dot before a TLD that spelled-out
    hosts do not use, a sentence's end) separates hosts instead of ending the search.
    """
    labels = chain.split(".")
    names = _names(shadow, labels)
    domains = top_level_domains()
    if not _may_hold_a_host(chain, names, domains):
        return []  # most dots in prose
    starts, ends = _label_bounds(labels, chain_start)
    hosts = addresses_in_chain(names, labels, ends)
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


def _names(shadow: Shadow, labels: list[str]) -> list[str]:
    """The labels as names: without the fillers a rewritten separator left (`shop[.]みんな`)."""
    return [label.replace(FILLER, "") for label in labels] if shadow.filled else labels


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
    """Whether any label could end a host (a TLD), start one (`www`) or be part of an address."""
    return (
        any(name in domains for name in names[1:])
        or "www" in names
        or may_hold_an_address(chain, names)
    )


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
