"""SES event publishing, as the configuration set's EventBridge destination delivers it.

Powertools' `EventBridgeModel` is the envelope; its `detail` is the record SES publishes to
every destination (eventType, mail, and one object named after the event type). Powertools'
`SesModel` is not used: it describes SES *receiving* events, whose `mail` has no tags.
Only what the relay reads is declared, each object ignoring the rest, so a field SES adds
tomorrow changes nothing. Addresses stay in these models: nothing here is logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field


class _SesObject(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SesMail(_SesObject):
    message_id: str = Field(alias="messageId")
    timestamp: datetime
    destination: list[str] = []
    # SES's own tags (ses:configuration-set, ...) and the send's EmailTags, each a list.
    tags: dict[str, list[str]] = {}


class SesRecipient(_SesObject):
    email_address: str = Field(alias="emailAddress")


class SesBounce(_SesObject):
    bounce_type: Literal["Undetermined", "Permanent", "Transient"] = Field(alias="bounceType")
    bounce_subtype: str = Field("General", alias="bounceSubType")
    bounced_recipients: list[SesRecipient] = Field(alias="bouncedRecipients")
    timestamp: datetime


class SesComplaint(_SesObject):
    complained_recipients: list[SesRecipient] = Field(alias="complainedRecipients")
    timestamp: datetime


class SesTimestamped(_SesObject):
    """Delivery and DeliveryDelay: when SES saw it happen."""

    timestamp: datetime


class SesSendingEvent(_SesObject):
    event_type: Literal["Delivery", "DeliveryDelay", "Bounce", "Complaint", "Reject"] = Field(
        alias="eventType"
    )
    mail: SesMail
    delivery: SesTimestamped | None = None
    delivery_delay: SesTimestamped | None = Field(None, alias="deliveryDelay")
    bounce: SesBounce | None = None
    complaint: SesComplaint | None = None


class SesEventBridgeEvent(EventBridgeModel):
    source: Literal["aws.ses"]
    detail: SesSendingEvent
