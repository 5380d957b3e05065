"""The pages a seller sees on opening a verification link: one button, then the outcome.

Plain HTML a person reads, not JSON: the link is opened in a browser. Opening it (GET) confirms
nothing, so a mail scanner that follows links cannot confirm an address for its owner; the
button posts the form back to the same URL. Nothing of the seller or the token is written into
a page.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from contact_relay.handlers.html_pages import html_page

CONFIRM_TITLE = "Confirm your reply-to address"
CONFIRMED_TITLE = "Your address is confirmed"
INVALID_TITLE = "This link does not work"


def confirm_page() -> Response[str]:
    content = (
        "<p>Buyers' messages will be sent to the address this link was sent to. Press the"
        " button to confirm that it is yours and that it receives mail.</p>\n"
        '<form method="post">\n<button type="submit">Confirm this address</button>\n</form>'
    )
    return html_page(200, CONFIRM_TITLE, content)


def confirmed_page() -> Response[str]:
    content = "<p>Buyers' messages will now reach this address. You can close this page.</p>"
    return html_page(200, CONFIRMED_TITLE, content)


def invalid_link_page() -> Response[str]:
    content = (
        "<p>The link is incomplete, was used already, or is more than 48 hours old. Ask the"
        " marketplace for a new one.</p>"
    )
    return html_page(404, INVALID_TITLE, content)
