"""What template.yaml deploys that the code must fit, read from the template itself so the two
cannot drift: the function's timeout."""

from __future__ import annotations

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
