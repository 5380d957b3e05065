"""The operator's changes to a sellers table: records written, addresses sent a verification link,
sellers suspended, activated or deleted. Each failure is a `SellerAdminError` of one line."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from contact_relay.adapters.ses_mailer import SESMailer
from contact_relay.errors import RelayError
from contact_relay.verification import IssuedToken, issue_token, verification_link
from contact_relay_local.seller_admin_errors import SellerAdminError
from contact_relay_local.seller_records import SellerRecord
from contact_relay_local.verification_email import compose_verification_email

_TOKEN_ATTRIBUTES = ("verificationDigest", "verificationExpiresAt")


@dataclass(frozen=True, slots=True)
class Change:
    """What an update does beyond writing a record's own fields."""

    sets: list[str] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LinkSender:
    """Sends verification links: from `sender_address`, through `sesv2`, to pages under
    `api_url` (the API's base URL, whose /verify/{token} shows the button)."""

    sender_address: str
    api_url: str
    sesv2: Any

    def send(self, to_address: str, display_name: str, token: str) -> None:
        raw = compose_verification_email(
            sender_address=self.sender_address,
            to_address=to_address,
            display_name=display_name,
            link=verification_link(self.api_url, token),
            sent_at=datetime.now(UTC),
        )
        try:
            SESMailer(self.sender_address, None, self.sesv2).send(raw)
        except RelayError as exc:
            raise SellerAdminError(f"SES did not send the verification email: {exc}") from None


@dataclass(frozen=True, slots=True)
class PutOutcome:
    written: int
    # The sellers whose new or changed address was sent a link (and is pending until used).
    links_sent: list[str]


class SellerAdmin:
    def __init__(
        self,
        dynamodb: Any,
        table: str,
        links: LinkSender | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._dynamodb = dynamodb
        self._table = table
        self._links = links
        self._clock = clock

    def put(self, records: list[SellerRecord], *, verified: bool = False) -> PutOutcome:
        """Write every record. An address that is new or changed becomes `pending` and is sent a
        link, unless `verified` (known-good addresses being migrated); an unchanged one keeps
        its status, bouncing included."""
        stored = {record.seller_id: self._stored(record.seller_id) for record in records}
        to_verify = [
            record
            for record in records
            if record.reply_to_email is not None
            and not verified
            and _address(stored[record.seller_id]) != record.reply_to_email
        ]
        if to_verify and self._links is None:
            raise SellerAdminError(
                f"{len(to_verify)} new or changed address(es) need a verification link: give "
                "--sender and --api-url (or --verified for addresses known to be good); "
                "nothing written"
            )
        links_sent = []
        for record in records:
            if record.reply_to_email is None:
                self._write(record, Change(removes=["replyToEmail", *_TOKEN_ATTRIBUTES]))
            elif record in to_verify:
                issued = issue_token(record.seller_id, self._clock())
                self._write(record, _pending(issued))
                assert self._links is not None
                self._links.send(record.reply_to_email, record.display_name, issued.token)
                links_sent.append(record.seller_id)
            elif verified:
                verified_now = Change(
                    sets=["replyToStatus = :verified"],
                    removes=list(_TOKEN_ATTRIBUTES),
                    values={":verified": {"S": "verified"}},
                )
                self._write(record, verified_now)
            else:
                self._write(record, Change())
        return PutOutcome(len(records), links_sent)

    def send_link_again(self, seller_id: str) -> str:
        """A new link to the seller's address, which is pending until it is used; the address."""
        item = self._stored(seller_id)
        if item is None:
            raise SellerAdminError(f"no seller {seller_id!r} in {self._table}")
        address = _address(item)
        if address is None:
            raise SellerAdminError(f"seller {seller_id!r} has no replyToEmail to verify")
        if self._links is None:
            raise SellerAdminError("give --sender and --api-url: they make the link and send it")
        issued = issue_token(seller_id, self._clock())
        change = _pending(issued)
        self._update(seller_id, "SET " + ", ".join(change.sets), change.values)
        display_name = item.get("displayName", {}).get("S") or seller_id
        self._links.send(address, display_name, issued.token)
        return address

    def set_status(self, seller_id: str, status: str) -> None:
        self._update(seller_id, "SET #status = :status", {":status": {"S": status}})

    def delete(self, seller_id: str) -> None:
        try:
            self._dynamodb.delete_item(
                TableName=self._table,
                Key={"sellerId": {"S": seller_id}},
                ConditionExpression="attribute_exists(sellerId)",
            )
        except ClientError as exc:
            raise self._refusal(seller_id, exc) from None

    def _stored(self, seller_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._dynamodb.get_item(
            TableName=self._table, Key={"sellerId": {"S": seller_id}}, ConsistentRead=True
        ).get("Item")
        return item

    def _write(self, record: SellerRecord, change: Change) -> None:
        """SET the record's fields, and `change`: every other attribute (a bounce's reason and
        time, an expiry) stays as it is."""
        sets = ["displayName = :name", "#status = :status", *change.sets]
        values: dict[str, Any] = {
            ":name": {"S": record.display_name},
            ":status": {"S": record.status},
            **change.values,
        }
        if record.reply_to_email is not None:
            sets.append("replyToEmail = :email")
            values[":email"] = {"S": record.reply_to_email}
        expression = "SET " + ", ".join(sets)
        if change.removes:
            expression += " REMOVE " + ", ".join(change.removes)
        self._dynamodb.update_item(
            TableName=self._table,
            Key={"sellerId": {"S": record.seller_id}},
            UpdateExpression=expression,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )

    def _update(self, seller_id: str, expression: str, values: dict[str, Any]) -> None:
        names = {"#status": "status"} if "#status" in expression else None
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key={"sellerId": {"S": seller_id}},
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(sellerId)",
                ExpressionAttributeValues=values,
                **({"ExpressionAttributeNames": names} if names else {}),
            )
        except ClientError as exc:
            raise self._refusal(seller_id, exc) from None

    def _refusal(self, seller_id: str, exc: ClientError) -> Exception:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return SellerAdminError(f"no seller {seller_id!r} in {self._table}")
        return exc


def _address(item: dict[str, Any] | None) -> str | None:
    if item is None:
        return None
    value = item.get("replyToEmail", {}).get("S")
    return value if isinstance(value, str) else None


def _pending(issued: IssuedToken) -> Change:
    """The change that makes an address pending on a new token (only its digest is stored)."""
    return Change(
        sets=[
            "replyToStatus = :pending",
            "verificationDigest = :digest",
            "verificationExpiresAt = :expires",
        ],
        values={
            ":pending": {"S": "pending"},
            ":digest": {"S": issued.digest},
            ":expires": {"N": str(issued.expires_at)},
        },
    )
