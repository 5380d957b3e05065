"""`POST /_local/inbound`: mail to an alias, received as SES receiving would receive it.

The body is one raw RFC 5322 message (`Content-Type: message/rfc822`); `X-Local-Verdicts` states
what SES's checks found (`receipt_verdicts.py`). The message is stored in the inbound bucket under
INBOUND_PREFIX + its SES message id, as the receipt rule's S3 action stores it, and the inbound
function is invoked with the event the rule's Lambda action sends (`ses_receiving.py`). The answer
is what the function returned: `200 {"results": [{"recipient", "disposition", "reason"}]}`.

A message with no To or Cc address at REPLY_DOMAIN is answered `422 no_alias_recipient` and
neither stored nor handed on: SES accepts mail only for its receipt rule's addresses, so such a
message never reaches the function in AWS.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from contact_relay.inbound_settings import InboundSettings
from contact_relay_local.edge import error_envelope
from contact_relay_local.environments import WarmFunction
from contact_relay_local.receipt_verdicts import VERDICTS_HEADER, BadVerdicts, parse_verdicts
from contact_relay_local.ses_receiving import NoRecipientAtReplyDomain, new_message_id, receive

INBOUND_PATH = "/_local/inbound"
# The inbound function's own cap, at its default (INBOUND_MAX_BYTES): past it the function drops
# a message unread, so the local server need not read more (it reads a body whole).
MAX_INBOUND_BYTES: int = InboundSettings.model_fields["inbound_max_bytes"].default
CONTENT_TYPE = "message/rfc822"


@dataclass(frozen=True, slots=True)
class InboundAnswer:
    status: int
    body: dict[str, Any]
    # For the stack's request line: why the function gave no usable answer, and its init time
    # when this invocation started it cold.
    failure: str | None = None
    init_ms: float | None = None


def _error(status: int, code: str, message: str, field: str | None = None) -> InboundAnswer:
    return InboundAnswer(status, error_envelope(code, message, field))


class LocalInbound:
    """The receipt rule of the local stack: its bucket, its prefix and its function."""

    def __init__(
        self, s3: Any, function: WarmFunction | None, environ: MutableMapping[str, str]
    ) -> None:
        """`function` is None when REPLY_DOMAIN is empty: then nothing is received."""
        self._s3 = s3
        self._function = function
        self._environ = environ
        region = environ["AWS_DEFAULT_REGION"]
        name = function.name if function is not None else "InboundFunction"
        self._function_arn = f"arn:aws:lambda:{region}:{DEFAULT_ACCOUNT_ID}:function:{name}"

    @property
    def function(self) -> WarmFunction | None:
        return self._function

    def receive(self, headers: Message, body: bytes) -> InboundAnswer:
        content_type = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if content_type != CONTENT_TYPE:
            return _error(415, "unsupported_media_type", f"Send the raw message as {CONTENT_TYPE}.")
        try:
            verdicts = parse_verdicts(headers.get(VERDICTS_HEADER))
        except BadVerdicts as exc:
            return _error(400, "invalid_verdicts", str(exc), field=VERDICTS_HEADER)
        received_at = datetime.now(UTC)
        message_id = new_message_id()
        try:
            mail = receive(
                body,
                # No function, no receiving (REPLY_DOMAIN was empty when the stack started).
                reply_domain=self._environ.get("REPLY_DOMAIN", "") if self._function else "",
                verdicts=verdicts,
                function_arn=self._function_arn,
                received_at=received_at,
                invoked_at=datetime.now(UTC),
                message_id=message_id,
            )
        except NoRecipientAtReplyDomain as exc:
            return _error(422, "no_alias_recipient", f"Nothing to receive: {exc}.")
        self._s3.put_object(
            Bucket=self._environ["INBOUND_BUCKET"],
            Key=self._environ.get("INBOUND_PREFIX", "") + mail.message_id,
            Body=mail.stored,
        )
        assert self._function is not None  # receive() took the message: there is a domain
        invocation = self._function.invoke(mail.event)
        results = (invocation.response or {}).get("results")
        if not isinstance(results, list):
            failure = invocation.failure or "its answer holds no results list"
            return InboundAnswer(
                502,
                error_envelope("bad_gateway", "The inbound function failed."),
                failure=f"{self._function.name}: {failure}",
                init_ms=invocation.init_ms,
            )
        return InboundAnswer(200, {"results": results}, init_ms=invocation.init_ms)
