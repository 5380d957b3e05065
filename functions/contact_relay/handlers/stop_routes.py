"""The routes of a conversation's stop link: its page (GET) and its button (POST)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit

from contact_relay.conversation_keeper import ConversationKeeper
from contact_relay.conversations import STOP_TOKEN_PATTERN
from contact_relay.handlers import api_examples as examples
from contact_relay.handlers.api_models import ErrorResponse
from contact_relay.handlers.documented_responses import ERROR_RESPONSES, page_response
from contact_relay.handlers.routes import STOP_ROUTE
from contact_relay.handlers.stop_pages import invalid_stop_link_page, stop_page, stopped_page
from contact_relay.observability import metrics

# A malformed token gets the same page as a forged or unknown one (404; error_responses), never
# a JSON error: a person opened it in a browser.
StopToken = Annotated[
    str,
    Path(
        alias="token",
        pattern=STOP_TOKEN_PATTERN,
        description="The token of the stop link in an email of the conversation",
        openapi_examples=examples.STOP_TOKENS,
    ),
]


def register_stop_routes(
    app: APIGatewayRestResolver, conversations: ConversationKeeper | None
) -> None:
    """`conversations` is None without REPLY_DOMAIN: there is then no conversation to stop."""
    page_404 = page_response("A page saying the link is incomplete or names no conversation")
    # A path that is no token at all is not this route's: the API's own 404 (not_found).
    page_404["content"]["application/json"] = {"model": ErrorResponse}

    @app.get(
        STOP_ROUTE.rule,
        summary="The page of a conversation's stop link: one button, and nothing stopped yet",
        responses={
            200: page_response("A page with one button that posts to this URL"),
            404: page_404,
            405: ERROR_RESPONSES[405],
        },
    )
    def stop_link_page(token: StopToken) -> Response[str]:
        # Opening the link reads nothing and changes nothing: a link scanner stops nothing.
        return stop_page()

    @app.post(
        STOP_ROUTE.rule,
        summary="Stop the conversation for good (the button of the link's page)",
        responses={
            200: page_response("A page saying the conversation is stopped (again: the same)"),
            404: page_404,
            405: ERROR_RESPONSES[405],
            503: ERROR_RESPONSES[503],
        },
    )
    def stop_conversation(token: StopToken) -> Response[str]:
        if conversations is None or not conversations.stop(token):
            metrics.add_metric(name="StopLinkInvalid", unit=MetricUnit.Count, value=1)
            return invalid_stop_link_page()
        metrics.add_metric(name="ConversationStopped", unit=MetricUnit.Count, value=1)
        return stopped_page()
