"""Verification of a seller's address under moto: the operator's `put` sends a link, the real
handler's page confirms it once, and only then does the seller receive buyers' messages."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from contact_relay.handlers import contact
from contact_relay.handlers.wiring import AwsClients
from contact_relay_local.seller_admin import LinkSender, SellerAdmin
from contact_relay_local.seller_admin_errors import SellerAdminError
from contact_relay_local.seller_records import SellerRecord
from tests.support import SENDER, TEST_ENVIRONMENT, body_of, contact_body, post_event, response_json

TABLE = TEST_ENVIRONMENT["SELLERS_TABLE"]
API_URL = "https://api.example/v1"
NEW_SHOP = SellerRecord("new-shop", "New Shop", "cs@new-shop.example", "active")


def _admin(aws: Any, clock: Any = time.time, links: bool = True) -> SellerAdmin:
    sender = LinkSender(SENDER, API_URL, aws.sesv2) if links else None
    return SellerAdmin(aws.dynamodb, TABLE, sender, clock=clock)


def _stored(aws: Any, seller_id: str) -> dict[str, Any]:
    item = aws.dynamodb.get_item(TableName=TABLE, Key={"sellerId": {"S": seller_id}})["Item"]
    return {name: next(iter(value.values())) for name, value in item.items()}


def _sent_token(aws: Any) -> str:
    body = body_of(aws.sent_emails()[-1])
    [token] = re.findall(re.escape(API_URL) + r"/verify/(\S+)", body)
    return str(token)


def _verify(invoke: Any, method: str, token: str) -> dict[str, Any]:
    event = post_event({}, seller_id="x")
    event.update(
        httpMethod=method,
        path=f"/verify/{token}",
        resource="/verify/{token}",
        pathParameters={"token": token},
        body="" if method == "POST" else None,
    )
    response: dict[str, Any] = invoke(event)
    return response


def test_a_new_address_is_pending_until_its_link_is_used_then_receives_messages(
    aws: Any, invoke: Any
) -> None:
    outcome = _admin(aws).put([NEW_SHOP])
    token = _sent_token(aws)
    [email] = aws.sent_emails()

    refused = invoke(post_event(contact_body(), seller_id="new-shop"))
    opened = _verify(invoke, "GET", token)
    still_refused = invoke(post_event(contact_body(), seller_id="new-shop"))
    confirmed = _verify(invoke, "POST", token)
    used_again = _verify(invoke, "POST", token)
    accepted = invoke(post_event(contact_body(), seller_id="new-shop"))

    assert outcome.links_sent == ["new-shop"]
    assert email["To"] == "cs@new-shop.example"
    assert refused["statusCode"] == still_refused["statusCode"] == 409
    assert opened["statusCode"] == 200
    assert confirmed["statusCode"] == 200
    assert used_again["statusCode"] == 404
    assert accepted["statusCode"] == 201, accepted["body"]
    stored = _stored(aws, "new-shop")
    assert stored["replyToStatus"] == "verified"
    assert "verificationDigest" not in stored
    assert token not in str(stored)


# Mutants (make mutate): the wiring gave the confirmations a DynamoDB client of its own, not the
# environment's, so a fault or a Stubber handed to the environment never reached them.
def test_a_link_is_confirmed_through_the_environment_s_dynamodb_client(
    aws: Any, invoke: Any
) -> None:
    _admin(aws).put([NEW_SHOP])
    token = _sent_token(aws)
    updated: list[str] = []
    aws.dynamodb.meta.events.register(
        "before-parameter-build.dynamodb.UpdateItem",
        lambda params, **_: updated.append(params["TableName"]),
    )
    contact.environments.wire(AwsClients(aws.dynamodb, aws.sesv2))

    confirmed = _verify(invoke, "POST", token)

    assert confirmed["statusCode"] == 200
    assert updated == [TABLE]
    assert _stored(aws, "new-shop")["replyToStatus"] == "verified"


def test_an_expired_link_confirms_nothing(aws: Any, invoke: Any) -> None:
    two_days_ago = time.time() - 48 * 3600 - 1
    _admin(aws, clock=lambda: two_days_ago).put([NEW_SHOP])

    response = _verify(invoke, "POST", _sent_token(aws))

    assert response["statusCode"] == 404
    assert _stored(aws, "new-shop")["replyToStatus"] == "pending"


def test_an_unchanged_address_keeps_its_status_and_gets_no_new_link(aws: Any) -> None:
    admin = _admin(aws)
    admin.put([NEW_SHOP])
    aws.dynamodb.update_item(
        TableName=TABLE,
        Key={"sellerId": {"S": "new-shop"}},
        UpdateExpression="SET replyToStatus = :bouncing, bounceReason = :reason",
        ExpressionAttributeValues={":bouncing": {"S": "bouncing"}, ":reason": {"S": "General"}},
    )

    outcome = admin.put(
        [SellerRecord("new-shop", "Renamed Shop", NEW_SHOP.reply_to_email, "active")]
    )

    assert outcome.links_sent == []
    assert len(aws.sent_emails()) == 1
    stored = _stored(aws, "new-shop")
    assert (stored["displayName"], stored["replyToStatus"]) == ("Renamed Shop", "bouncing")
    assert stored["bounceReason"] == "General"  # what the events wrote stays


def test_a_changed_address_is_pending_again_with_a_new_link(aws: Any) -> None:
    # example-store's stored address counts as verified (no replyToStatus)
    changed = SellerRecord("example-store", "Example Store", "new@example-store.example", "active")

    outcome = _admin(aws).put([changed])

    assert outcome.links_sent == ["example-store"]
    assert _stored(aws, "example-store")["replyToStatus"] == "pending"
    assert aws.sent_emails()[-1]["To"] == "new@example-store.example"


def test_verified_migrates_known_good_addresses_without_links(aws: Any, invoke: Any) -> None:
    outcome = _admin(aws, links=False).put([NEW_SHOP], verified=True)

    assert outcome.links_sent == []
    assert aws.sent_emails() == []
    assert _stored(aws, "new-shop")["replyToStatus"] == "verified"
    assert invoke(post_event(contact_body(), seller_id="new-shop"))["statusCode"] == 201


def test_without_a_way_to_send_links_nothing_is_written(aws: Any) -> None:
    with pytest.raises(SellerAdminError, match="--sender and --api-url"):
        _admin(aws, links=False).put([NEW_SHOP])

    assert "Item" not in aws.dynamodb.get_item(TableName=TABLE, Key={"sellerId": {"S": "new-shop"}})


def test_verify_sends_a_new_link_and_the_old_one_stops_working(aws: Any, invoke: Any) -> None:
    admin = _admin(aws)
    admin.put([NEW_SHOP])
    old = _sent_token(aws)

    admin.send_link_again("new-shop")
    new = _sent_token(aws)

    assert _verify(invoke, "POST", old)["statusCode"] == 404
    assert _verify(invoke, "POST", new)["statusCode"] == 200


def test_suspend_activate_and_delete_a_seller(aws: Any, invoke: Any) -> None:
    admin = _admin(aws)

    admin.set_status("example-store", "suspended")
    suspended = invoke(post_event(contact_body()))
    admin.set_status("example-store", "active")
    active = invoke(post_event(contact_body()))
    admin.delete("example-store")

    assert response_json(suspended)["error"]["code"] == "seller_not_found"
    assert active["statusCode"] == 201
    assert "Item" not in aws.dynamodb.get_item(
        TableName=TABLE, Key={"sellerId": {"S": "example-store"}}
    )
    with pytest.raises(SellerAdminError, match="no seller 'nobody'"):
        admin.delete("nobody")
    with pytest.raises(SellerAdminError, match="no seller 'nobody'"):
        admin.set_status("nobody", "active")
