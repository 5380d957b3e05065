"""infra/resolve_conditions.py: conditions evaluated as CloudFormation evaluates them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

from resolve_conditions import failed_rules, resolve_conditions  # noqa: E402

pytestmark = pytest.mark.infra

TEMPLATE: dict[str, Any] = {
    "Parameters": {"Limit": {"Type": "Number", "Default": 0}, "Name": {"Type": "String"}},
    "Conditions": {
        "HasLimit": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Limit"}, "0"]}]},
        "HasName": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Name"}, ""]}]},
        "HasBoth": {"Fn::And": [{"Condition": "HasLimit"}, {"Condition": "HasName"}]},
    },
    "Resources": {
        "Always": {
            "Type": "T",
            "Properties": {
                "Limit": {"Fn::If": ["HasLimit", {"Ref": "Limit"}, {"Ref": "AWS::NoValue"}]},
                "List": ["a", {"Fn::If": ["HasName", "b", {"Ref": "AWS::NoValue"}]}],
            },
        },
        "Limited": {"Type": "T", "Condition": "HasBoth", "Properties": {}},
    },
    "Outputs": {"Out": {"Condition": "HasLimit", "Value": "x"}},
}


def test_defaults_leave_out_what_their_conditions_turn_off() -> None:
    resolved = resolve_conditions(TEMPLATE, {"Name": ""})

    assert set(resolved["Resources"]) == {"Always"}
    assert resolved["Resources"]["Always"]["Properties"] == {"List": ["a"]}
    assert resolved["Outputs"] == {}


def test_overrides_take_each_if_and_keep_the_conditional_resources() -> None:
    resolved = resolve_conditions(TEMPLATE, {"Limit": "10", "Name": "n"})

    assert set(resolved["Resources"]) == {"Always", "Limited"}
    assert resolved["Resources"]["Always"]["Properties"] == {
        "Limit": {"Ref": "Limit"},
        "List": ["a", "b"],
    }
    assert set(resolved["Outputs"]) == {"Out"}


def test_a_condition_function_it_does_not_know_is_an_error() -> None:
    template = {**TEMPLATE, "Conditions": {"HasLimit": {"Fn::Contains": [["0"], "0"]}}}

    with pytest.raises(ValueError, match="Fn::Contains"):
        resolve_conditions(template, {"Name": ""})


def test_rules_name_the_assertions_the_values_break() -> None:
    template = {
        **TEMPLATE,
        "Rules": {
            "NameWithLimit": {
                "RuleCondition": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Limit"}, "0"]}]},
                "Assertions": [
                    {
                        "Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Name"}, ""]}]},
                        "AssertDescription": "a limit needs a name",
                    }
                ],
            }
        },
    }

    assert failed_rules(template, {"Name": ""}) == []
    assert failed_rules(template, {"Limit": "5", "Name": "n"}) == []
    assert failed_rules(template, {"Limit": "5", "Name": ""}) == ["a limit needs a name"]
