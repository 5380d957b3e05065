"""Remove HTML, SVG and MathML markup from text, keeping the text between the tags.

Our own scanner rather than an HTML parser library: a buyer's message is mostly plain text with
the odd `<`, and a parser built for documents (html5lib, or nh3/Ammonia's html5ever) reads
`a<b and c>d`, `<3 you` or `<Enter>` as markup and eats honest text. Here `<` starts markup only
when what follows is a real tag: a known element (HTML, SVG, MathML, or a custom element with a
hyphen) or any element with real attributes (`<x onclick=...>`), a closing tag of one of those,
a comment, CDATA, a conditional comment, a doctype or a processing instruction. A tag left open
at the end of the text (`<img src=x onerror=...`) runs to the end, as a browser would read it.

One regular expression, with possessive quantifiers and no nested alternatives that can retry,
finds the candidates; plain tags without attributes are removed in a single pass first. Both run
in time linear in the text.
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
_BLOCK_ELEMENTS = frozenset(
    "br p div li tr hr h1 h2 h3 h4 h5 h6 blockquote pre ul ol table".split()
)

# Bare tags (`<b>`, `</p>`, `<br/>`): one C-level pass that leaves unknown names alone.
_BARE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})\s*+/?>")


def _bare_tag_replacement(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name not in _KNOWN_ELEMENTS or name in _DROP_CONTENT:
        return match.group()
    return "\n" if name in _BLOCK_ELEMENTS and not match.group(1) else ""


_MARKUP = re.compile(
    r"""<(?:
        (?P<comment>!--(?:-?>|.*?(?:--!?>|\Z)))
      | (?P<cdata>!\[CDATA\[.*?(?:\]\]>|\Z))
      | (?P<conditional>!\[.*?(?:\]>|\Z))
      | (?P<declaration>[!?][A-Za-z-][^>]*+(?:>|\Z))
      | /(?P<closing>[A-Za-z][A-Za-z0-9:_-]{0,63})\s*+>
      | (?P<name>[A-Za-z][A-Za-z0-9:_-]{0,63})
        (?P<attributes>(?:(?:\s|/)++[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'<>`]++))?)*+)
        [\s/]*+(?P<end>>|\Z)
    )""",
    re.VERBOSE | re.DOTALL,
)
_ATTRIBUTE_NAMES = re.compile(
    r"""(?:\s|/)++([^\s"'<>/=]++)(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'<>`]++))?"""
)
# A pseudo-tag this long or quoting something is taken as markup, never as honest text.
_HONEST_TAG_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Stripped:
    text: str
    markup_removed: bool


def strip_markup(text: str) -> Stripped:
    """Return the text with every tag, comment and script-like element taken out."""
    if "<" not in text:
        return Stripped(text, False)
    simplified = _BARE_TAG.sub(_bare_tag_replacement, text)
    removed = simplified != text
    if "<" not in simplified:
        return Stripped(simplified, removed)
    text = simplified
    pieces: list[str] = []
    position = 0
    opened: set[str] = set()  # unknown elements seen as tags, so their closing tags go too
    while (match := _MARKUP.search(text, position)) is not None:
        element = _markup_element(match, opened)
        if element is None:
            # Honest text such as `a<b and c>d`; it holds no `<` after the first.
            pieces.append(text[position : match.end()])
            position = match.end()
            continue
        pieces.append(text[position : match.start()])
        removed = True
        end = match.end()
        if element in _DROP_CONTENT:
            end = _end_of_element(text, end, element)
        elif element in _BLOCK_ELEMENTS:
            pieces.append("\n")
        position = end
    pieces.append(text[position:])
    return Stripped("".join(pieces), removed)


def _markup_element(match: re.Match[str], opened: set[str]) -> str | None:
    """The element a markup match opens ("" for comments and closing tags), or None if text."""
    if match.group("name") is None:
        closing = match.group("closing")
        if closing is not None:
            name = closing.lower()
            if name not in _KNOWN_ELEMENTS and "-" not in name and name not in opened:
                return None
        return ""
    name = match.group("name").lower()
    attributes = _ATTRIBUTE_NAMES.findall(match.group("attributes"))
    if match.group("end") == "" and not attributes:
        return None  # `<b` at the very end, with nothing that makes it a tag
    known = name in _KNOWN_ELEMENTS or "-" in name
    plausible = all(_is_attribute_name(attribute) for attribute in attributes)
    if (known or attributes) and plausible:
        if not known:
            opened.add(name)
        return name
    whole = match.group()
    if len(whole) > _HONEST_TAG_LIMIT or '"' in whole or "'" in whole:
        return name  # too long or quoting: built to look like text, so treated as markup
    return None


def _end_of_element(text: str, start: int, element: str) -> int:
    """Skip to just past `</element ...>`; an unclosed one runs to the end, as in a browser."""
    found = re.compile(rf"</{element}[\s/>]", re.IGNORECASE).search(text, start)
    if found is None:
        return len(text)
    after = text.find(">", found.end() - 1)
    return len(text) if after < 0 else after + 1


def _is_attribute_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in _KNOWN_ATTRIBUTES or lowered.startswith(_ATTRIBUTE_PREFIXES)
