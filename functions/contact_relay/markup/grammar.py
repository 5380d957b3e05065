"""The tokenizer's grammar of tags and comments, as possessive regular expressions, and the
patterns that judge what a tag holds."""

from __future__ import annotations

import re

from contact_relay.markup.vocabulary import DROP_CONTENT, RISKY_ATTRIBUTES, RISKY_PREFIXES

# The tokenizer's grammar of a tag, as possessive regular expressions (no quantifier gives back
# what it took, so each is linear). An attribute name may begin with `=` and hold quotes and `<`;
# an unquoted value may hold anything but whitespace and `>`; a quoted one runs to its quote.
_SPACE = r"\t\n\f\r\x20"
_ATTRIBUTE_SOURCE = (
    rf"[{_SPACE}/]*+"
    rf"(?P<attribute>[^{_SPACE}/>][^{_SPACE}/>=]*+)"
    rf"(?:[{_SPACE}]*+=[{_SPACE}]*+"
    rf"(?P<value>\"[^\"]*+\"?|'[^']*+'?|[^{_SPACE}>\"'][^{_SPACE}>]*+)?)?"
)
ATTRIBUTE = re.compile(_ATTRIBUTE_SOURCE)
# A tag name: like the tokenizer's, except that it stops at `<` followed by a letter.
_NAME_SOURCE = rf"[A-Za-z](?:[^{_SPACE}/><]++|<(?![A-Za-z]))*+"
TAG = re.compile(
    rf"<(?P<closing>/?)(?P<name>{_NAME_SOURCE})"
    rf"(?:(?=<)|(?P<attributes>(?:{_ATTRIBUTE_SOURCE})*+)[{_SPACE}/]*+)"
)
# Where markup may start: `<!`, `<?`, `</`, or `<` and a name that does not run into another tag.
MARKUP_START = re.compile(rf"<(?:[!?/]|{_NAME_SOURCE}(?!<))")
BETWEEN_ATTRIBUTES = re.compile(rf"[{_SPACE}/]++")
# What makes a tag risky (see `reading._judge_attributes`), on its lower-cased attributes: a
# quote after `=`; a risky attribute name, as any word (after whitespace, `/` or `=`) in a closed
# tag, or given a value in a tag cut off by the end of the text.
_RISKY_PREFIX = "|".join(re.escape(prefix) for prefix in RISKY_PREFIXES)
_RISKY_EXACT = "|".join(sorted(RISKY_ATTRIBUTES))
_QUOTE_AFTER_EQUALS = rf"=[{_SPACE}]*+[\"']"
RISKY_IN_CLOSED_TAG = re.compile(
    rf"{_QUOTE_AFTER_EQUALS}"
    rf"|(?<![^{_SPACE}/=])(?:{_RISKY_PREFIX}|(?:{_RISKY_EXACT})(?![^{_SPACE}/=]))"
)
RISKY_IN_CUT_TAG = re.compile(
    rf"{_QUOTE_AFTER_EQUALS}"
    rf"|(?<![^{_SPACE}/])(?:(?:{_RISKY_PREFIX})[^{_SPACE}/>=]*+|{_RISKY_EXACT})[{_SPACE}]*+="
)
# Link removal, which runs after us, may take the start of a tag we keep as text and lay bare
# what is inside it; so nothing inside may read as markup then. In a closed tag: any tag, comment
# or processing instruction. In one cut off by the end of the text, where whatever is laid bare is
# cut off too: a comment, a processing instruction, a closing tag, an element of more than one
# letter (one-letter elements and unknown ones are text when cut off, as the outer tag was).
MARKUP_INSIDE = re.compile(r"<[A-Za-z!?/]")
COMMENT_OR_CLOSING_INSIDE = re.compile(r"<[!?/]")
TAG_NAME_INSIDE = re.compile(rf"<([A-Za-z][^{_SPACE}/><=]*+)")
COMMENT_END = re.compile(r"--!?>")
CLOSING_TAGS = {
    element: re.compile(rf"</{element}[{_SPACE}/>]", re.IGNORECASE | re.ASCII)
    for element in DROP_CONTENT
}
