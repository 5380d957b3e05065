"""What can go wrong in the relay, as plain exceptions; `handlers.error_responses` maps them."""

from __future__ import annotations

from typing import Literal


class RelayError(Exception):
    """Base of every failure the relay reports to a caller on purpose."""


class SellerNotFound(RelayError):
    """No seller with this id, or the seller is not active."""


class SellerUnavailable(RelayError):
    """The seller exists but its reply-to address cannot receive messages; `reason` says why
    (for the operator's logs and metrics, never for the buyer): no address, one that is not an
    address, or one that is not verified (`pending`) or bounces (`bouncing`)."""

    def __init__(
        self,
        seller_id: str,
        reason: Literal["no_address", "invalid_address", "pending", "bouncing"],
    ) -> None:
        super().__init__(f"seller {seller_id} unavailable: {reason}")
        self.seller_id = seller_id
        self.reason = reason


class MessageNotFound(RelayError):
    """No message with this id, or its record has expired."""


class VerificationLinkInvalid(RelayError):
    """A verification link that is malformed, unknown, used already or expired."""


class MessageEmpty(RelayError):
    """Nothing is left of the message once it is reduced to plain text."""


class BuyerNameEmpty(RelayError):
    """Nothing honest is left of the buyer's name once reduced: it was only markup or links."""


class LinksNotAllowed(RelayError):
    """LINK_POLICY=reject and buyer text held a link; `part` says which: "message" or
    "buyer_name" (the names of `service.Inquiry`'s fields)."""

    def __init__(self, part: Literal["message", "buyer_name"]) -> None:
        super().__init__(f"links are not allowed in the {part}")
        self.part = part


class DeliveryFailed(RelayError):
    """SES refused the message for good; `reason` is an AWS error code, never shown to buyers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryMisconfigured(RelayError):
    """SES refused the sender, identity or permissions (AccessDenied and the like): no retry can
    succeed until an operator fixes the configuration. `reason` is an AWS error code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryUnconfirmed(RelayError):
    """The send may have reached SES but no answer came back (a read timeout, a connection
    closed after the request went out): the email may be out, so it must not be sent again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DependencyUnavailable(RelayError):
    """DynamoDB or SES is throttling or down; nothing was sent, a retry may work."""

    def __init__(self, dependency: str, reason: str, retry_after_seconds: int = 5) -> None:
        super().__init__(f"{dependency}: {reason}")
        self.dependency = dependency
        self.reason = reason
        self.retry_after_seconds = retry_after_seconds


class RateLimited(RelayError):
    """Too many messages from this buyer or source address in the current window.

    `limit` says which was reached, `"buyer"` (the buyer's address) or `"source_ip"`, so the
    buyer can be told which: another address does not help past the network's limit.
    """

    def __init__(self, retry_after_seconds: int, *, limit: Literal["buyer", "source_ip"]) -> None:
        super().__init__(f"{limit} rate limited for {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds
        self.limit = limit


class HumanCheckFailed(RelayError):
    """A captcha verifier is configured and the request's token was missing or refused."""

    def __init__(self, missing: bool) -> None:
        super().__init__("captcha token missing" if missing else "captcha token refused")
        self.missing = missing


class InboundMessageMissing(RelayError):
    """The raw message SES was to store for an inbound email is not in the bucket (the S3
    action failed, or the object expired before a late retry): nothing can be relayed."""


class InboundMessageTooLarge(RelayError):
    """The raw inbound message is larger than the relay reads; it is dropped unread."""
