"""A transformed template as CloudFormation deploys it for given parameter values.

The SAM translator leaves Conditions and Rules to CloudFormation, so a template transformed
offline still holds every optional resource and every `Fn::If`. `resolve_conditions` does what
CloudFormation does with them: it evaluates the conditions for the parameter values (defaults
from the template, overridden by `parameters`), drops the resources and outputs whose condition
is false, replaces each `Fn::If` with the branch taken and removes `AWS::NoValue`.
`failed_rules` names the Rules assertions those values break, which CloudFormation would refuse
before creating anything. Only the functions this project's template uses are understood;
anything else raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NO_VALUE = {"Ref": "AWS::NoValue"}


def parameter_values(template: Mapping[str, Any], parameters: Mapping[str, str]) -> dict[str, str]:
    """Every parameter's value as CloudFormation sees it in conditions: a string."""
    values = {
        name: _as_string(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec
    }
    values.update({name: _as_string(value) for name, value in parameters.items()})
    return values


def resolve_conditions(
    template: Mapping[str, Any], parameters: Mapping[str, str]
) -> dict[str, Any]:
    evaluator = _Evaluator(template, parameters)
    result = dict(template)
    for section in ("Resources", "Outputs"):
        if section in template:
            result[section] = {
                name: evaluator.resolve(entry)
                for name, entry in template[section].items()
                if "Condition" not in entry or evaluator.condition(entry["Condition"])
            }
    return result


def failed_rules(template: Mapping[str, Any], parameters: Mapping[str, str]) -> list[str]:
    """The descriptions of the Rules assertions that these parameter values break."""
    evaluator = _Evaluator(template, parameters)
    failed = []
    for name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not evaluator.evaluate(rule["RuleCondition"]):
            continue
        for assertion in rule["Assertions"]:
            if not evaluator.evaluate(assertion["Assert"]):
                failed.append(assertion.get("AssertDescription", name))
    return failed


class _Evaluator:
    def __init__(self, template: Mapping[str, Any], parameters: Mapping[str, str]) -> None:
        self._values = parameter_values(template, parameters)
        self._definitions: Mapping[str, Any] = template.get("Conditions", {})
        self._known: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = self.evaluate(self._definitions[name])
        return self._known[name]

    def evaluate(self, expression: Any) -> bool:
        [(function, arguments)] = expression.items()
        if function == "Condition":
            return self.condition(arguments)
        if function == "Fn::Equals":
            left, right = (self._value(argument) for argument in arguments)
            return left == right
        if function == "Fn::Not":
            [inner] = arguments
            return not self.evaluate(inner)
        if function == "Fn::And":
            return all(self.evaluate(inner) for inner in arguments)
        if function == "Fn::Or":
            return any(self.evaluate(inner) for inner in arguments)
        raise ValueError(f"unsupported condition function {function}")

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Fn::If"}:
                name, when_true, when_false = node["Fn::If"]
                return self.resolve(when_true if self.condition(name) else when_false)
            resolved = {key: self.resolve(item) for key, item in node.items()}
            return {key: item for key, item in resolved.items() if item != _NO_VALUE}
        if isinstance(node, list):
            return [item for item in (self.resolve(item) for item in node) if item != _NO_VALUE]
        return node

    def _value(self, argument: Any) -> str:
        if isinstance(argument, dict) and set(argument) == {"Ref"}:
            return self._values[argument["Ref"]]
        if isinstance(argument, dict):
            raise ValueError(f"unsupported value in a condition: {argument}")
        return _as_string(argument)


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
