"""Which characters text may hold: a single-line field (a name, a header value), or a message.

Each set of characters is written once, as the body of a regular-expression character class in
escapes that Python's `re` and the ECMA-262 patterns of JSON Schema read alike: the checks here,
the reduction of a message and the patterns of the OpenAPI document are one rule.
"""

from __future__ import annotations

import re
import unicodedata

# Cc: the C0 controls, DEL and the C1 controls (NEL among them).
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
# Zl and Zp: U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
LINE_AND_PARAGRAPH_SEPARATORS = r"\u2028\u2029"
# Bidi embeddings, overrides and isolates reorder what a reader sees; marks (LRM, RLM, ALM)
# are harmless but have no business in a name either.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI_CONTROL_ESCAPES = "".join(f"\\u{ord(char):04x}" for char in sorted(BIDI_CONTROLS))
# Cs: one half of a surrogate pair, alone. No schema pattern can name these; validators refuse
# them.
LONE_SURROGATES = r"\ud800-\udfff"

# What a single line may not hold, as a schema pattern can state it (lone surrogates aside).
# Unassigned code points are allowed: to an older Unicode database, new emoji are unassigned.
NOT_IN_ONE_LINE = CONTROL_CHARACTERS + LINE_AND_PARAGRAPH_SEPARATORS + _BIDI_CONTROL_ESCAPES
_NOT_IN_ONE_LINE = re.compile(f"[{NOT_IN_ONE_LINE}{LONE_SURROGATES}]")

# A message has lines: CR LF, CR, NEL and the separators are each a line break, written `\n`;
# tab and newline stay; every other character a single line may not hold is removed.
_LINE_BREAK = re.compile(f"[\\x85{LINE_AND_PARAGRAPH_SEPARATORS}]")
# The lookbehind, after the class, keeps tab and newline without a second class to maintain.
_NOT_IN_A_MESSAGE = re.compile(f"[{NOT_IN_ONE_LINE}{LONE_SURROGATES}](?<![\t\n])")


def has_forbidden_single_line_character(text: str) -> bool:
    """True when the text holds a line break, a control character or a bidi control."""
    return _NOT_IN_ONE_LINE.search(text) is not None


def clean_message_characters(text: str) -> str:
    """The text with its line breaks written `\\n` and its other controls removed (tab stays)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_IN_A_MESSAGE.sub("", _LINE_BREAK.sub("\n", text))


# Format characters (Cf) draw nothing: zero-width spaces, soft hyphens, tags, the bidi
# controls. The joiners stay: Persian, the Indic scripts and emoji sequences need them.
_JOINERS = frozenset("\u200c\u200d")
# Cf, and Cs: a lone half of a surrogate pair.
_DRAWS_NOTHING = frozenset(("Cf", "Cs"))


def one_line(text: str) -> str:
    """The text as one line: each run of whitespace or line breaks becomes one space (none at
    either end); every other character a single line may not hold and every format character
    but the joiners is removed."""
    if not text.isascii():
        text = "".join(
            char
            for char in text
            if char in _JOINERS or unicodedata.category(char) not in _DRAWS_NOTHING
        )
    return " ".join(_NOT_IN_ONE_LINE.sub("", " ".join(text.split())).split())
