"""The inbound function end to end under moto: the raw message in S3 and SES receiving's event
in, the relayed email in SES's outbox, the message's row and the conversation kept alive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from contact_relay.adapters.dynamodb_conversations import DynamoDBConversations
from contact_relay.errors import DependencyUnavailable
from contact_relay.handlers import inbound
from contact_relay.handlers.inbound_wiring import InboundClients, InboundWiring
from contact_relay.handlers.ses_receiving_models import SesReceivingEvent
from contact_relay.observability import logger
from contact_relay.replies import RecipientOutcome, relayed_message_id
from tests.conftest import MotoAWS
from tests.inbound_builders import (
    BUYER,
    BUYER_ALIAS,
    NOW,
    REPLY_DOMAIN,
    SELLER_ALIAS,
    conversation,
    raw_reply,
    ses_event,
)
from tests.integration.test_delivery_events import ClientsMade, SendEmailRequests
from tests.integration.test_reliability import emitted_metrics
from tests.support import TEST_ENVIRONMENT, FakeLambdaContext, body_of
from tests.template_facts import alarmed_metrics

BUCKET = "contact-relay-inbound-test"
PREFIX = "inbound/"
CONVERSATIONS = TEST_ENVIRONMENT["CONVERSATIONS_TABLE"]
# The demo seller every test stack has: its verified reply-to address.
SELLER_ID = "example-store"
TO_SELLER = f"{SELLER_ALIAS}@{REPLY_DOMAIN}"
TO_BUYER = f"{BUYER_ALIAS}@{REPLY_DOMAIN}"


@dataclass
class Inbound:
    aws: MotoAWS
    s3: Any
    conversations: DynamoDBConversations
    seller_address: str

    def receive(self, raw: bytes, **options: Any) -> dict[str, Any]:
        """Store `raw` as the receipt rule's S3 action does, then invoke as SES does."""
        event = ses_event(**options)
        ses_message_id = event["Records"][0]["ses"]["mail"]["messageId"]
        self.s3.put_object(Bucket=BUCKET, Key=PREFIX + ses_message_id, Body=raw)
        answer: dict[str, Any] = inbound.lambda_handler(event, FakeLambdaContext())
        return answer

    def from_seller(self, text: str, ses_message_id: str, **headers: str) -> dict[str, Any]:
        raw = raw_reply(sender=self.seller_address, to=TO_BUYER, text=text, headers=headers)
        return self.receive(
            raw,
            ses_message_id=ses_message_id,
            recipients=(TO_BUYER,),
            header_from=self.seller_address,
            source=self.seller_address,
        )

    def row(self, message_id: str) -> dict[str, Any]:
        [row] = [row for row in self.aws.message_rows() if row["messageId"] == message_id]
        return row


@pytest.fixture
def world(aws: MotoAWS, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbound]:
    for name, value in {
        "REPLY_DOMAIN": REPLY_DOMAIN,
        "CONVERSATIONS_TABLE": CONVERSATIONS,
        "PUBLIC_API_URL": "https://api.shop.example/v1",
        "INBOUND_BUCKET": BUCKET,
        "INBOUND_PREFIX": PREFIX,
    }.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    aws.sesv2.create_email_identity(EmailIdentity=REPLY_DOMAIN)
    book = DynamoDBConversations(CONVERSATIONS, aws.dynamodb)
    book.open(conversation(seller_id=SELLER_ID))
    seller = aws.dynamodb.get_item(
        TableName=TEST_ENVIRONMENT["SELLERS_TABLE"], Key={"sellerId": {"S": SELLER_ID}}
    )["Item"]
    inbound.environments.start_cold()
    yield Inbound(aws, s3, book, seller["replyToEmail"]["S"])
    inbound.environments.start_cold()


def test_a_buyers_reply_is_relayed_to_the_seller_recorded_and_keeps_the_conversation(
    world: Inbound,
) -> None:
    answer = world.receive(raw_reply(text="Is the blue one in stock?"))

    assert answer == {
        "results": [{"recipient": TO_SELLER, "disposition": "relayed", "reason": None}]
    }
    [email] = world.aws.sent_emails()
    assert parseaddr(str(email["From"])) == ("Hanako Yamada via Amazon", TO_BUYER)
    assert email["To"] == world.seller_address
    assert "Is the blue one in stock?" in body_of(email)
    row = world.row(relayed_message_id("ses-inbound-1", TO_SELLER))
    assert (row["status"], row["direction"], row["sellerId"]) == (
        "sent",
        "buyer_to_seller",
        SELLER_ID,
    )
    kept = world.conversations.find(conversation().conversation_id)
    assert kept is not None and kept.expires_at > int(NOW.timestamp()) + 170 * 86400


def test_a_sellers_reply_is_relayed_to_the_buyer(world: Inbound) -> None:
    answer = world.from_seller("It ships tomorrow.", "ses-inbound-2")

    assert answer["results"][0]["disposition"] == "relayed"
    [email] = world.aws.sent_emails()
    assert email["To"] == BUYER
    assert parseaddr(str(email["From"]))[1] == TO_SELLER
    raw = world.aws.sent_raw()[0].raw_data
    assert world.seller_address not in raw
    row = world.row(relayed_message_id("ses-inbound-2", TO_BUYER))
    assert row["direction"] == "seller_to_buyer"


def test_a_relayed_reply_goes_out_through_the_deployments_configuration_set(
    world: Inbound, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SES publishes a reply's bounces and complaints only for mail sent through the set, so
    # without it a bouncing buyer or seller address would never stop taking replies. moto does
    # not check the set, so the request is read as it is built.
    monkeypatch.setenv("SES_CONFIGURATION_SET", "relay-events")
    with SendEmailRequests() as sent:
        answer = world.receive(raw_reply(text="Is the blue one in stock?"))

    assert answer["results"][0]["disposition"] == "relayed"
    assert [request.get("ConfigurationSetName") for request in sent.requests] == ["relay-events"]


def test_a_drop_is_answered_to_no_one_counted_and_logged_without_addresses(
    world: Inbound, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    capsys.readouterr()
    caplog.set_level("DEBUG", logger=logger.name)
    answer = world.receive(raw_reply(), header_from="Mallory <mallory@evil.example>")

    assert answer["results"] == [
        {"recipient": TO_SELLER, "disposition": "dropped", "reason": "sender_not_authorised"}
    ]
    assert world.aws.sent_raw() == []
    assert world.aws.message_rows() == []
    # The log lines as Powertools writes them: its handler writes to the stdout of its import,
    # which capsys does not see, so the records are read through caplog and formatted here.
    ours = [record for record in caplog.records if record.name == logger.name]
    assert any(getattr(record, "reason", None) == "sender_not_authorised" for record in ours)
    lines = "\n".join(logger.registered_formatter.format(record) for record in ours)
    assert "sender_not_authorised" in lines
    output = capsys.readouterr().out
    for written in (lines, output):
        assert "mallory" not in written and BUYER not in written
        assert REPLY_DOMAIN not in written
    metrics = {name for _, name, _ in emitted_metrics(output)}
    assert f"{inbound.DROPPED}_sender_not_authorised" in metrics


def test_the_same_event_twice_sends_once(world: Inbound) -> None:
    first = world.receive(raw_reply())
    retry = world.receive(raw_reply())
    assert first["results"][0]["disposition"] == "relayed"
    assert retry["results"][0]["reason"] == "duplicate"
    assert len(world.aws.sent_raw()) == 1


def test_an_event_that_is_not_ses_receivings_is_dropped_not_retried(world: Inbound) -> None:
    answer = inbound.lambda_handler({"Records": [{"eventSource": "aws:sqs"}]}, FakeLambdaContext())
    assert answer == {"results": []}


def test_a_dependency_down_before_the_send_raises_so_lambda_retries(world: Inbound) -> None:
    dynamodb = boto3.client("dynamodb")
    with Stubber(dynamodb) as stubber:
        stubber.add_client_error("query", "ThrottlingException")
        wiring = InboundWiring.build(InboundClients(dynamodb=dynamodb))
        world.s3.put_object(Bucket=BUCKET, Key=PREFIX + "ses-inbound-1", Body=raw_reply())
        envelope = SesReceivingEvent.model_validate(ses_event()).envelope()
        with pytest.raises(DependencyUnavailable):
            wiring.relay.relay(envelope)
    assert world.aws.sent_raw() == []


@pytest.mark.parametrize("reason", ["message_missing", "delivery_failed"])
def test_each_alarmed_drop_is_one_the_function_emits(
    world: Inbound, capsys: pytest.CaptureFixture[str], reason: str
) -> None:
    event = ses_event(ses_message_id="missing-1")
    if reason == "delivery_failed":
        # SES refuses the send for good: no identity verifies the reply domain any more.
        world.aws.sesv2.delete_email_identity(EmailIdentity=REPLY_DOMAIN)
        world.s3.put_object(Bucket=BUCKET, Key=PREFIX + "missing-1", Body=raw_reply())
    capsys.readouterr()

    answer = inbound.lambda_handler(event, FakeLambdaContext())

    assert answer["results"][0]["reason"] == reason
    emitted = emitted_metrics(capsys.readouterr().out)
    [alarmed] = [m for m in alarmed_metrics() if m.name == f"{inbound.DROPPED}_{reason}"]
    assert (alarmed.namespace, alarmed.name, alarmed.dimensions) in emitted


def printed(output: str) -> list[dict[str, Any]]:
    """The JSON objects printed on stdout, one a line."""
    found = []
    for line in output.splitlines():
        with suppress(ValueError):
            found.append(json.loads(line))
    return [item for item in found if isinstance(item, dict)]


def counted(output: str) -> dict[str, tuple[str, Any]]:
    """Each metric of the EMF blobs printed: its unit and the value CloudWatch reads."""
    found = {}
    for blob in printed(output):
        for directive in blob.get("_aws", {}).get("CloudWatchMetrics", []):
            for metric in directive["Metrics"]:
                found[metric["Name"]] = (metric["Unit"], blob[metric["Name"]])
    return found


def handled(
    outcome: RecipientOutcome,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> tuple[dict[str, Any], dict[str, tuple[str, Any]]]:
    """Invoke the function on SES's event with a relay that answers `outcome`: the fields of the
    log record about it (the logger's handler writes to the stdout of its import, which capsys
    does not see) and the metrics printed."""
    relay = type("Relay", (), {"relay": staticmethod(lambda envelope: [outcome])})()
    monkeypatch.setattr(inbound.environments, "current", lambda: type("W", (), {"relay": relay}))
    capsys.readouterr()
    caplog.set_level("INFO")
    inbound.lambda_handler(ses_event(ses_message_id="ses-inbound-9"), FakeLambdaContext())
    [record] = [r for r in caplog.records if getattr(r, "sesMessageId", None) == "ses-inbound-9"]
    fields = {**vars(record), "message": record.getMessage(), "level": record.levelname}
    return fields, counted(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("unconfirmed", "metric", "other"),
    [(False, inbound.RELAYED, inbound.UNCONFIRMED), (True, inbound.UNCONFIRMED, inbound.RELAYED)],
)
def test_a_relay_is_logged_by_its_ids_and_counted_once_as_confirmed_or_not(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    unconfirmed: bool,
    metric: str,
    other: str,
) -> None:
    outcome = RecipientOutcome(TO_SELLER, "relayed", message_id="m-9", unconfirmed=unconfirmed)

    record, metrics = handled(outcome, monkeypatch, capsys, caplog)

    # The line says what happened, for whoever reads the log rather than its fields.
    assert "relayed" in record["message"].lower() and record["level"] == "INFO"
    assert {key: record.get(key) for key in ("messageId", "disposition", "reason")} == {
        "messageId": "m-9",
        "disposition": "relayed",
        "reason": None,
    }
    assert record["unconfirmed"] is unconfirmed
    assert metrics[metric] == ("Count", [1.0])
    assert other not in metrics
    assert not [name for name in metrics if name.startswith(inbound.DROPPED)]


@pytest.mark.parametrize("reason", ["sender_not_authorised", "delivery_misconfigured"])
def test_a_drop_is_logged_by_its_ids_and_counted_by_its_reason(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    reason: Any,
) -> None:
    outcome = RecipientOutcome(TO_SELLER, "dropped", reason=reason, message_id="m-9")

    record, metrics = handled(outcome, monkeypatch, capsys, caplog)

    assert "dropped" in record["message"].lower() and record["level"] == "INFO"
    assert {key: record.get(key) for key in ("messageId", "disposition", "reason")} == {
        "messageId": "m-9",
        "disposition": "dropped",
        "reason": reason,
    }
    assert "unconfirmed" not in record
    assert metrics[f"{inbound.DROPPED}_{reason}"] == ("Count", [1.0])
    assert inbound.RELAYED not in metrics and inbound.UNCONFIRMED not in metrics
    # The contact function's alarm on DeliveryMisconfigured covers this function too.
    if reason == "delivery_misconfigured":
        assert metrics[inbound.MISCONFIGURED] == ("Count", [1.0])
    else:
        assert inbound.MISCONFIGURED not in metrics


def test_an_environment_makes_one_client_per_service_within_its_time_budget(
    world: Inbound, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contact_relay.adapters.aws_errors import (
        DYNAMODB_CLIENT_CONFIG,
        S3_CLIENT_CONFIG,
        SES_CLIENT_CONFIG,
    )

    clients = ClientsMade(monkeypatch)
    InboundWiring.build()

    # The three tables through one DynamoDB client; SES with the longer read timeout.
    made = [(service, config) for service, config in clients.made if service != "secretsmanager"]
    assert sorted(made, key=lambda pair: pair[0]) == [
        ("dynamodb", DYNAMODB_CLIENT_CONFIG),
        ("s3", S3_CLIENT_CONFIG),
        ("sesv2", SES_CLIENT_CONFIG),
    ]


def test_the_clients_an_environment_is_given_are_the_ones_it_uses(
    world: Inbound, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = InboundClients(
        dynamodb=world.aws.dynamodb,
        sesv2=world.aws.sesv2,
        s3=world.s3,
        secretsmanager=boto3.client("secretsmanager"),
    )
    clients = ClientsMade(monkeypatch)

    wiring = InboundWiring.build(given)
    world.s3.put_object(Bucket=BUCKET, Key=PREFIX + "ses-inbound-1", Body=raw_reply())
    [outcome] = wiring.relay.relay(SesReceivingEvent.model_validate(ses_event()).envelope())

    assert outcome.disposition == "relayed"
    assert clients.made == []
