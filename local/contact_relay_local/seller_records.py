"""Seller records from an operator's file, checked with the relay's own rules before anything is
written: the seller id pattern of the API, the statuses the relay reads, an address the relay
would send to, a display name that fits one line of an email."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
from contact_relay.handlers.api_models import SELLER_ID_PATTERN
from contact_relay.ports import SellerStatus
from contact_relay.text_rules import has_forbidden_single_line_character

FIELDS = ("sellerId", "displayName", "replyToEmail", "status")
SELLER_STATUSES: tuple[SellerStatus, ...] = get_args(SellerStatus)
MAX_DISPLAY_NAME_CHARS = 100


@dataclass(frozen=True, slots=True)
class SellerRecord:
    seller_id: str
    display_name: str
    reply_to_email: str | None
    status: SellerStatus


class InvalidSellerFile(ValueError):
    """The file is refused whole: one line per bad record (every rule it breaks), nothing
    written."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(
            f"{path}: refused, nothing written ({len(problems)} bad record"
            f"{'s' if len(problems) != 1 else ''}):\n" + "\n".join(problems)
        )
        self.problems = problems


def read_seller_records(path: Path) -> list[SellerRecord]:
    """Every record of a JSON array file, or InvalidSellerFile naming each bad one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidSellerFile(path, [f"not JSON ({exc})"]) from None
    if not isinstance(data, list):
        raise InvalidSellerFile(path, ["expected a JSON array of seller objects"])
    records: list[SellerRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        record, issues = check_record(item)
        where = f"record {index + 1}"
        if isinstance(item, dict) and _is_seller_id(item.get("sellerId")):
            # Only an id that is one: anything else may hold what a terminal would act on.
            where += f" ({item['sellerId']!r})"
        if record is not None and record.seller_id in seen:
            issues.append("sellerId appears twice in the file")
        if issues:
            problems.append(f"{where}: {'; '.join(issues)}")
        if record is not None and not issues:
            seen.add(record.seller_id)
            records.append(record)
    if problems:
        raise InvalidSellerFile(path, problems)
    return records


def check_record(item: Any) -> tuple[SellerRecord | None, list[str]]:
    """The record, and every rule it breaks (each stated without repeating the value)."""
    if not isinstance(item, dict):
        return None, ["must be a JSON object"]
    issues: list[str] = []
    for name in item:
        if name == "replyToStatus":
            issues.append(
                "replyToStatus is set by verification, not by the file (--verified marks "
                "addresses known to be good)"
            )
        elif name not in FIELDS:
            issues.append(f"unknown field {name!r} (known: {', '.join(FIELDS)})")
    seller_id = item.get("sellerId")
    if not _is_seller_id(seller_id):
        issues.append("sellerId must be 1-64 letters, digits, '-' or '_'")
    display_name = item.get("displayName")
    if (
        not isinstance(display_name, str)
        or not display_name.strip()
        or len(display_name) > MAX_DISPLAY_NAME_CHARS
        or has_forbidden_single_line_character(display_name)
    ):
        issues.append(
            f"displayName must be one line of 1-{MAX_DISPLAY_NAME_CHARS} characters "
            "without control characters"
        )
    status = next((known for known in SELLER_STATUSES if known == item.get("status")), None)
    if status is None:
        issues.append(f"status must be one of {', '.join(SELLER_STATUSES)}")
    address = item.get("replyToEmail")
    reply_to: str | None = None
    if address is not None:
        try:
            if not isinstance(address, str) or has_forbidden_single_line_character(address):
                raise InvalidEmailAddress("must be one line of text")
            reply_to = normalise_email_address(address.strip())
        except InvalidEmailAddress as exc:
            issues.append(f"replyToEmail is not an address the relay can send to: {exc}")
    if issues:
        return None, issues
    assert isinstance(seller_id, str) and isinstance(display_name, str) and status is not None
    return SellerRecord(seller_id, display_name.strip(), reply_to, status), []


def _is_seller_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(SELLER_ID_PATTERN, value) is not None
