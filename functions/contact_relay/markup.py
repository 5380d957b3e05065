"""Remove HTML, SVG and MathML markup from text, keeping the text between the tags.

A hand-written scanner rather than an HTML parser library: a buyer's message is mostly plain
text with the odd `<`, and a parser built for documents turns `a<b and c>d` or `<3` into markup
and eats honest text. Here `<` starts markup only when what follows is a real tag: a known element
name (or a custom element with a hyphen) whose attributes look like attributes, a closing tag, a
comment, CDATA, a doctype or a processing instruction. Everything else is text.

The scanner looks at each character a bounded number of times, so it runs in linear time.
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

_KNOWN_ELEMENTS = frozenset(
    """a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big
    blink blockquote body br button canvas caption center cite code col colgroup data datalist
    dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form
    frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins
    isindex kbd keygen label legend li link listing main map mark marquee menu menuitem meta
    meter nav nobr noembed noframes noscript object ol optgroup option output p param picture
    plaintext portal pre progress q rb rp rt rtc ruby s samp script search section select slot
    small source spacer span strike strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track tt u ul var video wbr xmp svg math animate
    animatemotion animatetransform circle clippath defs desc ellipse feimage filter
    foreignobject g handler line lineargradient marker mask metadata mpath path pattern polygon
    polyline radialgradient rect set stop switch symbol text textpath tspan use view maction
    maligngroup malignmark menclose merror mfenced mfrac mglyph mi mlabeledtr mlongdiv
    mmultiscripts mn mo mover mpadded mphantom mroot mrow ms mscarries mscarry msgroup msline
    mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr munder munderover
    semantics annotation annotation-xml""".split()
)

# Attribute names that real markup uses; a "tag" whose attributes are not among these (nor
# data-*, aria-*, on*, xmlns*, xlink:*) is ordinary text such as `a<b and c>d`.
_KNOWN_ATTRIBUTES = frozenset(
    """accept accesskey action align alink allow alt archive async autocapitalize autocomplete
    autofocus autoplay background behavior bgcolor border cellpadding cellspacing charset
    checked cite class classid clear code codebase color cols colspan content contenteditable
    controls coords crossorigin data datetime decoding default defer dir dirname disabled
    download draggable dynsrc enctype face for form formaction formenctype formmethod
    formnovalidate formtarget frame frameborder headers height hidden high href hreflang hspace
    http-equiv icon id inert inputmode integrity is ismap itemprop itemscope itemtype kind label
    lang language list loading longdesc loop low lowsrc manifest marginheight marginwidth max
    maxlength media method min minlength multiple muted name nonce novalidate open optimum
    pattern ping placeholder popover poster preload profile readonly referrerpolicy rel required
    rev rows rowspan rules sandbox scope scrolling selected shape size sizes slot span
    spellcheck src srcdoc srclang srcset start step style summary tabindex target text title
    translate type usemap valign value valuetype version vlink vspace width wrap formaction
    attributename begin by dur fill from values to d x y x1 x2 y1 y2 cx cy r rx ry points
    transform viewbox fill stroke stroke-width opacity preserveaspectratio actiontype encoding
    definitionurl mathvariant mathcolor mathbackground xml:base xml:lang xml:space""".split()
)
_ATTRIBUTE_PREFIXES = ("data-", "aria-", "on", "xmlns", "xlink:", "xml:")

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:_-]*")
_ATTRIBUTE_NAME = re.compile(r"[^\s\"'<>/=]+")
_WHITESPACE = " \t\n\f\r"


@dataclass(frozen=True, slots=True)
class Stripped:
    text: str
    markup_removed: bool


def strip_markup(text: str) -> Stripped:
    """Return the text with every tag, comment and script-like element taken out."""
    if "<" not in text:
        return Stripped(text, False)
    pieces: list[str] = []
    removed = False
    position = 0
    while True:
        opening = text.find("<", position)
        if opening < 0:
            pieces.append(text[position:])
            break
        pieces.append(text[position:opening])
        end, element = _markup_end(text, opening)
        if end is None:
            pieces.append("<")
            position = opening + 1
            continue
        removed = True
        if element in _DROP_CONTENT:
            end = _end_of_element(text, end, element)
        elif element is not None and _is_block(element):
            pieces.append("\n")
        position = end
    return Stripped("".join(pieces), removed)


def _is_block(element: str) -> bool:
    return element in {"br", "p", "div", "li", "tr", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}


def _end_of_element(text: str, start: int, element: str) -> int:
    """Skip to just past `</element ...>`; an unclosed one runs to the end, as in a browser."""
    found = re.compile(rf"</{element}[\s/>]", re.IGNORECASE).search(text, start)
    if found is None:
        return len(text)
    after = text.find(">", found.end() - 1)
    return len(text) if after < 0 else after + 1


def _markup_end(text: str, opening: int) -> tuple[int | None, str | None]:
    """Where the markup starting at `<` ends, and the element it opens; (None, None) if text."""
    rest = text.startswith
    if rest("<!--", opening):
        return _until(text, opening + 4, ("-->", "--!>")), None
    if rest("<![CDATA[", opening) or rest("<![cdata[", opening):
        return _until(text, opening + 9, ("]]>",)), None
    if rest("<![", opening):  # conditional comments: <![if !IE]> ... <![endif]>
        return _until(text, opening + 3, ("]>",)), None
    if rest("<!", opening) or rest("<?", opening):
        following = text[opening + 2 : opening + 3]
        if following and (following.isalpha() or following in "-["):
            return _until(text, opening + 2, (">",)), None
        return None, None
    closing_tag = rest("</", opening)
    name_at = opening + 2 if closing_tag else opening + 1
    name_match = _NAME.match(text, name_at)
    if name_match is None:
        return None, None
    name = name_match.group().lower()
    if name not in _KNOWN_ELEMENTS and "-" not in name:
        return None, None
    end = _end_of_tag(text, name_match.end(), closing_tag)
    if end is None:
        return None, None
    return end, (None if closing_tag else name)


def _until(text: str, start: int, terminators: tuple[str, ...]) -> int:
    ends = [found + len(term) for term in terminators if (found := text.find(term, start)) >= 0]
    return min(ends) if ends else len(text)


def _end_of_tag(text: str, position: int, closing_tag: bool) -> int | None:
    """Parse attributes after the tag name; return the index after `>`, or None if not a tag.

    A tag that is never closed but whose attributes are real (`<img src=x onerror=...`) runs to
    the end of the text, as a browser would read it.
    """
    length = len(text)
    saw_attribute = False
    if position < length and text[position] not in _WHITESPACE + "/>":
        return None
    while position < length:
        char = text[position]
        if char == ">":
            return position + 1
        if char in _WHITESPACE or char == "/":
            position += 1
            continue
        if char == "<":
            return None
        attribute = _ATTRIBUTE_NAME.match(text, position)
        if attribute is None or not _is_attribute_name(attribute.group()):
            return None
        if closing_tag:
            return None
        saw_attribute = True
        position = _skip_value(text, attribute.end())
    return length if saw_attribute else None


def _is_attribute_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in _KNOWN_ATTRIBUTES or lowered.startswith(_ATTRIBUTE_PREFIXES)


def _skip_value(text: str, position: int) -> int:
    length = len(text)
    while position < length and text[position] in _WHITESPACE:
        position += 1
    if position >= length or text[position] != "=":
        return position
    position += 1
    while position < length and text[position] in _WHITESPACE:
        position += 1
    if position < length and text[position] in "\"'":
        closing = text.find(text[position], position + 1)
        return length if closing < 0 else closing + 1
    while position < length and text[position] not in _WHITESPACE + ">":
        position += 1
    return position
