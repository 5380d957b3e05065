"""Read text as the tokenizer would, and take out each tag, comment and element judged markup."""

from __future__ import annotations

from dataclasses import dataclass

from contact_relay.markup.grammar import (
    ATTRIBUTE,
    BETWEEN_ATTRIBUTES,
    CLOSING_TAGS,
    COMMENT_END,
    COMMENT_OR_CLOSING_INSIDE,
    MARKUP_INSIDE,
    MARKUP_START,
    RISKY_IN_CLOSED_TAG,
    RISKY_IN_CUT_TAG,
    TAG,
    TAG_NAME_INSIDE,
)
from contact_relay.markup.vocabulary import (
    BLOCK_ELEMENTS,
    DROP_CONTENT,
    KNOWN_ATTRIBUTES,
    KNOWN_ELEMENTS,
)


@dataclass(frozen=True, slots=True)
class Stripped:
    text: str
    markup_removed: bool


def strip_markup(text: str) -> Stripped:
    """Return the text with every tag, comment and script-like element taken out."""
    if "<" not in text:
        return Stripped(text, False)
    pieces: list[str] = []
    kept_from = 0  # start of the text not yet copied into pieces
    position = 0
    opened: set[str] = set()  # unknown elements removed as markup, so their closing tags go too
    while (found := MARKUP_START.search(text, position)) is not None:
        start = found.start()
        end, element = _read_markup(text, start, opened)
        if element is None:
            position = end  # honest text: it stays, and reading goes on after it
            continue
        pieces.append(text[kept_from:start])
        if element in DROP_CONTENT:
            end = _end_of_element(text, end, element)
        elif element in BLOCK_ELEMENTS:
            pieces.append("\n")
        kept_from = position = end
    if not pieces:
        return Stripped(text, False)
    pieces.append(text[kept_from:])
    return Stripped("".join(pieces), True)


def _read_markup(text: str, start: int, opened: set[str]) -> tuple[int, str | None]:
    """Read what the `<` at `start` opens: (end, element) for markup to remove up to `end`, the
    element being "" for comments and closing tags; (end, None) for text to keep up to `end`."""
    after = text[start + 1]
    if after == "!":
        if text.startswith("--", start + 2):
            return _comment_end(text, start), ""
        if text.startswith("[CDATA[", start + 2):
            found = text.find("]]>", start + 9)
            return (len(text) if found < 0 else found + 3), ""
        return _to_tag_end(text, start + 2), ""  # a doctype or a bogus comment
    if after == "?":
        return _to_tag_end(text, start + 2), ""  # a processing instruction: a bogus comment
    if after == "/":
        following = text[start + 2 : start + 3]
        if following == ">":
            return start + 3, ""  # `</>`: the tokenizer drops it
        if not following.isascii() or not following.isalpha():
            # `</ x>`: a bogus comment to the tokenizer, which hides what it holds; we read what it
            # holds as text. The same `</` and `[link removed]` after a closing tag lost its name
            # to link removal, so reducing again gives the same.
            return start + 2, None
    return _read_tag(text, start, opened)


def _to_tag_end(text: str, position: int) -> int:
    found = text.find(">", position)
    return len(text) if found < 0 else found + 1


def _comment_end(text: str, start: int) -> int:
    """Just past the comment opened by the `<!--` at `start`."""
    if text.startswith(">", start + 4):
        return start + 5  # `<!-->`
    if text.startswith("->", start + 4):
        return start + 6  # `<!--->`
    found = COMMENT_END.search(text, start + 4)
    return len(text) if found is None else found.end()


def _read_tag(text: str, start: int, opened: set[str]) -> tuple[int, str | None]:
    """Read a start or closing tag as the tokenizer does, and say whether it is markup."""
    tag = TAG.match(text, start)
    if tag is None:  # cannot happen: the caller saw `<` or `</` and a letter
        return start + 1, None
    end = tag.end()
    attributes = tag.group("attributes")
    if attributes is None:
        return end, None  # the name runs into `<`: text, and reading starts again at that `<`
    closing = bool(tag.group("closing"))
    name = tag.group("name").lower()
    closed = end < len(text)  # at `>`; else at the end of the text, where the tag is dropped
    if closed:
        end += 1
    if (
        _element_is_markup(name, closing, bool(attributes), opened) and (closed or attributes)
    ) or _holds_markup(text, start + 1, end, closed):
        markup = True
    elif attributes:
        risky, all_known = _judge_attributes(attributes, closed)
        markup = risky or (closed and all_known)
    else:
        markup = False
    if not markup:
        return end, None
    if closing:
        return end, ""
    if name not in KNOWN_ELEMENTS and "-" not in name:
        opened.add(name)
    return end, name


def _holds_markup(text: str, start: int, end: int, closed: bool) -> bool:
    """Whether what a tag holds would read as markup, were its start gone (see above)."""
    if closed:
        return MARKUP_INSIDE.search(text, start, end) is not None
    if COMMENT_OR_CLOSING_INSIDE.search(text, start, end):
        return True
    return any(
        len(name) > 1 and name.lower() in KNOWN_ELEMENTS
        for name in TAG_NAME_INSIDE.findall(text, start, end)
    )


def _judge_attributes(attributes: str, closed: bool) -> tuple[bool, bool]:
    """(risky, all known) for the attributes of a tag.

    A tag the end of the text cuts off is never emitted by the tokenizer; it is risky only if it
    was written to act: a quoted value, or a risky attribute given a value. A closed tag is risky
    with a quoted value or any risky attribute name (on*, URL-valued, ...). And it must stay
    harmless when link removal, which runs after us, puts `[link removed]` in place of part of it
    and the tokenizer groups what is left anew (`<a id=java<TAB>script:x = "a>b" onerror>`): so
    every word of it, value or name, counts as a name, and any quote after `=` as a quoted value.
    """
    lowered = attributes.lower()
    if not closed:
        return RISKY_IN_CUT_TAG.search(lowered) is not None, False
    if RISKY_IN_CLOSED_TAG.search(lowered):
        return True, False
    if "=" in lowered:
        names = [attribute.group("attribute") for attribute in ATTRIBUTE.finditer(lowered)]
    else:
        names = BETWEEN_ATTRIBUTES.split(lowered)
    return False, all(name in KNOWN_ATTRIBUTES for name in names if name)


def _element_is_markup(name: str, closing: bool, has_attributes: bool, opened: set[str]) -> bool:
    """Whether the element's name alone makes a tag markup."""
    if name in KNOWN_ELEMENTS:
        return closing or len(name) > 1 or not has_attributes
    if "-" in name:
        return closing or not has_attributes
    return closing and name in opened


def _end_of_element(text: str, start: int, element: str) -> int:
    """Skip to just past `</element ...>`; an unclosed one runs to the end, as in a browser."""
    found = CLOSING_TAGS[element].search(text, start)
    if found is None:
        return len(text)
    end, _ = _read_tag(text, found.start(), set())
    return end
