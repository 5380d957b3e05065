"""Remove HTML, SVG and MathML markup from text, keeping the text between the tags.

Markup is read as the WHATWG HTML tokenizer reads it, so that what a browser or an HTML mail
client would take for a tag is what we take for one, to the character:
- `<` and an ASCII letter open a tag. Its name runs to whitespace (tab, LF, FF, CR, space), `/`
  or `>`, quotes, `=` and `<` included. An attribute name runs to whitespace, `/`, `>` or `=`
  (its first character may be `=`; quotes and `<` are part of it); an unquoted value runs to
  whitespace or `>` (quotes, `=`, `(`, backticks and `<` are part of it); a quoted value runs to
  its closing quote, `>` and all. A tag the end of the text cuts off runs to the end.
- `</` and a letter open a closing tag, read the same way; `</>` is nothing; `</` and anything
  else open a bogus comment, to the next `>`.
- `<!--` opens a comment, to `-->` or `--!>` (`<!-->` and `<!--->` end at once); `<!DOCTYPE`,
  every other `<!` and every `<?` (a processing instruction) open a bogus comment, to the next
  `>`.
- `<` and anything else (`<3`, `< 5`, `<<`) is text.
Comments, doctypes and processing instructions are removed whole, every tag that is markup too,
and script, style and the like with their content. A tag of markup cut off by the end of the text
takes the rest of the text with it, as it does in a browser.

Why not an HTML parser library: a buyer's message is mostly plain text with the odd `<`, and a
parser built for documents (html5lib, nh3/Ammonia's html5ever) reads `a<b and c>d`,
`<order number>` or `<Enter>` as tags and eats honest text. So once a tag is read, we decide
whether it is markup or honest text that a tokenizer would only read as a tag. It is markup when
- its name is a known element (HTML, SVG, MathML) or, bare, a custom one (`<my-widget>`), or it
  closes an element already removed; or
- it carries a risky attribute: an event handler (`on*`), a URL-valued one, `style`, `data-*`,
  `aria-*`, `xmlns*`, `xlink:*`, `xml:*`; or a quoted value; or only attribute names that real
  markup uses (`<x id=1 class=y>`).
Kept as text: a tag of an unknown element with no risky attribute (`<order number>`, `<Enter>`,
`x<y or y>z`), and the same with a one-letter element or a custom one (`a<b and c>d`): inert
without a real attribute, and the shape of a comparison in prose. A tag cut off by the end of the
text, which the tokenizer drops anyway, is text unless its name, a quoted value or a risky
attribute given a value makes it markup (`if x<y then we ship on Monday` stays whole). What we
keep must stay harmless after link removal, which runs after us and may put `[link removed]` in
place of part of it: so every word in a kept tag, value or name, is judged as a name, any quote
after `=` as a quoted value, and a tag must hold nothing that reads as markup once its start is
gone (`<java<TAB>script:x<script>`). It cannot stay harmless if link removal takes its `>` away:
that is for the reducer to check after removing links.

Where we read otherwise than the tokenizer, we never read less of a tag:
- a tag name stops at `<` followed by a letter; the first `<` is text and reading starts again at
  the second, which the tokenizer reads in the same state from there on (`<scr<script>` is to it
  one tag, `scr<script`; to us the text `<scr` and a `script` tag with the same attributes). So
  nothing is read twice, and what joins up around a removed tag is read again by the reducer's
  next round (see `plaintext`);
- a bogus comment `</ ...>` is text to us, and what it holds is read as text or markup: link
  removal may turn a closing tag `</example.com>` into `</[link removed]>`, and reducing again
  must give the same;
- `<![CDATA[` runs to `]]>`, past the `>` where the tokenizer ends it outside SVG and MathML.

Linear time: each step is a possessive regular expression (nothing it has matched is given back
to retry) or a search forward from where the last step ended, so each character is read a fixed
number of times (a tag's attributes a few times over); nothing is kept between calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Elements whose content is never text a person meant to send.
_DROP_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "xmp",
        "noembed",
        "noframes",
        "title",
        "head",
        "textarea",
        "select",
        "option",
    }
)

# Every element of HTML (current and obsolete), SVG (1.1, Tiny 1.2, 2) and presentation MathML,
# lower-cased as the tokenizer lower-cases them.
_KNOWN_ELEMENTS = frozenset(
    """a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big
    blink blockquote body br button canvas caption center cite code col colgroup command data
    datagrid datalist dd del details dfn dialog dir div dl dt em embed event-source fencedframe
    fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup
    hr html i iframe ilayer image img input ins isindex kbd keygen label layer legend li link
    listing m main map mark marquee menu menuitem meta meter multicol nav nextid nobr noembed
    noframes nolayer noscript object ol optgroup option output p param picture plaintext portal pre
    progress q rb rp rt rtc ruby s samp script search section select selectedcontent slot small
    sound source spacer span strike strong style sub summary sup table tbody td template textarea
    tfoot th thead time title tr track tt u ul var video wbr xml xmp
    svg altglyph altglyphdef altglyphitem animate animatecolor animatemotion animatetransform
    animation circle clippath color-profile cursor defs desc discard ellipse feblend fecolormatrix
    fecomponenttransfer fecomposite feconvolvematrix fediffuselighting fedisplacementmap
    fedistantlight fedropshadow feflood fefunca fefuncb fefuncg fefuncr fegaussianblur feimage
    femerge femergenode femorphology feoffset fepointlight fespecularlighting fespotlight fetile
    feturbulence filter font-face font-face-format font-face-name font-face-src font-face-uri
    foreignobject g glyph glyphref handler hatch hatchpath hkern line lineargradient listener
    marker mask mesh meshgradient meshpatch meshrow metadata missing-glyph mpath path pattern
    polygon polyline prefetch radialgradient rect set solidcolor stop switch symbol tbreak text
    textarea textpath tref tspan use view vkern
    math maction maligngroup malignmark menclose merror mfenced mfrac mglyph mi mlabeledtr mlongdiv
    mmultiscripts mn mo mover mpadded mphantom mprescripts mroot mrow ms mscarries mscarry msgroup
    msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr munder
    munderover none semantics annotation annotation-xml""".split()
)

# Attribute names that real markup uses. A "tag" carrying one of the risky ones (or one whose
# name begins like on*, data-*, aria-*, xmlns*, xlink:*, xml:*), or carrying nothing but known
# ones, is markup; `a<b and c>d`, `if x<y or y>z` and `<order number>` are not.
_RISKY_ATTRIBUTES = frozenset(
    # Every attribute whose value is a URL (or a document, srcdoc), and style.
    """action archive background cite classid codebase data datasrc dynsrc formaction href icon
    imagesrcset itemid itemtype longdesc lowsrc manifest ping poster profile src srcdoc srcset
    style usemap""".split()
)
_KNOWN_ATTRIBUTES = _RISKY_ATTRIBUTES | frozenset(
    """accept accesskey align alink allow allowscriptaccess alt async autocapitalize autocomplete
    autofocus autoplay behavior bgcolor border cellpadding cellspacing charset checked class clear
    code color cols colspan command commandfor content contenteditable controls coords crossorigin
    datafld dataformatas datetime decoding default defer dir dirname disabled download draggable
    enctype exportparts face folder for form formenctype formmethod formnovalidate formtarget
    frame frameborder headers height hidden high hreflang hspace http-equiv id imagesizes inert
    inputmode integrity is ismap itemprop itemscope kind label lang language list loading loop low
    marginheight marginwidth max maxlength media method min minlength multiple muted name nonce
    novalidate open optimum part pattern placeholder popover popovertarget popovertargetaction
    preload readonly referrerpolicy rel required rev rows rowspan rules sandbox scope scrolling
    seamless selected shape size sizes slot span spellcheck srclang start step summary tabindex
    target text title translate type valign value valuetype version vlink vspace width wrap
    attributename attributetype begin by dur end fill from keytimes repeatcount values to d x y
    x1 x2 y1 y2 cx cy r rx ry points transform viewbox stroke stroke-width opacity
    preserveaspectratio actiontype encoding definitionurl mathvariant mathcolor
    mathbackground""".split()
)
_RISKY_PREFIXES = ("on", "data-", "aria-", "xmlns", "xlink:", "xml:")
_BLOCK_ELEMENTS = frozenset(
    "br p div li tr hr h1 h2 h3 h4 h5 h6 blockquote pre ul ol table".split()
)

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
_ATTRIBUTE = re.compile(_ATTRIBUTE_SOURCE)
# A tag name: like the tokenizer's, except that it stops at `<` followed by a letter.
_NAME_SOURCE = rf"[A-Za-z](?:[^{_SPACE}/><]++|<(?![A-Za-z]))*+"
_TAG = re.compile(
    rf"<(?P<closing>/?)(?P<name>{_NAME_SOURCE})"
    rf"(?:(?=<)|(?P<attributes>(?:{_ATTRIBUTE_SOURCE})*+)[{_SPACE}/]*+)"
)
# Where markup may start: `<!`, `<?`, `</`, or `<` and a name that does not run into another tag.
_MARKUP_START = re.compile(rf"<(?:[!?/]|{_NAME_SOURCE}(?!<))")
_BETWEEN_ATTRIBUTES = re.compile(rf"[{_SPACE}/]++")
# What makes a tag risky (see `_judge_attributes`), on its lower-cased attributes: a quote after
# `=`; a risky attribute name, as any word (after whitespace, `/` or `=`) in a closed tag, or given
# a value in a tag cut off by the end of the text.
_RISKY_PREFIX = "|".join(re.escape(prefix) for prefix in _RISKY_PREFIXES)
_RISKY_EXACT = "|".join(sorted(_RISKY_ATTRIBUTES))
_QUOTE_AFTER_EQUALS = rf"=[{_SPACE}]*+[\"']"
_RISKY_IN_CLOSED_TAG = re.compile(
    rf"{_QUOTE_AFTER_EQUALS}"
    rf"|(?<![^{_SPACE}/=])(?:{_RISKY_PREFIX}|(?:{_RISKY_EXACT})(?![^{_SPACE}/=]))"
)
_RISKY_IN_CUT_TAG = re.compile(
    rf"{_QUOTE_AFTER_EQUALS}"
    rf"|(?<![^{_SPACE}/])(?:(?:{_RISKY_PREFIX})[^{_SPACE}/>=]*+|{_RISKY_EXACT})[{_SPACE}]*+="
)
# Link removal, which runs after us, may take the start of a tag we keep as text and lay bare
# what is inside it; so nothing inside may read as markup then. In a closed tag: any tag, comment
# or processing instruction. In one cut off by the end of the text, where whatever is laid bare is
# cut off too: a comment, a processing instruction, a closing tag, an element of more than one
# letter (one-letter elements and unknown ones are text when cut off, as the outer tag was).
_MARKUP_INSIDE = re.compile(r"<[A-Za-z!?/]")
_COMMENT_OR_CLOSING_INSIDE = re.compile(r"<[!?/]")
_TAG_NAME_INSIDE = re.compile(rf"<([A-Za-z][^{_SPACE}/><=]*+)")
_COMMENT_END = re.compile(r"--!?>")
_CLOSING_TAGS = {
    element: re.compile(rf"</{element}[{_SPACE}/>]", re.IGNORECASE | re.ASCII)
    for element in _DROP_CONTENT
}


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
    while (found := _MARKUP_START.search(text, position)) is not None:
        start = found.start()
        end, element = _read_markup(text, start, opened)
        if element is None:
            position = end  # honest text: it stays, and reading goes on after it
            continue
        pieces.append(text[kept_from:start])
        if element in _DROP_CONTENT:
            end = _end_of_element(text, end, element)
        elif element in _BLOCK_ELEMENTS:
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
    found = _COMMENT_END.search(text, start + 4)
    return len(text) if found is None else found.end()


def _read_tag(text: str, start: int, opened: set[str]) -> tuple[int, str | None]:
    """Read a start or closing tag as the tokenizer does, and say whether it is markup."""
    tag = _TAG.match(text, start)
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
    if name not in _KNOWN_ELEMENTS and "-" not in name:
        opened.add(name)
    return end, name


def _holds_markup(text: str, start: int, end: int, closed: bool) -> bool:
    """Whether what a tag holds would read as markup, were its start gone (see above)."""
    if closed:
        return _MARKUP_INSIDE.search(text, start, end) is not None
    if _COMMENT_OR_CLOSING_INSIDE.search(text, start, end):
        return True
    return any(
        len(name) > 1 and name.lower() in _KNOWN_ELEMENTS
        for name in _TAG_NAME_INSIDE.findall(text, start, end)
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
        return _RISKY_IN_CUT_TAG.search(lowered) is not None, False
    if _RISKY_IN_CLOSED_TAG.search(lowered):
        return True, False
    if "=" in lowered:
        names = [attribute.group("attribute") for attribute in _ATTRIBUTE.finditer(lowered)]
    else:
        names = _BETWEEN_ATTRIBUTES.split(lowered)
    return False, all(name in _KNOWN_ATTRIBUTES for name in names if name)


def _element_is_markup(name: str, closing: bool, has_attributes: bool, opened: set[str]) -> bool:
    """Whether the element's name alone makes a tag markup."""
    if name in _KNOWN_ELEMENTS:
        return closing or len(name) > 1 or not has_attributes
    if "-" in name:
        return closing or not has_attributes
    return closing and name in opened


def _end_of_element(text: str, start: int, element: str) -> int:
    """Skip to just past `</element ...>`; an unclosed one runs to the end, as in a browser."""
    found = _CLOSING_TAGS[element].search(text, start)
    if found is None:
        return len(text)
    end, _ = _read_tag(text, found.start(), set())
    return end
