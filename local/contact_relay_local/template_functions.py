"""The Lambda functions `template.yaml` declares, so the local stack runs each as Lambda would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contact_relay_local.template_tables import TEMPLATE_PATH, CloudFormationLoader, load_template

# What Lambda uses when neither the function nor the template's Globals say.
_LAMBDA_DEFAULTS = {"Timeout": 3, "MemorySize": 128}


@dataclass(frozen=True, slots=True)
class FunctionDefinition:
    logical_id: str
    handler: str
    timeout_seconds: int
    memory_mb: int


def function_definitions(template: dict[str, Any] | None = None) -> dict[str, FunctionDefinition]:
    template = template or load_template()
    globals_ = {**_LAMBDA_DEFAULTS, **(template.get("Globals") or {}).get("Function", {})}
    definitions = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = {**globals_, **resource["Properties"]}
        definitions[logical_id] = FunctionDefinition(
            logical_id=logical_id,
            handler=properties["Handler"],
            timeout_seconds=int(properties["Timeout"]),
            memory_mb=int(properties["MemorySize"]),
        )
    return definitions


def literal_variables(logical_id: str, path: Path = TEMPLATE_PATH) -> dict[str, str]:
    """The function's own environment variables whose values the template writes out (no !Ref,
    no !Sub): settings the local stack takes as they are rather than repeat. Read from YAML's
    node tree, where a tag is kept (the loaded template has lost it)."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=CloudFormationLoader)
    variables = _child(root, "Resources", logical_id, "Properties", "Environment", "Variables")
    if not isinstance(variables, yaml.MappingNode):
        return {}
    return {
        str(key.value): str(value.value)
        for key, value in variables.value
        if isinstance(value, yaml.ScalarNode) and not value.tag.startswith("!")
    }


def _child(node: yaml.Node | None, *keys: str) -> yaml.Node | None:
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((value for name, value in node.value if name.value == key), None)
    return node
