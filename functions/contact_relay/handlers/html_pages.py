"""The HTML pages a person sees on opening one of our links (verification, stop): one frame,
headers that keep the token in the URL to itself, and nothing of anyone written into a page.

Plain HTML a person reads, not JSON: the links are opened in a browser. A link's GET shows a page
with one button and changes nothing, so a mail scanner that follows links does nothing; the
button posts the form back to the same URL.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

# The token is in the URL: no Referer carries it elsewhere; the page loads nothing, runs no
# script, posts only to itself, and is framed by no one.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
HTML = "text/html; charset=utf-8"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem;
  line-height: 1.5; }}
button {{ font: inherit; padding: 0.6rem 1.2rem; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{content}
</main>
</body>
</html>
"""


def html_page(status: int, title: str, content: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=HTML,
        body=_PAGE.format(title=title, content=content),
        headers=dict(PAGE_HEADERS),
    )
