"""The names markup is made of: the elements and attributes of HTML, SVG and MathML, and which of
them make a tag risky, drop its content or break a line."""

from __future__ import annotations

# Elements whose content is never text a person meant to send.
DROP_CONTENT = frozenset(
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
KNOWN_ELEMENTS = frozenset(
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
RISKY_ATTRIBUTES = frozenset(
    # Every attribute whose value is a URL (or a document, srcdoc), and style.
    """action archive background cite classid codebase data datasrc dynsrc formaction href icon
    imagesrcset itemid itemtype longdesc lowsrc manifest ping poster profile src srcdoc srcset
    style usemap""".split()
)
KNOWN_ATTRIBUTES = RISKY_ATTRIBUTES | frozenset(
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
RISKY_PREFIXES = ("on", "data-", "aria-", "xmlns", "xlink:", "xml:")
BLOCK_ELEMENTS = frozenset("br p div li tr hr h1 h2 h3 h4 h5 h6 blockquote pre ul ol table".split())
