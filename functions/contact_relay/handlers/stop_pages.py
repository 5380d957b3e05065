"""The pages a buyer or a seller sees on opening a conversation's stop link: one button, then
the outcome. Opening the link (GET) stops nothing, so a mail scanner that follows links cannot
end a conversation for its parties; the button posts the form back to the same URL. Nothing of
the conversation or the token is written into a page."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from contact_relay.handlers.html_pages import html_page

STOP_TITLE = "Stop this conversation"
STOPPED_TITLE = "This conversation is stopped"
INVALID_TITLE = "This link does not work"


def stop_page() -> Response[str]:
    content = (
        "<p>Stopping a conversation is for good: replies through its addresses are no longer"
        " delivered, either way. Press the button to stop it.</p>\n"
        '<form method="post">\n<button type="submit">Stop this conversation</button>\n</form>'
    )
    return html_page(200, STOP_TITLE, content)


def stopped_page() -> Response[str]:
    content = (
        "<p>Replies through this conversation's addresses are no longer delivered. You can"
        " close this page.</p>"
    )
    return html_page(200, STOPPED_TITLE, content)


def invalid_stop_link_page() -> Response[str]:
    content = "<p>The link is incomplete or names no conversation. Copy the whole link.</p>"
    return html_page(404, INVALID_TITLE, content)
