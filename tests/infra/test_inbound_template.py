"""The inbound path in template.yaml: the receipt rule, the bucket, the function and its role, as
CloudFormation will see them, with and without a ReplyDomain."""

from __future__ import annotations

from typing import Any

import pytest

from contact_relay.handlers import inbound
from tests.infra.test_template import actions, deployed, table_arn
from tests.template_facts import alarmed_metrics

pytestmark = pytest.mark.infra

WITH_REPLIES = {"ReplyDomain": "reply.shop.example", "PublicApiUrl": "https://api.shop.example"}
INBOUND_RESOURCES = {
    "InboundFunction",
    "InboundFunctionRole",
    "InboundFunctionLogGroup",
    "InboundBucket",
    "InboundBucketPolicy",
    "InboundFunctionSesPermission",
    "InboundRuleSet",
    "InboundReceiptRule",
}
RULE_ARN = (
    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:receipt-rule-set/"
    "${AWS::StackName}-inbound:receipt-rule/${AWS::StackName}-reply-aliases"
)


def resources() -> dict[str, Any]:
    found: dict[str, Any] = deployed(**WITH_REPLIES)["Resources"]
    return found


def props(name: str) -> dict[str, Any]:
    found: dict[str, Any] = resources()[name]["Properties"]
    return found


def statements() -> list[dict[str, Any]]:
    role = props("InboundFunctionRole")
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def test_without_a_reply_domain_nothing_receives_mail() -> None:
    assert INBOUND_RESOURCES.isdisjoint(deployed()["Resources"])


def test_with_a_reply_domain_the_whole_inbound_path_is_deployed() -> None:
    assert resources().keys() >= INBOUND_RESOURCES


def test_the_function_runs_the_inbound_handler_with_what_it_needs_and_no_more() -> None:
    function = props("InboundFunction")
    contact = props("ContactFunction")

    assert function["Handler"] == "contact_relay.handlers.inbound.lambda_handler"
    assert function["Layers"] == contact["Layers"]
    assert (function["Runtime"], function["Architectures"]) == ("python3.13", ["arm64"])
    variables = function["Environment"]["Variables"]
    assert set(variables) == {
        "SELLERS_TABLE",
        "MESSAGES_TABLE",
        "CONVERSATIONS_TABLE",
        "REPLY_DOMAIN",
        "SENDER_ADDRESS",
        "MARKETPLACE_NAME",
        "SES_CONFIGURATION_SET",
        "MESSAGE_RETENTION_DAYS",
        "CONVERSATION_RETENTION_DAYS",
        "PUBLIC_API_URL",
        "DIGEST_KEY_SECRET_ARN",
        "INBOUND_BUCKET",
        "INBOUND_PREFIX",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
    }
    assert variables["INBOUND_PREFIX"] == "inbound/"
    # The same sender identity and configuration set as the contact function's. No link
    # policy: a reply's links are always removed (reply_text.py says why).
    for name in ("SES_CONFIGURATION_SET", "MARKETPLACE_NAME", "PUBLIC_API_URL"):
        assert variables[name] == contact["Environment"]["Variables"][name]


def only(*attributes: str) -> dict[str, Any]:
    return {"ForAllValues:StringEquals": {"dynamodb:Attributes": list(attributes)}}


def test_the_role_may_read_only_the_prefix_and_touch_only_what_the_relay_writes() -> None:
    granted = {
        (actions(s), repr(s["Resource"]), repr(s.get("Condition")))
        for s in statements()
        if not any(action.startswith("ses:") for action in actions(s))
    }
    conversations = table_arn("ConversationsTable")
    indexes = [
        {"Fn::Sub": "${ConversationsTable.Arn}/index/byBuyerAlias"},
        {"Fn::Sub": "${ConversationsTable.Arn}/index/bySellerAlias"},
    ]
    messages = table_arn("MessagesTable")

    assert all(s["Effect"] == "Allow" for s in statements())
    assert granted == {
        (("s3:GetObject",), repr({"Fn::Sub": "${InboundBucket.Arn}/inbound/*"}), "None"),
        (("dynamodb:GetItem",), repr(table_arn("SellersTable")), "None"),
        (("dynamodb:Query",), repr(indexes), "None"),
        (("dynamodb:GetItem",), repr(conversations), "None"),
        (
            ("dynamodb:UpdateItem",),
            repr(conversations),
            repr(only("conversationId", "expiresAt")),
        ),
        (("dynamodb:DeleteItem", "dynamodb:PutItem"), repr(messages), "None"),
        (
            ("dynamodb:UpdateItem",),
            repr(messages),
            repr(only("messageId", "status", "sesMessageId", "failureReason", "updatedAt")),
        ),
        (("secretsmanager:GetSecretValue",), repr({"Ref": "DigestKeySecret"}), "None"),
    }


def test_every_send_is_from_an_alias_at_the_reply_domain() -> None:
    sends = [s for s in statements() if "ses:SendEmail" in actions(s)]
    assert sends
    for statement in sends:
        assert statement["Condition"] == {
            "StringLike": {"ses:FromAddress": {"Fn::Sub": "*@${ReplyDomain}"}}
        }


def test_the_bucket_is_private_encrypted_tls_only_and_expires_what_it_keeps() -> None:
    bucket = props("InboundBucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    [encryption] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    [rule] = bucket["LifecycleConfiguration"]["Rules"]
    assert (rule["Status"], rule["ExpirationInDays"]) == ("Enabled", 7)
    [deny] = [
        s
        for s in props("InboundBucketPolicy")["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny"
    ]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_ses_may_write_only_under_the_prefix_and_only_for_this_stacks_rule() -> None:
    [allow] = [
        s
        for s in props("InboundBucketPolicy")["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    assert allow["Principal"] == {"Service": "ses.amazonaws.com"}
    assert allow["Action"] == "s3:PutObject"
    assert allow["Resource"] == {"Fn::Sub": "${InboundBucket.Arn}/inbound/*"}
    assert allow["Condition"]["StringEquals"] == {
        "aws:SourceAccount": {"Ref": "AWS::AccountId"},
        "aws:SourceArn": {"Fn::Sub": RULE_ARN},
    }
    permission = props("InboundFunctionSesPermission")
    assert (permission["Principal"], permission["SourceArn"]) == (
        "ses.amazonaws.com",
        {"Fn::Sub": RULE_ARN},
    )
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_the_rule_scans_requires_tls_stores_then_invokes_asynchronously() -> None:
    rule = resources()["InboundReceiptRule"]
    assert set(rule["DependsOn"]) >= {"InboundBucketPolicy", "InboundFunctionSesPermission"}
    properties = rule["Properties"]
    assert properties["RuleSetName"] == {"Ref": "InboundRuleSet"}
    assert props("InboundRuleSet")["RuleSetName"] == {"Fn::Sub": "${AWS::StackName}-inbound"}
    body = properties["Rule"]
    assert body["Name"] == {"Fn::Sub": "${AWS::StackName}-reply-aliases"}
    assert (body["Enabled"], body["ScanEnabled"], body["TlsPolicy"]) == (True, True, "Require")
    assert body["Recipients"] == [{"Ref": "ReplyDomain"}]
    store, invoke = body["Actions"]
    assert store["S3Action"] == {
        "BucketName": {"Ref": "InboundBucket"},
        "ObjectKeyPrefix": "inbound/",
    }
    assert invoke["LambdaAction"] == {
        "FunctionArn": {"Fn::GetAtt": ["InboundFunction", "Arn"]},
        "InvocationType": "Event",
    }


def test_relays_that_fail_for_good_raise_an_alarm() -> None:
    names = {metric.name for metric in alarmed_metrics()}
    assert f"{inbound.DROPPED}_delivery_failed" in names
    assert f"{inbound.DROPPED}_message_missing" in names


def test_the_rule_set_to_activate_is_an_output() -> None:
    outputs = deployed(**WITH_REPLIES)["Outputs"]
    assert outputs["InboundRuleSetName"]["Value"] == {"Ref": "InboundRuleSet"}
    assert "InboundRuleSetName" not in deployed()["Outputs"]


def test_a_failed_invocation_raises_an_alarm_before_lambda_gives_the_reply_up() -> None:
    alarm = props("InboundFunctionErrorsAlarm")
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "InboundFunction"}}]
    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "Sum",
        "GreaterThanThreshold",
        0,
    )
