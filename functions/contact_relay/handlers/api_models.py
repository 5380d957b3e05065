"""Request and response bodies of the HTTP API (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic.alias_generators import to_camel

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.ports import MessageStatus
from contact_relay.settings import DEFAULT_MAX_MESSAGE_CHARS
from contact_relay.text_rules import NOT_IN_ONE_LINE, has_forbidden_single_line_character
from contact_relay.topics import TopicId

MAX_BODY_BYTES = 32 * 1024
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
SELLER_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# Message ids are random UUIDs (version 4), written in lower case.
MESSAGE_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# What text_rules.has_forbidden_single_line_character refuses, as the schema's patterns can
# state it (lone surrogates too, but no pattern can name them; the validators refuse those).
ONE_LINE_PATTERN = rf"^[^{NOT_IN_ONE_LINE}]*$"
# One line with something visible in it. The visible character is neither white space nor
# forbidden: `\S` alone would let one control character through.
NAME_PATTERN = rf"^[^{NOT_IN_ONE_LINE}]*[^\s{NOT_IN_ONE_LINE}][^{NOT_IN_ONE_LINE}]*$"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, str_strip_whitespace=False)


class Buyer(_Request):
    name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            pattern=NAME_PATTERN,
            description=(
                "The buyer's name, one line. Reduced like the message (links and markup"
                " removed); refused when nothing else is left of it."
            ),
        ),
    ]
    email: Annotated[
        str,
        Field(
            min_length=3,
            max_length=254,
            json_schema_extra={"format": "email"},
            description="Where the seller's reply goes; a dot-atom address, syntax only.",
        ),
    ]

    @field_validator("name")
    @classmethod
    def _name_is_one_clean_line(cls, value: str) -> str:
        if has_forbidden_single_line_character(value):
            raise ValueError("must not contain line breaks or control characters")
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("email")
    @classmethod
    def _email_is_an_address(cls, value: str) -> str:
        if has_forbidden_single_line_character(value):
            raise ValueError("must not contain line breaks or control characters")
        try:
            return normalise_email_address(value.strip())
        except InvalidEmailAddress as exc:
            raise ValueError(f"is not a valid email address: {exc}") from None


def _message_field(max_chars: int) -> Any:
    return Field(
        min_length=1,
        # Counted as sent: reduction can lengthen a message (a 4-character link becomes
        # `[link removed]`), so a limit on the reduced text would refuse what this one allows.
        max_length=max_chars,
        description=(
            "The buyer's message, its length counted as sent. Delivered as plain text: markup"
            " and control characters removed, each link replaced by [link removed]."
        ),
    )


class ContactRequest(_Request):
    """The request, with the default message limit; `contact_request_model` sets another."""

    topic: Annotated[TopicId, Field(description="One of the ids from GET /topics.")]
    message: Annotated[str, _message_field(DEFAULT_MAX_MESSAGE_CHARS)]
    buyer: Buyer
    order_id: Annotated[str | None, Field(pattern=r"^[0-9A-Za-z-]{1,40}$")] = None
    website: Annotated[
        str | None,
        Field(
            max_length=2048,
            pattern=ONE_LINE_PATTERN,
            description="Honeypot: leave empty. Hidden from people.",
        ),
    ] = None
    captcha_token: Annotated[str | None, Field(max_length=4096, pattern=ONE_LINE_PATTERN)] = None

    @field_validator("website", "captcha_token")
    @classmethod
    def _single_line(cls, value: str | None) -> str | None:
        if value is not None and has_forbidden_single_line_character(value):
            raise ValueError("must not contain line breaks or control characters")
        return value


@lru_cache(maxsize=8)
def contact_request_model(max_message_chars: int) -> type[ContactRequest]:
    """ContactRequest with a deployment's MAX_MESSAGE_CHARS: what the route validates against
    and the OpenAPI document describes, so the two cannot disagree."""
    return create_model(
        "ContactRequest",
        __base__=ContactRequest,
        message=Annotated[str, _message_field(max_message_chars)],
    )


class _Response(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class TopicView(_Response):
    id: TopicId
    label: str
    subject: str


class TopicsResponse(_Response):
    topics: list[TopicView]


class Removed(_Response):
    """What reduction took out of the message (the buyer's name is reduced too, not counted)."""

    links: int = Field(
        ge=0, description="How many links in the message were replaced by [link removed]."
    )
    markup: bool = Field(description="Whether HTML or other markup was taken out of the message.")


class ContactAccepted(_Response):
    message_id: str
    status: Literal["sent", "unconfirmed"] = Field(
        "sent",
        description=(
            "`sent` (201), or `unconfirmed` (202): SES may have accepted the email but its"
            " answer was lost; it is not sent again, and a retry gets this same answer."
        ),
    )
    topic: TopicId
    subject: str
    confirmation: str
    removed: Removed


class SellerView(_Response):
    """Whom a form writes to, and whether a message sent now would be sent: no address."""

    seller_id: str
    display_name: str
    accepting: bool = Field(
        description=(
            "Whether the seller can receive messages now; when false, a message is refused"
            " with 409 seller_unavailable and nothing is sent."
        )
    )


class MessageStatusView(_Response):
    """Where a message is; its id is the capability. No address, no text."""

    message_id: str
    status: MessageStatus = Field(
        description=(
            "`sent` when SES accepted it, then `delivered`, `delayed`, `bounced` or"
            " `complained` as SES reports; `failed` when SES refused it; `unconfirmed` when"
            " SES's answer to the send was lost."
        )
    )
    topic: TopicId
    created_at: datetime
    updated_at: datetime


class ErrorDetail(_Response):
    field: str
    issue: str


class ErrorInfo(_Response):
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorResponse(_Response):
    error: ErrorInfo

    def to_body(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)
