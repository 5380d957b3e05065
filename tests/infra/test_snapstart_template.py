"""SnapStart in template.yaml: the contact function's published versions are snapshotted, API
Gateway invokes them through an alias, a parameter turns it off; the asynchronous functions go
without."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

from transform_template import (  # noqa: E402
    EXAMPLE_PARAMETERS,
    _as_packaged,
    _NoManagedPolicies,
    _with_intrinsics,
)

from tests.infra.test_template import deployed  # noqa: E402

pytestmark = pytest.mark.infra

# Lambda SnapStart's limits (docs.aws.amazon.com/lambda/latest/dg/snapstart.html): no
# provisioned concurrency, no EFS, no ephemeral storage over 512 MB.
_INCOMPATIBLE = ("ProvisionedConcurrencyConfig", "FileSystemConfigs")


def _function(resources: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = resources[name]["Properties"]
    return properties


def test_by_default_published_versions_are_snapshotted_and_the_api_invokes_the_alias() -> None:
    resources = deployed()["Resources"]
    [alias] = [name for name, r in resources.items() if r["Type"] == "AWS::Lambda::Alias"]

    assert _function(resources, "ContactFunction")["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert resources[alias]["Properties"]["FunctionName"] == {"Ref": "ContactFunction"}
    body = json.dumps(resources["ContactApi"]["Properties"]["Body"]["paths"])
    integrations = body.count("/invocations")
    assert integrations > 0 and body.count(f"${{{alias}}}/invocations") == integrations
    permissions = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert permissions and all(
        p["Properties"]["FunctionName"] == {"Ref": alias}
        for p in permissions
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    )


def test_turned_off_versions_are_still_published_but_without_a_snapshot() -> None:
    resources = deployed(ContactFunctionSnapStart="false")["Resources"]

    assert _function(resources, "ContactFunction")["SnapStart"] == {"ApplyOn": "None"}
    assert any(r["Type"] == "AWS::Lambda::Alias" for r in resources.values())


def _version_after(change: Callable[[dict[str, Any]], None]) -> str:
    """The logical id of the contact function's version once `change` is made to the packaged
    template: a new id is a new version, published on deploy, that the alias then names."""
    raw = _with_intrinsics(ROOT / "template.yaml")
    _as_packaged(raw)
    change(raw["Resources"])
    resources = transform(raw, EXAMPLE_PARAMETERS, _NoManagedPolicies())["Resources"]
    [version] = [name for name, r in resources.items() if r["Type"] == "AWS::Lambda::Version"]
    return str(version)


def _repackaged(name: str) -> Callable[[dict[str, Any]], None]:
    def change(resources: dict[str, Any]) -> None:
        field = "CodeUri" if "CodeUri" in resources[name]["Properties"] else "ContentUri"
        resources[name]["Properties"][field] = f"s3://contact-relay-artifacts/{name}-new.zip"

    return change


def _timeout(resources: dict[str, Any]) -> None:
    resources["ContactFunction"]["Properties"]["Timeout"] = 21


@pytest.mark.parametrize(
    "change",
    [_repackaged("ContactFunction"), _repackaged("DependenciesLayer"), _timeout],
    ids=["code", "layer", "a property"],
)
def test_new_code_a_new_layer_or_a_changed_property_publishes_a_version(
    change: Callable[[dict[str, Any]], None],
) -> None:
    assert _version_after(change) != _version_after(lambda _: None)


def test_the_snapshotted_function_uses_nothing_snapstart_refuses() -> None:
    function = _function(deployed()["Resources"], "ContactFunction")

    assert not set(_INCOMPATIBLE) & set(function)
    assert function.get("EphemeralStorage", {"Size": 512})["Size"] <= 512


def test_functions_invoked_asynchronously_are_not_snapshotted() -> None:
    # The two-way relay on, so that its inbound function exists.
    resources = deployed(
        ReplyDomain="reply.shop.example", PublicApiUrl="https://api.shop.example/v1"
    )["Resources"]
    functions = [name for name, r in resources.items() if r["Type"] == "AWS::Lambda::Function"]

    assert {"DeliveryEventsFunction", "InboundFunction"} <= set(functions)
    assert [name for name in functions if "SnapStart" in resources[name]["Properties"]] == [
        "ContactFunction"
    ]
