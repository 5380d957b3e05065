"""Find links in text, in any form a mail client would make clickable or a person would follow.

Detection runs on *shadows* of the text (`shadow`): folded (`folding`), with defanged and encoded
separators rewritten (`rewrites`), every shadow character remembering where it came from. Matches
are mapped back, so what is delivered is the buyer's own text minus the links, never a folded copy.
Readers find hosts (`hosts`, with dotted IPv4 addresses in `addresses`), and scheme URLs and IPv6
literals (`schemes`); `urls` finds where each link starts and ends; `reading` runs the readers over
every shadow and takes the links out.

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
pattern that could backtrack on hostile input (`benchmarks/reduction_scaling.py`), and at most
`MOST_LINKS` links a reading (`benchmarks/adversarial_reduction.py`).
"""

from contact_relay.links.folding import folding_of
from contact_relay.links.hosts import top_level_domains
from contact_relay.links.reading import MOST_LINKS, Span, find_links, remove_links
from contact_relay.links.shadow import LINK_PLACEHOLDER

__all__ = [
    "LINK_PLACEHOLDER",
    "MOST_LINKS",
    "Span",
    "find_links",
    "folding_of",
    "remove_links",
    "top_level_domains",
]
