"""Text that holds no link but is rewritten, each input with the exact reduction it must give.

MARKUP by family; CHARACTERS: references decoded and control characters cleaned up.
"""

from __future__ import annotations

# (input, exact reduction)
MARKUP: dict[str, list[tuple[str, str]]] = {
    "tags keep their text": [
        ("<b>fast</b> shipping", "fast shipping"),
        ("<B>Fast</B>", "Fast"),
        ("<p>Hello</p><p>there</p>", "\nHello\nthere"),
        ("line<br>break", "line\nbreak"),
        ("line<br/>break", "line\nbreak"),
        ('<span style="color:red">red</span> text', "red text"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<a href='https://evil.example'>my order</a>", "my order"),
        ("<div/onmouseover='alert(1)'>hover</div>", "\nhover"),
        ("<my-widget data-x=1>text</my-widget>", "text"),
        ("<my-widget>text</my-widget> ok", "text ok"),  # a custom element needs no attribute
        ("a <x <b>bold</b> c", "a bold c"),  # a closed tag that holds a known tag is markup
        ("<x onclick=alert(1)>unknown element</x>", "unknown element"),
        ("<table><tr><td>cell</td></tr></table>", "\n\ncell"),
        ("<i>a</i><u>b</u><s>c</s>", "abc"),
        # A one-letter element is markup by its attributes: known ones, values unquoted.
        ("<b class=note lang=en>bold</b>", "bold"),
        ('<img src="x.png" alt="photo">after', "after"),
        ("<input type=hidden value=1>ok", "ok"),
        ("<form action=https://evil.example><button>Pay</button></form>", "Pay"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">ok', "ok"),
        ("<base href=https://evil.example/>ok", "ok"),
    ],
    "script, style, comments and cdata go with their content": [
        ("<script>alert(1)</script>Hi", "Hi"),
        ("<SCRIPT type='text/javascript'>x()</SCRIPT>Hi", "Hi"),
        ("<script src=https://evil.example/x.js></script>Hi", "Hi"),
        ("<style>p {color: red}</style>Hi", "Hi"),
        ("<style>@import url(https://evil.example/x.css)</style>Hi", "Hi"),
        ("a<!-- hidden https://evil.example -->b", "ab"),
        ("a<!---->b", "ab"),
        ("a<!-->b", "ab"),
        # `<!--->` ends at once too, at its own `>` (make mutate: a mutant read on past it).
        ("a<!--->b<!--->c", "abc"),
        ("a<![CDATA[ <b>x</b> ]]>b", "ab"),
        # Each cdata section ends at the first `]]>` after its own start, an empty one too; a
        # `]]>` before it is text (make mutate: mutants searched from elsewhere).
        ("a<![CDATA[]]>b<![CDATA[c]]>d", "abd"),
        ("and x]]> y<![CDATA[z]]>.", "and x]]> y."),
        # `<!>` and `<?>` are bogus comments, each ended by its own `>`.
        ("a<!>b", "ab"),
        ("a<?>b", "ab"),
        ("<!--[if IE]><b>old</b><![endif]-->ok", "ok"),
        ("<![if !IE]>ok<![endif]>", "ok"),
        ("<template><b>t</b></template>ok", "ok"),
        ("<noscript>no js</noscript>ok", "ok"),
        ("<iframe src=https://evil.example></iframe>ok", "ok"),
        ("<textarea>inner</textarea>ok", "ok"),
        ("<!DOCTYPE html><html><head><title>T</title></head><body>Hi</body></html>", "Hi"),
        ("<?xml version='1.0'?>Hi", "Hi"),
        ("<script>never closed", ""),
    ],
    "svg and mathml": [
        ("<svg><script>evil()</script></svg>ok", "ok"),
        ("<svg onload=alert(1)>ok</svg>", "ok"),
        ("<svg/onload=alert(1)>ok", "ok"),
        ("<math><mi>x</mi></math>", "x"),
        ("<svg><a xlink:href=javascript:alert(1)><text>t</text></a></svg>", "t"),
        ("<math><maction actiontype=statusline>m</maction></math>", "m"),
    ],
    "unclosed and malformed": [
        ("<img src=x onerror=alert(1)", ""),
        ("<img src=x onerror=alert(1)>after", "after"),
        ("before<img src=x onerror=alert(1)", "before"),
        ('<a href="https://evil.example" title="x>y">t</a>', "t"),
        ("<img\nsrc=x\nonerror=alert(1)>ok", "ok"),
        ("<b>unclosed bold", "unclosed bold"),
        ("</b>stray close", "stray close"),
        ("<ScRiPt>alert(1)</sCrIpT>ok", "ok"),
        # A tag cut off by the end of the text goes when what it holds would read as markup once
        # link removal took its start: a comment or a closing tag, a known element's name of two
        # letters or more (make mutate: mutants kept them as text).
        ("if x<y, see <!-- the note", "if x"),
        ("if x<y, see </b", "if x"),
        ("if x<y, see <em class", "if x"),
    ],
    "nested tags that rebuild markup": [
        ("<scr<b></b>ipt>alert(1)</scr<b></b>ipt>ok", "ok"),
        ("<<b></b>script>alert(1)<<b></b>/script>ok", "ok"),
        ("<scr<script>ipt>x", "<scr"),
        ("<im<i></i>g src=x onerror=alert(1)>ok", "ok"),
    ],
    "read as the HTML tokenizer reads it": [
        ('<img src=x onerror=alert("1")>ok', "ok"),
        ("<svg/onload=alert('XSS')>ok", "ok"),
        ("<a\tonmouseover\n=\nalert(1)>t</a>", "t"),
        ("<x foo onclick=alert(1)>hi</x>", "hi"),
        ('<x "onclick=1 onmouseover=alert(1)>ok', "ok"),
        ('<img"x onerror=alert(1)>ok', "ok"),
        ('<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>ok', "ok"),
        ("<script and c>alert(1)</script>ok", "ok"),
        ("<xss style=behavior:url(x.htc)>t", "t"),
        ("<img src=x onerror=alert(1) <b>hi", "hi"),
        ("ok<img src=x onerror=alert(1) <b", "ok"),
        ('<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>ok', "ok"),
        ("<x y=<img src=x onerror=alert(1)>>ok", ">ok"),
        ("<script x> alert(1) </script 1=2", ""),
        ("a<? x ?>b", "ab"),
        ("a<! x >b", "ab"),
        ("a</>b", "ab"),
        # `</` before no letter is text to us, and reading goes on at the very next character:
        # a script tag there goes with its content (make mutate: a mutant read on one later).
        ("a</<script>alert(1)</script>b", "a</b"),
    ],
    "entities, double and percent encoding": [
        ("&lt;script&gt;alert(1)&lt;/script&gt;ok", "ok"),
        ("&lt;b&gt;bold&lt;/b&gt;", "bold"),
        ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;ok", "ok"),
        ("&#60;b&#62;bold&#60;/b&#62;", "bold"),
        ("&#x3C;img src=x onerror=alert(1)&#x3E;ok", "ok"),
        ("%3Cscript%3Ealert(1)%3C/script%3Eok", "ok"),
        ("%3Cb%3Ebold%3C%2Fb%3E", "bold"),
    ],
}

# (input, exact reduction) for entity decoding and character clean-up that is not markup.
CHARACTERS: list[tuple[str, str]] = [
    ("Tom &amp; Jerry &copy; 2026", "Tom & Jerry © 2026"),
    ("5 &lt; 6", "5 < 6"),
    ("caf&eacute;", "café"),
    ("&#x1F381; gift", "🎁 gift"),
    ("a\r\nb\rc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),
    ("bell\x07 null\x00 esc\x1b del\x7f", "bell null esc del"),
    ("right\u202eto\u202dleft\u2066iso\u2069", "righttoleftiso"),
    ("&#7;&#x202E;x", "x"),
    ("&#0;x", "x"),
    # What no character stands for is dropped: a surrogate, a number past Unicode's last.
    ("&#xD800;&#xDFFF;&#55296;&#x110000;x", "x"),
    # What lies just inside those bounds is a character like any other.
    ("&#xD7FF;&#xE000;&#x10FFFF;x", "\ud7ff\ue000\U0010ffffx"),
    ("\u200ftext\u200e", "text"),
]
