"""The reducer we chose against the best assembled from well-kept libraries, on our corpus.

The baseline: strip tags with nh3 (Ammonia), unescape entities, remove what linkify-it-py finds
(with the full TLD list, fuzzy links, emails and IPs on). It needs packages the project does not
depend on, so it runs in its own environment:

    python3 -m venv /tmp/baseline && /tmp/baseline/bin/pip install -e . nh3 linkify-it-py
    /tmp/baseline/bin/python benchmarks/reducer_baseline.py

It prints how many must-block links each reducer let through and how many honest texts each
damaged, on the corpus the tests use (local/contact_relay_local/reduction_corpus/).
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nh3  # noqa: E402
from linkify_it import LinkifyIt  # noqa: E402
from linkify_it.tlds import TLDS  # noqa: E402

from contact_relay.links import LINK_PLACEHOLDER, top_level_domains  # noqa: E402
from contact_relay.plaintext import reduce_to_plain_text  # noqa: E402
from contact_relay_local.reduction_corpus.honest import HONEST  # noqa: E402
from contact_relay_local.reduction_corpus.links import LINKS  # noqa: E402
from contact_relay_local.reduction_corpus.markup import MARKUP  # noqa: E402

_OPTIONS = {"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True}


def _accepted(tld: str) -> bool:
    """linkify-it-py builds one regular expression from its TLDs; a few break it."""
    try:
        return LinkifyIt(options=_OPTIONS).tlds([tld], keep_old=True).test("a.com") is not None
    except re.error:
        return False


_linkify = LinkifyIt(options=_OPTIONS).tlds(
    sorted(tld for tld in set(TLDS) | top_level_domains() if _accepted(tld)), keep_old=True
)


def baseline(text: str) -> str:
    stripped = html.unescape(nh3.clean(text, tags=set()))
    matches = _linkify.match(stripped) or []
    pieces, position = [], 0
    for match in matches:
        pieces += [stripped[position : match.index], LINK_PLACEHOLDER]
        position = match.last_index
    return "".join([*pieces, stripped[position:]])


def ours(text: str) -> str:
    return reduce_to_plain_text(text).text


def score(reduce: Callable[[str], str]) -> tuple[int, int, int, int]:
    links = [link for cases in LINKS.values() for link in cases]
    through = sum(
        reduce(f"Please see {link} today") != f"Please see {LINK_PLACEHOLDER} today"
        for link in links
    )
    markup = [case for cases in MARKUP.values() for case in cases]
    markup_wrong = sum(reduce(given) != expected for given, expected in markup)
    damaged = sum(reduce(text) != text for text in HONEST)
    return through, len(links), markup_wrong, damaged


def main() -> None:
    for name, reduce in (("nh3 + unescape + linkify-it-py", baseline), ("contact-relay", ours)):
        through, total, markup_wrong, damaged = score(reduce)
        print(
            f"{name:32} links through: {through:3}/{total}  "
            f"markup cases wrong: {markup_wrong:3}/{sum(len(c) for c in MARKUP.values())}  "
            f"honest texts damaged: {damaged:3}/{len(HONEST)}"
        )


if __name__ == "__main__":
    main()
