"""S3 buckets as `template.yaml` defines them, so the local stack's buckets cannot drift.

CloudFormation's bucket properties become the S3 calls that set the same configuration:
encryption, the public access block, ownership, versioning and lifecycle rules (their
expiration and prefix). A bucket policy names AWS service principals and is not emulated.
"""

from __future__ import annotations

from typing import Any

from contact_relay_local.template_tables import load_template


def bucket_properties(logical_id: str, template: dict[str, Any] | None = None) -> dict[str, Any]:
    template = template or load_template()
    resource = template["Resources"][logical_id]
    if resource["Type"] != "AWS::S3::Bucket":
        raise ValueError(f"{logical_id} is not an AWS::S3::Bucket in template.yaml")
    properties: dict[str, Any] = resource.get("Properties") or {}
    return properties


def create_bucket(
    client: Any, name: str, logical_id: str, template: dict[str, Any] | None = None
) -> None:
    """Create the bucket `logical_id` of the template under `name`, configured as it says."""
    template = template or load_template()
    properties = bucket_properties(logical_id, template)
    client.create_bucket(Bucket=name)
    encryption = properties.get("BucketEncryption")
    if encryption:
        client.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [
                    _encryption_rule(rule)
                    for rule in encryption["ServerSideEncryptionConfiguration"]
                ]
            },
        )
    if "PublicAccessBlockConfiguration" in properties:
        client.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                key: _boolean(value)
                for key, value in properties["PublicAccessBlockConfiguration"].items()
            },
        )
    if "OwnershipControls" in properties:
        client.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls=properties["OwnershipControls"]
        )
    if "VersioningConfiguration" in properties:
        client.put_bucket_versioning(
            Bucket=name, VersioningConfiguration=properties["VersioningConfiguration"]
        )
    lifecycle = properties.get("LifecycleConfiguration")
    if lifecycle:
        client.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [_lifecycle_rule(rule, template) for rule in lifecycle["Rules"]]
            },
        )


def _encryption_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation's `ServerSideEncryptionByDefault` is the API's
    `ApplyServerSideEncryptionByDefault`."""
    converted = {
        key: value for key, value in rule.items() if key != "ServerSideEncryptionByDefault"
    }
    if "ServerSideEncryptionByDefault" in rule:
        converted["ApplyServerSideEncryptionByDefault"] = rule["ServerSideEncryptionByDefault"]
    if "BucketKeyEnabled" in converted:
        converted["BucketKeyEnabled"] = _boolean(converted["BucketKeyEnabled"])
    return converted


def _lifecycle_rule(rule: dict[str, Any], template: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule as S3's API writes it."""
    converted: dict[str, Any] = {
        "Status": rule.get("Status", "Enabled"),
        "Filter": {"Prefix": str(rule.get("Prefix", ""))},
    }
    if "Id" in rule:
        converted["ID"] = rule["Id"]
    if "ExpirationInDays" in rule:
        converted["Expiration"] = {"Days": _number(rule["ExpirationInDays"], template)}
    abort = rule.get("AbortIncompleteMultipartUpload")
    if abort:
        converted["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": _number(abort["DaysAfterInitiation"], template)
        }
    return converted


def _number(value: Any, template: dict[str, Any]) -> int:
    """A number, or a `!Ref` to a parameter: its default, as a stack deployed without it has."""
    parameter = (template.get("Parameters") or {}).get(value) if isinstance(value, str) else None
    if parameter is not None:
        return int(parameter["Default"])
    return int(value)


def _boolean(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
