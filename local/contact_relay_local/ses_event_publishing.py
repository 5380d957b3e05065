"""SES event publishing, emulated: the events SES would put on EventBridge for one email sent
through a configuration set, in the shape SES publishes them (the `detail` is SES's event record,
the envelope EventBridge's).

An ordinary recipient gets a Delivery. SES's mailbox simulator addresses behave as the SES
Developer Guide's "Using the mailbox simulator" describes them (a `+label` is allowed):
`bounce@`: a permanent bounce (550 5.1.1 user unknown); `complaint@`: delivered, then a
complaint; `suppressionlist@`: a permanent bounce, as if the address were on SES's global
suppression list (subtype `Suppressed`); `ooto@` (the out-of-office reply goes to the sender,
not to the event destination) and `success@`: a delivery. SES publishes nothing for an email
sent without a configuration set.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any

SIMULATOR_DOMAIN = "simulator.amazonses.com"
ACCOUNT_ID = "000000000000"
DETAIL_TYPES = {
    "Delivery": "Email Delivered",
    "DeliveryDelay": "Email Delivery Delayed",
    "Bounce": "Email Bounced",
    "Complaint": "Email Complaint Received",
    "Reject": "Email Rejected",
}


@dataclass(frozen=True, slots=True)
class SentEmail:
    """One SendEmail that SES accepted: what the request said and what SES answered."""

    ses_message_id: str
    source: str
    raw_message: bytes
    configuration_set: str | None
    tags: dict[str, str] = field(default_factory=dict)
    sent_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def recipients(self) -> list[str]:
        mail = message_from_bytes(self.raw_message, policy=default_policy)
        fields = [str(value) for name in ("To", "Cc", "Bcc") for value in mail.get_all(name, [])]
        return [address for _, address in getaddresses(fields) if address]


def simulated_outcome(recipient: str) -> tuple[str, ...]:
    """The event types SES publishes for one recipient, in the order it publishes them."""
    local, _, domain = recipient.lower().rpartition("@")
    if domain != SIMULATOR_DOMAIN:
        return ("Delivery",)
    scenario = local.split("+", 1)[0]
    return {
        "bounce": ("Bounce",),
        "suppressionlist": ("Bounce",),
        "complaint": ("Delivery", "Complaint"),
    }.get(scenario, ("Delivery",))


def published_events(sent: SentEmail, region: str) -> list[dict[str, Any]]:
    """Every EventBridge event SES would publish about `sent`, oldest first."""
    if not sent.configuration_set:
        return []
    events = []
    for recipient in sent.recipients:
        for offset, kind in enumerate(simulated_outcome(recipient), start=1):
            at = sent.sent_at + timedelta(seconds=offset)
            detail = {"eventType": kind, "mail": _mail(sent, region)}
            detail.update(_event_object(kind, recipient, at))
            events.append(_on_eventbridge(kind, detail, at, region, sent.configuration_set))
    return events


def _on_eventbridge(
    kind: str, detail: dict[str, Any], at: datetime, region: str, configuration_set: str
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": DETAIL_TYPES[kind],
        "source": "aws.ses",
        "account": ACCOUNT_ID,
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:ses:{region}:{ACCOUNT_ID}:configuration-set/{configuration_set}"],
        "detail": detail,
    }


def _mail(sent: SentEmail, region: str) -> dict[str, Any]:
    mail = message_from_bytes(sent.raw_message, policy=default_policy)
    from_domain = sent.source.rpartition("@")[2]
    tags = {
        "ses:configuration-set": [sent.configuration_set],
        "ses:source-ip": ["127.0.0.1"],
        "ses:from-domain": [from_domain],
        "ses:caller-identity": ["contact-relay-local"],
        **{name: [value] for name, value in sent.tags.items()},
    }
    return {
        "timestamp": _iso(sent.sent_at),
        "source": sent.source,
        "sourceArn": f"arn:aws:ses:{region}:{ACCOUNT_ID}:identity/{sent.source}",
        "sendingAccountId": ACCOUNT_ID,
        "messageId": sent.ses_message_id,
        "destination": sent.recipients,
        "headersTruncated": False,
        "headers": [{"name": name, "value": str(value)} for name, value in mail.items()],
        "commonHeaders": {
            "from": [str(value) for value in mail.get_all("From", [])],
            "to": sent.recipients,
            "messageId": sent.ses_message_id,
            "subject": str(mail.get("Subject", "")),
        },
        "tags": tags,
    }


def _event_object(kind: str, recipient: str, at: datetime) -> dict[str, Any]:
    feedback_id = f"{uuid.uuid4()}-000000"
    if kind == "Delivery":
        return {
            "delivery": {
                "timestamp": _iso(at),
                "processingTimeMillis": 1000,
                "recipients": [recipient],
                "smtpResponse": "250 2.6.0 Message received",
                "reportingMTA": "a8-70.smtp-out.amazonses.com",
            }
        }
    if kind == "Complaint":
        return {
            "complaint": {
                "complainedRecipients": [{"emailAddress": recipient}],
                "timestamp": _iso(at),
                "feedbackId": feedback_id,
                "complaintFeedbackType": "abuse",
                "arrivalDate": _iso(at),
            }
        }
    suppressed = recipient.lower().startswith("suppressionlist")
    return {
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "Suppressed" if suppressed else "General",
            "bouncedRecipients": [
                {
                    "emailAddress": recipient,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": (
                        "Amazon SES has suppressed sending to this address"
                        if suppressed
                        else "smtp; 550 5.1.1 user unknown"
                    ),
                }
            ],
            "timestamp": _iso(at),
            "feedbackId": feedback_id,
            "reportingMTA": "dsn; a8-70.smtp-out.amazonses.com",
        }
    }


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
