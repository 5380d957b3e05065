"""`contact-relay sellers ACTION`: load, inspect and change the seller records of a SellersTable,
in AWS or at another endpoint, and send their addresses verification links."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contact_relay_local.seller_admin import SellerAdmin


def _table_client(arguments: argparse.Namespace) -> Any:
    return _client(arguments, "dynamodb")


def _client(arguments: argparse.Namespace, service: str) -> Any:
    import boto3

    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=arguments.endpoint_url,
        region_name=arguments.region,
    )


def _seller_admin(arguments: argparse.Namespace) -> SellerAdmin:
    """The table's administration; with a link sender when --sender and --api-url are given."""
    from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
    from contact_relay_local.seller_admin import LinkSender, SellerAdmin

    links = None
    sender, api_url = getattr(arguments, "sender", None), getattr(arguments, "api_url", None)
    if sender or api_url:
        if not (sender and api_url):
            raise ValueError("give --sender and --api-url together: the link needs both")
        try:
            sender = normalise_email_address(sender)
        except InvalidEmailAddress as exc:
            raise ValueError(f"--sender is not an address SES can send from: {exc}") from None
        if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", api_url):
            raise ValueError("--api-url must be the API's http(s) base URL (the ApiUrl output)")
        links = LinkSender(sender, api_url, _client(arguments, "sesv2"))
    return SellerAdmin(_table_client(arguments), arguments.table, links)


def put_sellers(arguments: argparse.Namespace) -> int:
    from contact_relay_local.seller_records import read_seller_records

    records = read_seller_records(arguments.file)
    outcome = _seller_admin(arguments).put(records, verified=arguments.verified)
    print(f"wrote {outcome.written} seller(s) to {arguments.table}")
    for seller_id in outcome.links_sent:
        print(f"  {seller_id}: address pending; a verification link was sent to it")
    return 0


def verify_seller(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).send_link_again(arguments.seller_id)
    print(f"{arguments.seller_id}: address pending; a new verification link was sent to it")
    return 0


def suspend_seller(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).set_status(arguments.seller_id, "suspended")
    print(f"{arguments.seller_id}: suspended (buyers get 404 seller_not_found)")
    return 0


def activate_seller(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).set_status(arguments.seller_id, "active")
    print(f"{arguments.seller_id}: active")
    return 0


def delete_seller(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).delete(arguments.seller_id)
    print(f"{arguments.seller_id}: deleted from {arguments.table}")
    return 0


def get_seller(arguments: argparse.Namespace) -> int:
    item = (
        _table_client(arguments)
        .get_item(TableName=arguments.table, Key={"sellerId": {"S": arguments.seller_id}})
        .get("Item")
    )
    if item is None:
        print(f"no seller {arguments.seller_id!r} in {arguments.table}", file=sys.stderr)
        return 1
    print(json.dumps(_plain(item), ensure_ascii=False))
    return 0


def list_sellers(arguments: argparse.Namespace) -> int:
    paginator = _table_client(arguments).get_paginator("scan")
    items = [
        _plain(item)
        for page in paginator.paginate(TableName=arguments.table)
        for item in page["Items"]
    ]
    print(
        json.dumps(
            sorted(items, key=lambda item: str(item.get("sellerId"))), indent=2, ensure_ascii=False
        )
    )
    return 0


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: next(iter(value.values())) for name, value in item.items()}
