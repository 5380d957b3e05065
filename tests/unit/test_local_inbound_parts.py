"""The local inbound path's parts that need no running stack: the reply `contact-relay reply`
composes, buckets made as the template says, and settings the template writes out."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contact_relay_local.reply_command import ReplyError, alias_of, compose
from contact_relay_local.template_buckets import create_bucket
from contact_relay_local.template_functions import literal_variables

BUYER_ALIAS = "abcdefghijklmnopqrstuvwxyz234567@reply.localhost"
SELLER_ALIAS = "bcdefghijklmnopqrstuvwxyz2345672@reply.localhost"


def outbox_email(**fields: Any) -> dict[str, Any]:
    return {
        "from": '"Amazon Messaging" <noreply@relay.example>',
        "to": ["cs@example-store.example"],
        "replyTo": [BUYER_ALIAS],
        "subject": "Shipping inquiry from Amazon customer",
        "body": "...",
        **fields,
    }


def test_the_seller_answers_the_buyer_alias_of_a_form_message() -> None:
    reply = compose(outbox_email(), "It ships tomorrow.", 3)

    sent = message_from_bytes(reply.raw, policy=default_policy)
    assert sent["From"] == "cs@example-store.example"
    assert sent["To"] == BUYER_ALIAS
    assert sent["Subject"] == "Re: Shipping inquiry from Amazon customer"
    assert sent["Message-ID"].endswith("@example-store.example>")
    assert sent["Date"] is not None
    assert sent.get_content() == "It ships tomorrow.\r\n"
    assert b"\r\n" in reply.raw


def test_the_buyer_answers_the_seller_alias_a_relayed_reply_came_from() -> None:
    relayed = outbox_email(
        **{
            "from": f'"Example Store via Amazon" <{SELLER_ALIAS}>',
            "to": ["hanako@example.com"],
            "replyTo": [],
            "subject": "Re: Shipping inquiry from Amazon customer",
        }
    )

    reply = compose(relayed, "Thank you!", 1)

    assert (reply.sender, reply.alias) == ("hanako@example.com", SELLER_ALIAS)
    # Not "Re: Re: ...".
    assert reply.subject == "Re: Shipping inquiry from Amazon customer"


@pytest.mark.parametrize(
    "email",
    [
        outbox_email(replyTo=["hanako@example.com"]),  # REPLY_DOMAIN was empty
        outbox_email(replyTo=[]),  # a verification email
        outbox_email(to=[]),
    ],
)
def test_an_email_with_no_alias_or_recipient_cannot_be_answered(email: dict[str, Any]) -> None:
    with pytest.raises(ReplyError, match="outbox message 2"):
        compose(email, "hello", 2)


def test_a_line_break_in_the_outbox_subject_never_reaches_a_header() -> None:
    with pytest.raises(ReplyError, match="cannot be answered"):
        compose(outbox_email(subject="Hi\r\nBcc: victim@example.com"), "hello", 1)


def test_only_an_alias_local_part_makes_an_alias() -> None:
    assert alias_of(f"Someone <{BUYER_ALIAS}>") == BUYER_ALIAS
    assert alias_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567@reply.localhost") is None
    assert alias_of("short@reply.localhost") is None
    assert alias_of("not an address") is None


TEMPLATE = {
    "Parameters": {"InboundRetentionDays": {"Type": "Number", "Default": 7}},
    "Resources": {
        "InboundBucket": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": "true",
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": "expire-raw-mail",
                            "Status": "Enabled",
                            "Prefix": "inbound/",
                            # A !Ref, as the loaded template reads it: the parameter's name.
                            "ExpirationInDays": "InboundRetentionDays",
                        }
                    ]
                },
            },
        },
        "SellersTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
    },
}


@mock_aws
def test_a_bucket_is_made_as_the_template_configures_it() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")

    create_bucket(s3, "local-inbound", "InboundBucket", TEMPLATE)

    rules = s3.get_bucket_encryption(Bucket="local-inbound")["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket="local-inbound")["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket="local-inbound")["Rules"]
    assert rule["ID"] == "expire-raw-mail"
    assert rule["Expiration"] == {"Days": 7}
    assert rule["Filter"] == {"Prefix": "inbound/"}
    with pytest.raises(ValueError, match="not an AWS::S3::Bucket"):
        create_bucket(s3, "other", "SellersTable", TEMPLATE)


def test_only_values_the_template_writes_out_are_literal(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  InboundFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Environment:\n"
        "        Variables:\n"
        "          INBOUND_PREFIX: inbound/\n"
        "          INBOUND_BUCKET: !Ref InboundBucket\n"
        "          NAME: !Sub '${AWS::StackName}-x'\n"
        "          LIMIT: 5\n"
        "  Other:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {}\n",
        encoding="utf-8",
    )

    assert literal_variables("InboundFunction", template) == {
        "INBOUND_PREFIX": "inbound/",
        "LIMIT": "5",
    }
    assert literal_variables("Other", template) == {}
    assert literal_variables("Missing", template) == {}
