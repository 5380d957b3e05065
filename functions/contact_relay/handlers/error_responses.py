"""The one place where failures become HTTP answers: DESIGN.md's error table, as code.

Every answer is `{"error": {"code", "message", "details"?}}`. Nothing a buyer sent is echoed
back, and no AWS error text or stack trace reaches a caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyInconsistentStateError,
    IdempotencyPersistenceLayerError,
    IdempotencyValidationError,
)

from contact_relay.errors import (
    BuyerNameEmpty,
    DeliveryFailed,
    DeliveryMisconfigured,
    DependencyUnavailable,
    HumanCheckFailed,
    LinksNotAllowed,
    MessageEmpty,
    MessageNotFound,
    RateLimited,
    RelayError,
    SellerNotFound,
    SellerUnavailable,
)
from contact_relay.handlers.api_models import ErrorDetail, ErrorInfo, ErrorResponse
from contact_relay.handlers.routes import STOP_ROUTE, Route
from contact_relay.handlers.stop_pages import invalid_stop_link_page
from contact_relay.handlers.validation_errors import (
    field_details,
    invalid_path_parameter,
    says_the_body_is_not_a_json_object,
)
from contact_relay.handlers.verification_pages import invalid_link_page
from contact_relay.observability import logger, metrics

IN_PROGRESS_RETRY_AFTER_SECONDS = 2
# Metric names that template.yaml's alarms watch (tests/integration compares the two): one count
# per error answer, by its code, and one per send SES refused for a fault of our configuration.
ERROR_METRIC = "Error_{code}"
DELIVERY_MISCONFIGURED_METRIC = "DeliveryMisconfigured"
# One count per refusal for a seller's address, by why: `pending` and `bouncing` need the seller
# to confirm their address; `no_address` and `invalid_address` need an operator.
SELLER_UNAVAILABLE_METRIC = "SellerUnavailable_{reason}"
# Issues of refusals no schema can state, which the contract fuzzing test tells from the rest.
NAME_WITHOUT_TEXT = "must hold more than links or markup"
KEY_REUSED = "was already used for a different request"
BUYER_LIMIT_REACHED = "has sent the most messages allowed in an hour"
# The service's names for the parts of a request, as the API spells them.
_WIRE_NAMES = {"message": "message", "buyer_name": "buyer.name"}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    metrics.add_metric(
        name="Rejected" if status < 500 else "Failed", unit=MetricUnit.Count, value=1
    )
    metrics.add_metric(name=ERROR_METRIC.format(code=code), unit=MetricUnit.Count, value=1)
    body = ErrorResponse(
        error=ErrorInfo(code=code, message=message, details=list(details) if details else None)
    )
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body.to_body(),
        headers=headers or {},
    )


def invalid_json() -> Response[dict[str, Any]]:
    return error_response(400, "invalid_json", "The body must be a JSON object.")


def unsupported_media_type() -> Response[dict[str, Any]]:
    return error_response(415, "unsupported_media_type", "Send the body as application/json.")


def register_error_responses(app: APIGatewayRestResolver, routes: Sequence[Route]) -> None:
    """Attach the error table to the resolver, whose routes are `routes`."""

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[dict[str, Any]]:
        path = app.current_event.path
        for route in routes:
            if route.parameters(path) is not None:
                allowed = ", ".join(sorted({*route.methods, "OPTIONS"}))
                return error_response(
                    405,
                    "method_not_allowed",
                    f"This path accepts {allowed}.",
                    headers={"Allow": allowed},
                )
        return error_response(404, "not_found", "There is no such resource.")

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response[Any]:
        return _validation_answer(exc.errors(), app.current_event.path)

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported_media_type(_: RequestUnsupportedContentType) -> Response[dict[str, Any]]:
        return unsupported_media_type()

    @app.exception_handler(RelayError)
    def _relay_error(exc: RelayError) -> Response[dict[str, Any]]:
        return relay_error_response(exc)

    # An inconsistent record (a race at its expiry) clears on a retry, as a request in progress.
    @app.exception_handler(IdempotencyAlreadyInProgressError)
    @app.exception_handler(IdempotencyInconsistentStateError)
    def _in_progress(_: Exception) -> Response[dict[str, Any]]:
        return error_response(
            409,
            "request_in_progress",
            "A request with this Idempotency-Key is being processed. Retry shortly.",
            headers={"Retry-After": str(IN_PROGRESS_RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(IdempotencyValidationError)
    def _key_reused(_: IdempotencyValidationError) -> Response[dict[str, Any]]:
        return error_response(
            422,
            "validation_failed",
            "The request has invalid fields.",
            [ErrorDetail(field="Idempotency-Key", issue=KEY_REUSED)],
        )

    @app.exception_handler(IdempotencyPersistenceLayerError)
    def _idempotency_store_unavailable(
        exc: IdempotencyPersistenceLayerError,
    ) -> Response[dict[str, Any]]:
        return _service_unavailable("idempotency", type(exc).__name__, 5)


def relay_error_response(exc: RelayError) -> Response[dict[str, Any]]:
    """The answer for each of the relay's own errors: DESIGN.md's table, one row per case."""
    match exc:
        case SellerNotFound():
            return _seller_not_found_response()
        case SellerUnavailable(seller_id=seller_id, reason=reason):
            # The seller's id and why, never the address: the operator can act on both.
            logger.warning("seller unavailable", extra={"seller_id": seller_id, "reason": reason})
            metrics.add_metric(
                name=SELLER_UNAVAILABLE_METRIC.format(reason=reason),
                unit=MetricUnit.Count,
                value=1,
            )
            return error_response(
                409, "seller_unavailable", "This seller cannot receive messages at the moment."
            )
        case MessageNotFound():
            return _message_not_found_response()
        case MessageEmpty():
            return error_response(
                422,
                "message_empty",
                "Nothing is left of the message once markup and links are removed.",
                [ErrorDetail(field="message", issue="is empty once reduced to plain text")],
            )
        case BuyerNameEmpty():
            return _invalid_fields(ErrorDetail(field="buyer.name", issue=NAME_WITHOUT_TEXT))
        case LinksNotAllowed(part=part):
            return error_response(
                422,
                "links_not_allowed",
                "Links are not accepted. Remove the link and send again.",
                [ErrorDetail(field=_WIRE_NAMES[part], issue="contains a link")],
            )
        case HumanCheckFailed(missing=missing):
            issue = "is required" if missing else "did not pass verification"
            return _invalid_fields(ErrorDetail(field="captchaToken", issue=issue))
        case RateLimited(retry_after_seconds=retry_after, limit="buyer"):
            # The field whose value reached its hourly limit; the network's limit has none.
            return error_response(
                429,
                "rate_limited",
                "Too many messages from this email address this hour. Nothing was sent; "
                "please retry later.",
                [ErrorDetail(field="buyer.email", issue=BUYER_LIMIT_REACHED)],
                headers={"Retry-After": str(retry_after)},
            )
        case RateLimited(retry_after_seconds=retry_after):
            return error_response(
                429,
                "rate_limited",
                "Too many messages from this network this hour. Nothing was sent; "
                "please retry later.",
                headers={"Retry-After": str(retry_after)},
            )
        case DeliveryFailed(reason=reason):
            logger.error("delivery refused", extra={"reason": reason})
            return _delivery_failed()
        case DeliveryMisconfigured(reason=reason):
            # Every message fails this way until an operator acts: its own metric and alarm.
            # To the buyer it is a refusal like any other, with no Retry-After: retrying is futile.
            logger.error("delivery refused: SES configuration", extra={"reason": reason})
            metrics.add_metric(name=DELIVERY_MISCONFIGURED_METRIC, unit=MetricUnit.Count, value=1)
            return _delivery_failed()
        case DependencyUnavailable():
            return _service_unavailable(exc.dependency, exc.reason, exc.retry_after_seconds)
    raise exc  # a RelayError this table does not know is a bug: let it surface as one


def _delivery_failed() -> Response[dict[str, Any]]:
    return error_response(
        502, "delivery_failed", "The message could not be delivered to the seller."
    )


def _invalid_fields(*details: ErrorDetail) -> Response[dict[str, Any]]:
    return error_response(422, "validation_failed", "The request has invalid fields.", details)


def _service_unavailable(
    dependency: str, reason: str, retry_after: int
) -> Response[dict[str, Any]]:
    logger.warning("dependency unavailable", extra={"dependency": dependency, "reason": reason})
    return error_response(
        503,
        "service_unavailable",
        "The service is busy. Nothing was sent; please retry.",
        headers={"Retry-After": str(retry_after)},
    )


def _validation_answer(errors: Iterable[dict[str, Any]], path: str) -> Response[Any]:
    errors = list(errors)
    parameter = invalid_path_parameter(errors)
    if parameter is not None:
        # An id that cannot exist names no resource: the same answer as an unknown one.
        if parameter == "messageId":
            return _message_not_found_response()
        if parameter == "token":
            # A link opened by a person: its page, not JSON.
            if STOP_ROUTE.parameters(path) is not None:
                return invalid_stop_link_page()
            return invalid_link_page()
        return _seller_not_found_response()
    if says_the_body_is_not_a_json_object(errors):
        return invalid_json()
    return _invalid_fields(*field_details(errors))


def _seller_not_found_response() -> Response[dict[str, Any]]:
    return error_response(
        404, "seller_not_found", "This seller does not exist or is not accepting messages."
    )


def _message_not_found_response() -> Response[dict[str, Any]]:
    return error_response(
        404, "message_not_found", "There is no such message, or its record has expired."
    )
