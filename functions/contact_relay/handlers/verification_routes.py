"""The routes of a seller's verification link: its page (GET) and its button (POST)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit

from contact_relay.errors import VerificationLinkInvalid
from contact_relay.handlers import api_examples as examples
from contact_relay.handlers.api_models import ErrorResponse
from contact_relay.handlers.documented_responses import ERROR_RESPONSES, page_response
from contact_relay.handlers.routes import VERIFY_ROUTE
from contact_relay.handlers.verification_pages import (
    confirm_page,
    confirmed_page,
    invalid_link_page,
)
from contact_relay.observability import logger, metrics
from contact_relay.verification import TOKEN_PATTERN, AddressConfirmer

# A malformed token gets the same page as a used one (404; error_responses), never a JSON
# error: a person opened it in a browser.
VerificationToken = Annotated[
    str,
    Path(
        alias="token",
        pattern=TOKEN_PATTERN,
        description="The token of the link the seller was sent",
        openapi_examples=examples.VERIFICATION_TOKENS,
    ),
]


def register_verification_routes(app: APIGatewayRestResolver, confirmer: AddressConfirmer) -> None:
    page_404 = page_response("A page saying the link is incomplete, used already or expired")
    # A path that is no token at all is not this route's: the API's own 404 (not_found).
    page_404["content"]["application/json"] = {"model": ErrorResponse}

    @app.get(
        VERIFY_ROUTE.rule,
        summary="The page of a verification link: one button, and nothing confirmed yet",
        responses={
            200: page_response("A page with one button that posts to this URL"),
            404: page_404,
            405: ERROR_RESPONSES[405],
        },
    )
    def verification_page(token: VerificationToken) -> Response[str]:
        # Opening the link reads nothing and changes nothing: a link scanner confirms nothing.
        return confirm_page()

    @app.post(
        VERIFY_ROUTE.rule,
        summary="Confirm the seller's reply-to address (the button of the link's page)",
        responses={
            200: page_response("A page saying the address is confirmed; the link is used up"),
            404: page_404,
            405: ERROR_RESPONSES[405],
            503: ERROR_RESPONSES[503],
        },
    )
    def confirm_address(token: VerificationToken) -> Response[str]:
        try:
            seller_id = confirmer.confirm(token)
        except VerificationLinkInvalid:
            metrics.add_metric(name="VerificationLinkInvalid", unit=MetricUnit.Count, value=1)
            return invalid_link_page()
        metrics.add_metric(name="AddressVerified", unit=MetricUnit.Count, value=1)
        logger.info("reply-to address verified", extra={"seller_id": seller_id})
        return confirmed_page()
