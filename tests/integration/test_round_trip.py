"""A conversation through both functions under moto: the buyer's form message, then replies
back and forth through the aliases. Each side sees only aliases, and threading names only the
relay's own Message-IDs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage, Message
from email.policy import SMTP
from email.utils import parseaddr
from itertools import pairwise
from typing import Any

import boto3
import pytest

from contact_relay.handlers import contact, inbound
from tests.conftest import MotoAWS
from tests.inbound_builders import ses_event
from tests.support import (
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    body_of,
    contact_body,
    parse_mime,
    post_event,
    traces_of_address,
)

REPLY_DOMAIN = "reply.shop.example"
BUCKET = "contact-relay-inbound-test"
BUYER = "hanako.yamada@buyer-mail.example"
# Its address has no local part short enough to turn up by chance in an alias or a date.
SELLER_ID = "tokyo-tea"
# Message-IDs the relay writes: the form's (at the sender's domain) and relayed ones.
OURS = re.compile(rf"<[^<>@\s]+@({re.escape(REPLY_DOMAIN)}|relay\.example)>")


@pytest.fixture
def relay(aws: MotoAWS, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoAWS]:
    for name, value in {
        "REPLY_DOMAIN": REPLY_DOMAIN,
        "PUBLIC_API_URL": "https://api.shop.example/v1",
        "INBOUND_BUCKET": BUCKET,
        "INBOUND_PREFIX": "inbound/",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3").create_bucket(Bucket=BUCKET)
    aws.sesv2.create_email_identity(EmailIdentity=REPLY_DOMAIN)
    contact.environments.start_cold()
    inbound.environments.start_cold()
    yield aws
    inbound.environments.start_cold()


def reply(to_mail: Message, sender: str, text: str, ses_message_id: str) -> dict[str, Any]:
    """Answer `to_mail` as a mail client does (To its Reply-To, else its From; threading on
    its Message-ID, with the writer's own Message-ID), through SES receiving."""
    alias = parseaddr(str(to_mail["Reply-To"] or to_mail["From"]))[1]
    # Long ids on one line, as mail clients write them (the library would fold them into
    # encoded words, which no client sends).
    answer = EmailMessage(policy=SMTP.clone(max_line_length=998))
    answer["From"] = f"Someone <{sender}>"
    answer["To"] = alias
    answer["Subject"] = f"Re: {to_mail['Subject']}"
    answer["Message-ID"] = f"<{ses_message_id}@mail.{sender.rpartition('@')[2]}>"
    answer["In-Reply-To"] = str(to_mail["Message-ID"])
    references = " ".join(
        filter(None, [str(to_mail["References"] or ""), str(to_mail["Message-ID"])])
    )
    answer["References"] = f"{references} {answer['Message-ID']}"
    answer.set_content(f"{text}\n\nOn Monday, someone wrote:\n> earlier text\n")
    boto3.client("s3").put_object(
        Bucket=BUCKET, Key=f"inbound/{ses_message_id}", Body=answer.as_bytes()
    )
    event = ses_event(
        ses_message_id=ses_message_id,
        recipients=(alias,),
        header_from=f"Someone <{sender}>",
        source=sender,
    )
    result: dict[str, Any] = inbound.lambda_handler(event, FakeLambdaContext())
    return result


def test_buyer_seller_buyer_seller_through_the_aliases(relay: MotoAWS) -> None:
    seller_address = relay.dynamodb.get_item(
        TableName=TEST_ENVIRONMENT["SELLERS_TABLE"], Key={"sellerId": {"S": SELLER_ID}}
    )["Item"]["replyToEmail"]["S"]
    body = contact_body(buyer={"name": "Hanako Yamada", "email": BUYER})
    response = contact.lambda_handler(post_event(body, seller_id=SELLER_ID), FakeLambdaContext())
    assert response["statusCode"] == 201, response["body"]

    steps = [
        (seller_address, "It ships tomorrow.", "ses-in-1"),
        (BUYER, "Great, thank you!", "ses-in-2"),
        (seller_address, "You are welcome.", "ses-in-3"),
    ]
    for sender, text, ses_message_id in steps:
        latest = relay.sent_emails()[-1]
        assert reply(latest, sender, text, ses_message_id)["results"][0]["reason"] is None
        relayed = relay.sent_emails()[-1]
        assert text in body_of(relayed)

    raws = [sent.raw_data.encode("ascii") for sent in relay.sent_raw()]
    to_seller = [raws[0], raws[2]]
    to_buyer = [raws[1], raws[3]]
    # The seller never sees the buyer's address; the buyer never sees the seller's.
    for raw in to_seller:
        assert traces_of_address(raw, BUYER) == []
        assert parse_mime(raw)["To"] == seller_address
    for raw in to_buyer:
        assert traces_of_address(raw, seller_address) == []
        assert parse_mime(raw)["To"] == BUYER
    # Every relayed email threads on the one before it, and names only our own Message-IDs.
    mails = [parse_mime(raw) for raw in raws]
    for earlier, later in pairwise(mails):
        assert later["In-Reply-To"] == earlier["Message-ID"]
        references = str(later["References"]).split()
        assert references[-1] == earlier["Message-ID"]
        assert all(OURS.fullmatch(ref) for ref in references), references
        assert "mail." not in str(later["References"])
    # Each relayed message has its row, in its direction.
    directions = sorted(
        row.get("direction", "") for row in relay.message_rows() if row["status"] == "sent"
    )
    assert directions == [
        "buyer_to_seller",
        "buyer_to_seller",
        "seller_to_buyer",
        "seller_to_buyer",
    ]
