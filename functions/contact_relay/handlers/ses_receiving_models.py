"""The event SES receiving sends a receipt rule's Lambda action, as the inbound function reads it.

The shape is the SES Developer Guide's "Contents of notifications for Amazon SES email
receiving" (`Records[0].ses.mail` and `.receipt`): the verdicts are objects with a `status`, the
headers a list of name/value pairs, `commonHeaders.from` a list of header values. Powertools'
`SesModel` is not used: it has no `dkimVerdict`, requires a Subject, and refuses the `DISABLED`
status SES gives a verdict whose check is switched off. Only what the relay reads is declared, and
every object ignores the rest. Addresses stay in these models: nothing here is logged.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contact_relay.inbound_checks import InboundEnvelope, Verdicts

# More than SES would ever put in one event; past these the event is not SES's.
_MAX_RECIPIENTS = 100
_MAX_HEADERS = 1000
_MISSING = "MISSING"


class _SesObject(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SesVerdict(_SesObject):
    status: str = Field(max_length=32)


class SesHeader(_SesObject):
    name: str
    value: str


class SesCommonHeaders(_SesObject):
    header_from: list[str] = Field([], alias="from", max_length=_MAX_HEADERS)


class SesReceivedMail(_SesObject):
    message_id: str = Field(alias="messageId", pattern=r"^[A-Za-z0-9._-]{1,128}$")
    # The envelope's MAIL FROM; empty for a bounce.
    source: str = ""
    headers: list[SesHeader] = Field([], max_length=_MAX_HEADERS)
    common_headers: SesCommonHeaders = Field(SesCommonHeaders(), alias="commonHeaders")


class SesReceipt(_SesObject):
    recipients: list[str] = Field(min_length=1, max_length=_MAX_RECIPIENTS)
    spam_verdict: SesVerdict = Field(alias="spamVerdict")
    virus_verdict: SesVerdict = Field(alias="virusVerdict")
    spf_verdict: SesVerdict | None = Field(None, alias="spfVerdict")
    dkim_verdict: SesVerdict | None = Field(None, alias="dkimVerdict")
    dmarc_verdict: SesVerdict | None = Field(None, alias="dmarcVerdict")


class SesReceived(_SesObject):
    mail: SesReceivedMail
    receipt: SesReceipt


class SesReceivingRecord(_SesObject):
    event_source: Literal["aws:ses"] = Field(alias="eventSource")
    ses: SesReceived


class SesReceivingEvent(_SesObject):
    # SES invokes the action once per received message.
    records: list[SesReceivingRecord] = Field(alias="Records", min_length=1, max_length=1)

    def envelope(self) -> InboundEnvelope:
        received = self.records[0].ses
        mail, receipt = received.mail, received.receipt

        def status(verdict: SesVerdict | None) -> str:
            return verdict.status.upper() if verdict is not None else _MISSING

        def header(name: str) -> tuple[str, ...]:
            return tuple(h.value for h in mail.headers if h.name.lower() == name)

        return InboundEnvelope(
            ses_message_id=mail.message_id,
            recipients=tuple(receipt.recipients),
            verdicts=Verdicts(
                spam=status(receipt.spam_verdict),
                virus=status(receipt.virus_verdict),
                spf=status(receipt.spf_verdict),
                dkim=status(receipt.dkim_verdict),
                dmarc=status(receipt.dmarc_verdict),
            ),
            reverse_path=mail.source,
            header_from=tuple(mail.common_headers.header_from),
            auto_submitted=header("auto-submitted"),
            precedence=header("precedence"),
        )
