"""The delivery events function under moto: an email sent by the contact function, the events
SES would publish about it, and what they change in the messages and sellers tables."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from contact_relay.adapters.dynamodb_verifications import DynamoDBAddressVerifications
from contact_relay.handlers import contact, delivery_events
from contact_relay_local.ses_event_publishing import SentEmail, published_events
from tests.conftest import MotoAWS
from tests.integration.test_reliability import emitted_metrics
from tests.support import (
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    contact_body,
    default_session_events,
    load_event,
    post_event,
)
from tests.template_facts import alarmed_metrics

CONFIGURATION_SET = "contact-relay-test"
REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]


@pytest.fixture
def relay(aws: MotoAWS, monkeypatch: pytest.MonkeyPatch) -> Iterator[Relay]:
    monkeypatch.setenv("SES_CONFIGURATION_SET", CONFIGURATION_SET)
    relay = Relay(aws)
    yield relay
    relay.close()


class SendEmailRequests:
    """Every SendEmail request a client of the default session builds while this is open, as
    SES receives it: moto keeps neither its configuration set nor its tags."""

    EVENT = "before-parameter-build.sesv2.SendEmail"

    def __init__(self) -> None:
        self._events = default_session_events()
        self.requests: list[dict[str, Any]] = []
        self._events.register(self.EVENT, self._keep)

    def _keep(self, params: dict[str, Any], **_: Any) -> None:
        self.requests.append(copy.deepcopy(params))

    def close(self) -> None:
        self._events.unregister(self.EVENT, self._keep)

    def __enter__(self) -> SendEmailRequests:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Relay:
    """The contact function sends through the configuration set; each send's request is kept,
    as SES keeps its tags for the events it publishes (moto does not)."""

    def __init__(self, aws: MotoAWS) -> None:
        self.aws = aws
        self._requests = SendEmailRequests()
        contact.environments.start_cold()
        delivery_events.environments.start_cold()

    def close(self) -> None:
        self._requests.close()
        contact.environments.start_cold()
        delivery_events.environments.start_cold()

    def send_to(self, seller_id: str, address: str) -> tuple[str, list[dict[str, Any]]]:
        """Send one message to a seller at `address`; its id and the events SES publishes."""
        self.aws.put_seller(
            {
                "sellerId": seller_id,
                "displayName": "Shop",
                "replyToEmail": address,
                "status": "active",
            }
        )
        response = contact.lambda_handler(
            post_event(contact_body(), seller_id=seller_id), FakeLambdaContext()
        )
        assert response["statusCode"] == 201, response["body"]
        message_id = str(json.loads(response["body"])["messageId"])
        request, sent = self._requests.requests[-1], self.aws.sent_raw()[-1]
        email = SentEmail(
            ses_message_id=sent.id,
            source=request["FromEmailAddress"],
            raw_message=sent.raw_data.encode("utf-8"),
            configuration_set=request.get("ConfigurationSetName"),
            tags={tag["Name"]: tag["Value"] for tag in request.get("EmailTags", [])},
        )
        return message_id, published_events(email, REGION)

    def message(self, message_id: str) -> dict[str, Any]:
        [row] = [row for row in self.aws.message_rows() if row["messageId"] == message_id]
        return row

    def seller(self, seller_id: str) -> dict[str, Any]:
        item = self.aws.dynamodb.get_item(
            TableName=TEST_ENVIRONMENT["SELLERS_TABLE"], Key={"sellerId": {"S": seller_id}}
        )["Item"]
        return {key: next(iter(value.values())) for key, value in item.items()}


def handle(event: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = delivery_events.lambda_handler(event, FakeLambdaContext())
    return answer


def test_an_ordinary_recipient_s_delivery_marks_the_message_delivered(relay: Relay) -> None:
    message_id, events = relay.send_to("shop-ok", "cs@shop-ok.example")
    assert relay.message(message_id)["status"] == "sent"
    [delivery] = events

    assert handle(delivery) == {"outcome": "changed", "sellersMarkedBouncing": 0}

    row = relay.message(message_id)
    assert row["status"] == "delivered"
    assert int(row["updatedAt"]) >= int(row["createdAt"])
    assert "replyToStatus" not in relay.seller("shop-ok")


def test_a_permanent_bounce_marks_the_message_bounced_and_the_seller_bouncing(
    relay: Relay, capsys: pytest.CaptureFixture[str]
) -> None:
    message_id, [bounce] = relay.send_to("shop-gone", "bounce@simulator.amazonses.com")
    capsys.readouterr()

    assert handle(bounce) == {"outcome": "changed", "sellersMarkedBouncing": 1}

    assert relay.message(message_id)["status"] == "bounced"
    seller = relay.seller("shop-gone")
    assert seller["replyToStatus"] == "bouncing"
    assert seller["replyToStatusReason"] == "permanent_bounce:General"
    assert int(seller["replyToStatusChangedAt"]) > 0
    emitted = emitted_metrics(capsys.readouterr().out)
    [alarmed] = [m for m in alarmed_metrics() if m.name == delivery_events.SELLER_MARKED_BOUNCING]
    assert (alarmed.namespace, alarmed.name, alarmed.dimensions) in emitted


def test_duplicates_and_late_events_change_nothing(relay: Relay) -> None:
    message_id, [bounce] = relay.send_to("shop-dup", "bounce@simulator.amazonses.com")
    _, [delivery] = relay.send_to("shop-dup-2", "cs@shop-dup-2.example")
    handle(bounce)
    first = relay.seller("shop-dup")
    late_delivery = copy.deepcopy(bounce)
    late_delivery["detail"]["eventType"] = "Delivery"
    late_delivery["detail"]["delivery"] = delivery["detail"]["delivery"]
    del late_delivery["detail"]["bounce"]

    assert handle(bounce) == {"outcome": "unchanged", "sellersMarkedBouncing": 0}
    assert handle(late_delivery) == {"outcome": "unchanged", "sellersMarkedBouncing": 0}

    assert relay.message(message_id)["status"] == "bounced"
    assert relay.seller("shop-dup") == first


def test_a_delay_after_the_delivery_changes_nothing(relay: Relay) -> None:
    message_id, [delivery] = relay.send_to("shop-slow", "cs@shop-slow.example")
    delay = copy.deepcopy(delivery)
    delay["detail-type"] = "Email Delivery Delayed"
    delay["detail"]["eventType"] = "DeliveryDelay"
    delay["detail"]["deliveryDelay"] = {
        "timestamp": "2026-12-01T12:00:00.000Z",
        "delayType": "MailboxFull",
        "expirationTime": "2026-12-02T12:00:00.000Z",
        "delayedRecipients": [{"emailAddress": "cs@shop-slow.example"}],
    }
    del delay["detail"]["delivery"]

    handle(delivery)
    assert handle(delay)["outcome"] == "unchanged"

    assert relay.message(message_id)["status"] == "delivered"


def test_a_complaint_after_the_delivery_marks_both(relay: Relay) -> None:
    message_id, events = relay.send_to("shop-spam", "complaint@simulator.amazonses.com")

    assert [handle(event)["outcome"] for event in events] == ["changed", "changed"]

    assert relay.message(message_id)["status"] == "complained"
    assert relay.seller("shop-spam")["replyToStatusReason"] == "complaint"


def test_a_transient_bounce_bounces_the_message_but_not_the_seller(relay: Relay) -> None:
    message_id, [bounce] = relay.send_to("shop-full", "bounce@simulator.amazonses.com")
    bounce["detail"]["bounce"]["bounceType"] = "Transient"
    bounce["detail"]["bounce"]["bounceSubType"] = "MailboxFull"

    assert handle(bounce) == {"outcome": "changed", "sellersMarkedBouncing": 0}

    assert relay.message(message_id)["status"] == "bounced"
    assert "replyToStatus" not in relay.seller("shop-full")


def test_a_bounce_of_an_address_the_seller_no_longer_has_does_not_mark_it(relay: Relay) -> None:
    _, [bounce] = relay.send_to("shop-moved", "bounce@simulator.amazonses.com")
    relay.aws.put_seller(
        {"sellerId": "shop-moved", "displayName": "Shop", "replyToEmail": "new@shop.example"}
    )

    assert handle(bounce)["sellersMarkedBouncing"] == 0
    assert "replyToStatus" not in relay.seller("shop-moved")


def test_a_bounce_older_than_the_address_s_verification_does_not_undo_it(relay: Relay) -> None:
    _, [bounce] = relay.send_to("shop-fixed", "bounce@simulator.amazonses.com")
    # Given the seller opened a verification link after the bounce happened (what
    # DynamoDBAddressVerifications.confirm writes), and the bounce arrives only now
    digest, later = "d" * 64, int(datetime.now(UTC).timestamp()) + 3600
    relay.aws.dynamodb.update_item(
        TableName=TEST_ENVIRONMENT["SELLERS_TABLE"],
        Key={"sellerId": {"S": "shop-fixed"}},
        UpdateExpression="SET verificationDigest = :digest, verificationExpiresAt = :expires",
        ExpressionAttributeValues={":digest": {"S": digest}, ":expires": {"N": str(later + 60)}},
    )
    verifications = DynamoDBAddressVerifications(
        TEST_ENVIRONMENT["SELLERS_TABLE"], relay.aws.dynamodb
    )
    assert verifications.confirm("shop-fixed", digest, later)

    assert handle(bounce)["sellersMarkedBouncing"] == 0
    assert relay.seller("shop-fixed")["replyToStatus"] == "verified"


def test_a_bounce_after_the_verification_marks_the_address_again(relay: Relay) -> None:
    _, [bounce] = relay.send_to("shop-relapsed", "bounce@simulator.amazonses.com")
    relay.aws.dynamodb.update_item(
        TableName=TEST_ENVIRONMENT["SELLERS_TABLE"],
        Key={"sellerId": {"S": "shop-relapsed"}},
        UpdateExpression="SET replyToStatus = :verified, replyToVerifiedAt = :earlier",
        ExpressionAttributeValues={
            ":verified": {"S": "verified"},
            ":earlier": {"N": str(int(datetime.now(UTC).timestamp()) - 3600)},
        },
    )

    assert handle(bounce)["sellersMarkedBouncing"] == 1
    assert relay.seller("shop-relapsed")["replyToStatus"] == "bouncing"


def test_an_event_for_an_unknown_message_is_ignored_not_retried(relay: Relay) -> None:
    _, [delivery] = relay.send_to("shop-x", "cs@shop-x.example")
    delivery["detail"]["mail"]["tags"]["relayMessageId"] = ["no-such-message"]

    assert handle(delivery) == {"outcome": "unknown_message", "sellersMarkedBouncing": 0}
    assert "no-such-message" not in {row["messageId"] for row in relay.aws.message_rows()}


def test_an_email_without_our_tags_is_ignored(relay: Relay) -> None:
    _, [delivery] = relay.send_to("shop-y", "cs@shop-y.example")
    for name in ("relayMessageId", "relaySellerId"):
        del delivery["detail"]["mail"]["tags"][name]

    assert handle(delivery)["outcome"] == "unknown_message"


@pytest.mark.parametrize(
    "event",
    [
        {"source": "aws.ses", "detail": {}},
        {"not": "an EventBridge event"},
        {
            "version": "0",
            "id": "1",
            "detail-type": "Email Opened",
            "source": "aws.ses",
            "account": "000000000000",
            "time": "2026-12-01T12:00:00Z",
            "region": REGION,
            "resources": [],
            "detail": {"eventType": "Open", "mail": {"messageId": "x", "timestamp": "x"}},
        },
    ],
)
def test_an_unreadable_event_is_dropped_without_its_values_in_the_logs(
    relay: Relay, event: dict[str, Any]
) -> None:
    assert handle(event) == {"outcome": "unreadable"}


def test_the_record_ses_documents_is_read() -> None:
    # The Bounce record of the SES Developer Guide's "Examples of event data that Amazon SES
    # publishes", in the envelope EventBridge gives it (the detail is the same record).
    detail = {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": "recipient@example.com",
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": "2017-08-05T00:41:02.669Z",
            "feedbackId": "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
            "reportingMTA": "dsn; mta.example.com",
        },
        "mail": {
            "timestamp": "2017-08-05T00:40:02.012Z",
            "source": "Sender Name <sender@example.com>",
            "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
            "sendingAccountId": "123456789012",
            "messageId": "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
            "destination": ["recipient@example.com"],
            "headersTruncated": False,
            "headers": [{"name": "From", "value": "Sender Name <sender@example.com>"}],
            "commonHeaders": {"from": ["Sender Name <sender@example.com>"], "subject": "Hi"},
            "tags": {
                "ses:configuration-set": ["ConfigSet"],
                "relayMessageId": ["m-1"],
                "relaySellerId": ["shop-1"],
            },
        },
    }
    envelope = {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "Email Bounced",
        "source": "aws.ses",
        "account": "123456789012",
        "time": "2017-08-05T00:41:03Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }
    from aws_lambda_powertools.utilities.parser import parse

    from contact_relay.handlers.ses_event_models import SesEventBridgeEvent

    event = delivery_events.delivery_event_from(parse(envelope, model=SesEventBridgeEvent).detail)

    assert (event.kind, event.message_id, event.seller_id) == ("Bounce", "m-1", "shop-1")
    assert event.address_failure == "permanent_bounce:General"
    assert event.recipients == ("recipient@example.com",)
    assert event.occurred_at == datetime(2017, 8, 5, 0, 41, 2, 669000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "kind", "address_failure"),
    [
        ("ses-delivery", "Delivery", None),
        ("ses-bounce-permanent", "Bounce", "permanent_bounce:General"),
        ("ses-complaint", "Complaint", "complaint"),
    ],
)
def test_the_event_corpus_reads_as_the_event_it_is_named_for(
    name: str, kind: str, address_failure: str | None
) -> None:
    from aws_lambda_powertools.utilities.parser import parse

    from contact_relay.handlers.ses_event_models import SesEventBridgeEvent

    parsed = parse(load_event(name), model=SesEventBridgeEvent)
    event = delivery_events.delivery_event_from(parsed.detail)

    assert (event.kind, event.address_failure) == (kind, address_failure)
    assert (event.message_id, event.seller_id) == (
        "3f1c2b7e-8d4a-4e6b-9c2d-1a5b7e9f0c3d",
        "example-store",
    )


def test_after_a_permanent_bounce_the_buyer_sees_bounced_and_the_seller_takes_no_more(
    relay: Relay,
) -> None:
    message_id, [bounce] = relay.send_to("shop-loop", "bounce@simulator.amazonses.com")
    handle(bounce)

    status = contact.lambda_handler(
        get_message_event(message_id), FakeLambdaContext()
    )  # GET /messages/{messageId}
    again = contact.lambda_handler(
        post_event(contact_body(message="Still there?"), seller_id="shop-loop"),
        FakeLambdaContext(),
    )

    assert json.loads(status["body"])["status"] == "bounced"
    assert json.loads(status["body"])["updatedAt"] >= json.loads(status["body"])["createdAt"]
    assert again["statusCode"] == 409
    assert json.loads(again["body"])["error"]["code"] == "seller_unavailable"


def get_message_event(message_id: str) -> dict[str, Any]:
    event = load_event("get-message-status")
    event["path"] = f"/messages/{message_id}"
    event["pathParameters"] = {"messageId": message_id}
    return event


SENT_AT = "2026-03-02T10:00:00.000Z"
HAPPENED_AT = "2026-03-02T10:05:30.250Z"


def read_detail(event_type: str, **objects: Any) -> Any:
    """The relay's reading of an SES record whose `mail` was sent at SENT_AT."""
    from aws_lambda_powertools.utilities.parser import parse

    from contact_relay.handlers.ses_event_models import SesEventBridgeEvent

    detail = {
        "eventType": event_type,
        "mail": {
            "timestamp": SENT_AT,
            "messageId": "ses-1",
            "tags": {"relayMessageId": ["m-1"], "relaySellerId": ["shop-1"]},
        },
        **objects,
    }
    envelope = {
        "version": "0",
        "id": "e-1",
        "detail-type": "Email event",
        "source": "aws.ses",
        "account": "123456789012",
        "time": "2026-03-02T10:06:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }
    return delivery_events.delivery_event_from(parse(envelope, model=SesEventBridgeEvent).detail)


@pytest.mark.parametrize(
    ("event_type", "objects", "occurred_at"),
    [
        ("Delivery", {"delivery": {"timestamp": HAPPENED_AT}}, HAPPENED_AT),
        ("DeliveryDelay", {"deliveryDelay": {"timestamp": HAPPENED_AT}}, HAPPENED_AT),
        # A Reject's object carries no time of its own: the send's is kept.
        ("Reject", {"reject": {"reason": "Bad content"}}, SENT_AT),
    ],
)
def test_the_time_kept_is_the_event_s_own_else_the_send_s(
    event_type: str, objects: dict[str, Any], occurred_at: str
) -> None:
    event = read_detail(event_type, **objects)

    assert event.kind == event_type
    assert event.occurred_at == datetime.fromisoformat(occurred_at)


def test_a_permanent_bounce_keeps_the_subtype_ses_gives() -> None:
    bounce = {
        "bounceType": "Permanent",
        "bounceSubType": "Suppressed",
        "bouncedRecipients": [{"emailAddress": "cs@shop-1.example"}],
        "timestamp": HAPPENED_AT,
    }
    event = read_detail("Bounce", bounce=bounce)

    assert event.address_failure == "permanent_bounce:Suppressed"
    assert event.occurred_at == datetime.fromisoformat(HAPPENED_AT)


class ClientsMade:
    """boto3.client, counting the clients made and the configuration each is given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[tuple[str, Any]] = []
        self._client: Any = boto3.client
        monkeypatch.setattr(boto3, "client", self)

    def __call__(self, service: str, *args: Any, **kwargs: Any) -> Any:
        self.made.append((service, kwargs.get("config")))
        return self._client(service, *args, **kwargs)


def test_an_environment_makes_one_dynamodb_client_within_its_time_budget(
    aws: MotoAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG
    from contact_relay.handlers.delivery_events_wiring import DeliveryEventsWiring

    clients = ClientsMade(monkeypatch)
    DeliveryEventsWiring.build()

    # Both tables through one client (one connection pool), with its short timeouts and no retry.
    assert clients.made == [("dynamodb", DYNAMODB_CLIENT_CONFIG)]


def test_the_client_an_environment_is_given_is_the_one_it_uses(
    aws: MotoAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contact_relay.handlers.delivery_events_wiring import DeliveryEventsWiring

    clients = ClientsMade(monkeypatch)
    DeliveryEventsWiring.build(aws.dynamodb)

    assert clients.made == []
