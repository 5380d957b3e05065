"""Transform template.yaml with the SAM translator, offline, and print the CloudFormation JSON.

Usage: python infra/transform_template.py [template.yaml] > transformed.json

`sam validate` without --lint asks IAM for managed policies; here a stub loader answers instead,
which is exact for this template: its only managed policy is named by full ARN. Plain cfn-lint
cannot see inside AWS::Serverless::* resources (a bad !Ref in a function's policy passes), the
transformed template exposes them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parent.parent

# Parameters without a default, and values that switch every condition on.
EXAMPLE_PARAMETERS = {
    "SenderAddress": "noreply@shop.example",
    "MarketplaceName": "Example Market",
    "AllowedOrigins": "https://shop.example,https://www.shop.example",
    "AlarmTopicArn": "arn:aws:sns:us-east-1:123456789012:contact-relay-alarms",
    "CaptchaVerifyUrl": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
    "CaptchaSecretArn": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/captcha-AbCdEf"
    ),
}


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def transformed(
    template_path: Path = ROOT / "template.yaml", parameters: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The template as CloudFormation receives it, for EXAMPLE_PARAMETERS and `parameters`."""
    # The translator fills AWS::Region from a boto3 session; any region does for a check.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    template = _with_intrinsics(template_path)
    _as_packaged(template)
    values = {**EXAMPLE_PARAMETERS, **(parameters or {})}
    result: dict[str, Any] = transform(template, values, _NoManagedPolicies())
    return result


def _as_packaged(template: dict[str, Any]) -> None:
    """Point code at S3, as `sam package` would: the translator accepts nothing else."""
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for field in ("CodeUri", "ContentUri"):
            if field in properties:
                properties[field] = f"s3://contact-relay-artifacts/{name}.zip"


def _with_intrinsics(template_path: Path) -> dict[str, Any]:
    """The template with short-form tags (!Ref, !Sub, ...) as their long forms (Ref, Fn::Sub)."""

    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    Loader.add_multi_constructor("!", construct)
    with template_path.open(encoding="utf-8") as handle:
        template: dict[str, Any] = yaml.load(handle, Loader=Loader)  # noqa: S506
    return template


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "template.yaml"
    json.dump(transformed(path), sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
