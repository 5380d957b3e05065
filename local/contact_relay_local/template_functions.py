"""The Lambda functions `template.yaml` declares, so the local stack runs each as Lambda would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contact_relay_local.template_tables import load_template

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
