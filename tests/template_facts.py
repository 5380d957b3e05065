"""What template.yaml deploys that the code must fit: the function's timeout, and the alarms
that watch the metrics the function emits. Read from the template itself, so neither can drift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contact_relay_local.template_tables import load_template


def function_timeout_seconds(function: str = "ContactFunction") -> float:
    """The function's own `Timeout`, else the one in Globals."""
    template = load_template()
    properties = template["Resources"][function].get("Properties", {})
    timeout = properties.get(
        "Timeout", template.get("Globals", {}).get("Function", {}).get("Timeout")
    )
    if timeout is None:
        raise AssertionError(f"template.yaml gives {function} no Timeout")
    return float(timeout)


@dataclass(frozen=True, slots=True)
class AlarmedMetric:
    alarm: str
    namespace: str
    name: str
    dimensions: frozenset[tuple[str, str]]


def alarmed_metrics() -> list[AlarmedMetric]:
    """Every alarm on a metric of the namespace Powertools writes the function's metrics to."""
    template = load_template()
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    namespace = variables["POWERTOOLS_METRICS_NAMESPACE"]
    found = []
    for name, resource in template["Resources"].items():
        properties: dict[str, Any] = resource.get("Properties", {})
        if resource["Type"] != "AWS::CloudWatch::Alarm" or properties.get("Namespace") != namespace:
            continue
        found.append(
            AlarmedMetric(
                alarm=name,
                namespace=namespace,
                name=properties["MetricName"],
                dimensions=frozenset(
                    (dimension["Name"], dimension["Value"])
                    for dimension in properties.get("Dimensions", [])
                ),
            )
        )
    return found
