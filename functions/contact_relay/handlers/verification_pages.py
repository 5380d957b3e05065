"""The pages a seller sees on opening a verification link: one button, then the outcome.

Plain HTML a person reads, not JSON: the link is opened in a browser. Opening it (GET) confirms
nothing, so a mail scanner that follows links cannot confirm an address for its owner; the
button posts the form back to the same URL. Nothing of the seller or the token is written into
a page.
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

CONFIRM_TITLE = "Confirm your reply-to address"
CONFIRMED_TITLE = "Your address is confirmed"
INVALID_TITLE = "This link does not work"


def confirm_page() -> Response[str]:
    content = (
        "<p>Buyers' messages will be sent to the address this link was sent to. Press the"
        " button to confirm that it is yours and that it receives mail.</p>\n"
        '<form method="post">\n<button type="submit">Confirm this address</button>\n</form>'
    )
    return _page(200, CONFIRM_TITLE, content)


def confirmed_page() -> Response[str]:
    content = "<p>Buyers' messages will now reach this address. You can close this page.</p>"
    return _page(200, CONFIRMED_TITLE, content)


def invalid_link_page() -> Response[str]:
    content = (
        "<p>The link is incomplete, was used already, or is more than 48 hours old. Ask the"
        " marketplace for a new one.</p>"
    )
    return _page(404, INVALID_TITLE, content)


def _page(status: int, title: str, content: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=HTML,
        body=_PAGE.format(title=title, content=content),
        headers=dict(PAGE_HEADERS),
    )
