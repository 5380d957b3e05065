"""Which characters may stand in a single-line field (a name, a header value)."""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates reorder what a reader sees; marks (LRM, RLM, ALM)
# are harmless but have no business in a name either.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Cc covers C0, DEL, C1 (NEL among them); Zl/Zp are U+2028/U+2029; Cs are lone surrogates.
# Unassigned code points are allowed: to an older Unicode database, new emoji are unassigned.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})


def has_forbidden_single_line_character(text: str) -> bool:
    """True when the text holds a line break, a control character or a bidi control."""
    return any(
        char in BIDI_CONTROLS or unicodedata.category(char) in _FORBIDDEN_CATEGORIES
        for char in text
    )
