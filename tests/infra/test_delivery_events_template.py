"""The delivery events path in template.yaml: configuration set, event destination, the rule,
the function's role and its alarm, as CloudFormation will see them."""

from __future__ import annotations

from typing import Any

import pytest

from contact_relay.handlers.delivery_events import SELLER_MARKED_BOUNCING
from contact_relay_local.ses_event_publishing import DETAIL_TYPES
from contact_relay_local.template_tables import load_template
from tests.infra.test_template import actions, deployed, properties, table_arn, template

pytestmark = pytest.mark.infra

CONFIGURATION_SET = {"Ref": "DeliveryConfigurationSet"}


def role_statements(function: str) -> list[dict[str, Any]]:
    role = deployed()["Resources"][f"{function}Role"]["Properties"]
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def test_every_email_goes_out_through_the_stack_s_configuration_set() -> None:
    variables = properties("ContactFunction")["Environment"]["Variables"]

    assert variables["SES_CONFIGURATION_SET"] == CONFIGURATION_SET
    assert template()["Resources"]["DeliveryConfigurationSet"]["Type"] == (
        "AWS::SES::ConfigurationSet"
    )
    assert "SesConfigurationSet" not in template()["Parameters"]


def test_the_configuration_set_publishes_the_five_delivery_events_to_the_default_bus() -> None:
    destination = properties("DeliveryEventsDestination")
    event_destination = destination["EventDestination"]

    assert destination["ConfigurationSetName"] == CONFIGURATION_SET
    assert sorted(event_destination["MatchingEventTypes"]) == sorted(
        ["delivery", "deliveryDelay", "bounce", "complaint", "reject"]
    )
    assert event_destination["Enabled"] is True
    bus = event_destination["EventBridgeDestination"]["EventBusArn"]["Fn::Sub"]
    assert bus.endswith(":event-bus/default")


def test_the_rule_takes_only_this_configuration_set_s_delivery_events_to_the_function() -> None:
    rule = properties("DeliveryEventsFunctionSesDeliveryEvents")
    pattern = rule["EventPattern"]

    assert pattern["source"] == ["aws.ses"]
    # The detail-types the local stack's emulation publishes are the ones the rule takes.
    assert sorted(pattern["detail-type"]) == sorted(DETAIL_TYPES.values())
    assert pattern["detail"] == {"mail": {"tags": {"ses:configuration-set": [CONFIGURATION_SET]}}}
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["DeliveryEventsFunction", "Arn"]}


def test_the_events_function_runs_its_own_handler_from_the_same_package() -> None:
    resources = load_template()["Resources"]
    contact = resources["ContactFunction"]["Properties"]
    events = resources["DeliveryEventsFunction"]["Properties"]

    assert events["Handler"] == "contact_relay.handlers.delivery_events.lambda_handler"
    assert (events["CodeUri"], events["Layers"]) == (contact["CodeUri"], contact["Layers"])
    assert events["Environment"]["Variables"] == {
        "SELLERS_TABLE": "SellersTable",
        "MESSAGES_TABLE": "MessagesTable",
    }
    assert "Role" not in events and "Policies" in events  # SAM makes it a role of its own


def test_the_events_function_may_only_update_status_attributes_of_the_two_tables() -> None:
    statements = role_statements("DeliveryEventsFunction")
    granted = {
        (actions(s), repr(s["Resource"]), repr(s["Condition"]))
        for s in statements
        if s["Effect"] == "Allow"
    }

    assert all(statement["Effect"] == "Allow" for statement in statements)
    assert granted == {
        (
            ("dynamodb:UpdateItem",),
            repr(table_arn("MessagesTable")),
            repr(
                {
                    "ForAllValues:StringEquals": {
                        "dynamodb:Attributes": ["messageId", "status", "updatedAt"]
                    }
                }
            ),
        ),
        (
            ("dynamodb:UpdateItem",),
            repr(table_arn("SellersTable")),
            repr(
                {
                    "ForAllValues:StringEquals": {
                        "dynamodb:Attributes": [
                            "sellerId",
                            "replyToEmail",
                            "replyToStatus",
                            "replyToStatusReason",
                            "replyToStatusChangedAt",
                            "replyToVerifiedAt",
                        ]
                    }
                }
            ),
        ),
    }


def test_the_contact_function_may_send_through_the_configuration_set() -> None:
    [sending] = [s for s in role_statements("ContactFunction") if "ses:SendEmail" in s["Action"]]

    assert "configuration-set/${DeliveryConfigurationSet}" in repr(sending["Resource"])


def test_an_alarm_watches_sellers_marked_bouncing() -> None:
    alarm = properties("SellerMarkedBouncingAlarm")

    assert (alarm["Namespace"], alarm["MetricName"]) == ("ContactRelay", SELLER_MARKED_BOUNCING)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["Threshold"] == 0
    assert (
        deployed()["Resources"]["SellerMarkedBouncingAlarm"]["Properties"]["AlarmActions"]
        == [{"Ref": "AlarmTopicArn"}]
        or "AlarmActions" in alarm
    )


def test_the_events_function_s_log_group_is_the_one_lambda_writes_to() -> None:
    log_group = properties("DeliveryEventsFunctionLogGroup")

    assert log_group["LogGroupName"] == {"Fn::Sub": "/aws/lambda/${DeliveryEventsFunction}"}
