"""A transformed template as CloudFormation deploys it for given parameter values.

The SAM translator leaves Conditions to CloudFormation, so a template transformed offline still
holds every optional resource and every `Fn::If`. `resolve_conditions` does what CloudFormation
does with them: it evaluates the conditions for the parameter values (defaults from the
template, overridden by `parameters`), drops the resources and outputs whose condition is false,
replaces each `Fn::If` with the branch taken and removes `AWS::NoValue`. Only the condition
functions this project's template uses are understood; anything else raises.
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
    values = parameter_values(template, parameters)
    definitions: Mapping[str, Any] = template.get("Conditions", {})
    known: dict[str, bool] = {}

    def condition(name: str) -> bool:
        if name not in known:
            known[name] = evaluate(definitions[name])
        return known[name]

    def evaluate(expression: Any) -> bool:
        [(function, arguments)] = expression.items()
        if function == "Condition":
            return condition(arguments)
        if function == "Fn::Equals":
            left, right = (value(argument) for argument in arguments)
            return left == right
        if function == "Fn::Not":
            [inner] = arguments
            return not evaluate(inner)
        if function == "Fn::And":
            return all(evaluate(inner) for inner in arguments)
        if function == "Fn::Or":
            return any(evaluate(inner) for inner in arguments)
        raise ValueError(f"unsupported condition function {function}")

    def value(argument: Any) -> str:
        if isinstance(argument, dict) and set(argument) == {"Ref"}:
            return values[argument["Ref"]]
        if isinstance(argument, dict):
            raise ValueError(f"unsupported value in a condition: {argument}")
        return _as_string(argument)

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Fn::If"}:
                name, when_true, when_false = node["Fn::If"]
                return resolve(when_true if condition(name) else when_false)
            resolved = {key: resolve(item) for key, item in node.items()}
            return {key: item for key, item in resolved.items() if item != _NO_VALUE}
        if isinstance(node, list):
            return [item for item in (resolve(item) for item in node) if item != _NO_VALUE]
        return node

    result = dict(template)
    for section in ("Resources", "Outputs"):
        if section in template:
            result[section] = {
                name: resolve(entry)
                for name, entry in template[section].items()
                if "Condition" not in entry or condition(entry["Condition"])
            }
    return result


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
