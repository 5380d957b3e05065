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

from contact_relay.markup.reading import Stripped, strip_markup

__all__ = ["Stripped", "strip_markup"]
