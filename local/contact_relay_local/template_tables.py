"""DynamoDB tables as `template.yaml` defines them, so local tables and tests cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# The package carries the template (in the repository, a link to the one `sam` deploys), so an
# installed wheel finds it as a checkout does.
TEMPLATE_PATH = Path(__file__).with_name("template.yaml")


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short-form tags (!Ref, !Sub, ...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


CloudFormationLoader.add_multi_constructor("!", _any_tag)


@dataclass(frozen=True, slots=True)
class TableDefinition:
    logical_id: str
    properties: dict[str, Any]

    def create_table_arguments(self, table_name: str) -> dict[str, Any]:
        arguments = {
            "TableName": table_name,
            "KeySchema": self.properties["KeySchema"],
            "AttributeDefinitions": self.properties["AttributeDefinitions"],
            "BillingMode": self.properties.get("BillingMode", "PROVISIONED"),
        }
        for optional in (
            "GlobalSecondaryIndexes",
            "LocalSecondaryIndexes",
            "ProvisionedThroughput",
        ):
            if optional in self.properties:
                arguments[optional] = self.properties[optional]
        return arguments

    @property
    def ttl_attribute(self) -> str | None:
        spec = self.properties.get("TimeToLiveSpecification") or {}
        return spec.get("AttributeName") if spec.get("Enabled") else None


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        template: dict[str, Any] = yaml.load(handle, Loader=CloudFormationLoader)  # noqa: S506
    return template


def table_definitions(template: dict[str, Any] | None = None) -> dict[str, TableDefinition]:
    resources = (template or load_template())["Resources"]
    return {
        logical_id: TableDefinition(logical_id, resource["Properties"])
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }


def create_tables(client: DynamoDBClient, names: dict[str, str]) -> None:
    """Create each table of the template under the given name (logical id -> table name)."""
    definitions = table_definitions()
    for logical_id, table_name in names.items():
        definition = definitions[logical_id]
        client.create_table(**definition.create_table_arguments(table_name))
        if definition.ttl_attribute:
            client.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={
                    "AttributeName": definition.ttl_attribute,
                    "Enabled": True,
                },
            )
