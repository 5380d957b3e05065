"""The tables the tests and the local stack create are read from template.yaml itself."""

from __future__ import annotations

from contact_relay_local.template_tables import load_template, table_definitions


def test_the_tables_and_their_keys_come_from_the_template() -> None:
    tables = table_definitions()

    keys = {
        logical_id: [key["AttributeName"] for key in table.properties["KeySchema"]]
        for logical_id, table in tables.items()
    }
    assert keys == {
        "SellersTable": ["sellerId"],
        "MessagesTable": ["messageId"],
        "IdempotencyTable": ["id"],
        "RateLimitTable": ["key"],
        "ConversationsTable": ["conversationId"],
    }
    assert tables["MessagesTable"].ttl_attribute == "expiresAt"
    assert tables["RateLimitTable"].ttl_attribute == "expiresAt"
    assert tables["IdempotencyTable"].ttl_attribute == "expiration"
    assert tables["SellersTable"].ttl_attribute == "expiresAt"
    assert tables["ConversationsTable"].ttl_attribute == "expiresAt"


def test_create_table_arguments_follow_the_template() -> None:
    arguments = table_definitions()["SellersTable"].create_table_arguments("local-sellers")

    assert arguments == {
        "TableName": "local-sellers",
        "KeySchema": [{"AttributeName": "sellerId", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "sellerId", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def test_short_form_intrinsics_are_read_as_plain_values() -> None:
    function = load_template()["Resources"]["ContactFunction"]["Properties"]

    assert function["Environment"]["Variables"]["SELLERS_TABLE"] == "SellersTable"
    assert function["Handler"] == "contact_relay.handlers.contact.lambda_handler"
