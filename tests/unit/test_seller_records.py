"""An operator's seller file, checked with the relay's rules before anything is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contact_relay_local.seller_records import InvalidSellerFile, SellerRecord, read_seller_records

GOOD = {
    "sellerId": "shop-1",
    "displayName": "Shop One",
    "replyToEmail": "CS@Shop.Example",
    "status": "active",
}


def _file(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "sellers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_good_records_are_read_with_their_address_normalised(tmp_path: Path) -> None:
    no_inbox = {"sellerId": "shop-2", "displayName": "Shop Two", "status": "suspended"}

    records = read_seller_records(_file(tmp_path, [GOOD, no_inbox]))

    assert records == [
        SellerRecord("shop-1", "Shop One", "CS@shop.example", "active"),
        SellerRecord("shop-2", "Shop Two", None, "suspended"),
    ]


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"sellerId": "shop 1"}, "sellerId must be"),
        ({"sellerId": "x" * 65}, "sellerId must be"),
        ({"displayName": "Shop\r\nBcc: x"}, "displayName must be one line"),
        ({"displayName": ""}, "displayName must be one line"),
        ({"status": "open"}, "status must be one of active, suspended"),
        ({"replyToEmail": "not-an-address"}, "replyToEmail is not an address"),
        ({"replyToEmail": "cs@shop.example\nBcc: x@evil.example"}, "replyToEmail is not"),
        ({"replyToStatus": "verified"}, "replyToStatus is set by verification"),
        ({"expiresAt": 5}, "unknown field 'expiresAt'"),
    ],
)
def test_a_bad_record_refuses_the_whole_file_naming_what_is_wrong(
    tmp_path: Path, changes: dict[str, Any], said: str
) -> None:
    with pytest.raises(InvalidSellerFile) as refused:
        read_seller_records(_file(tmp_path, [GOOD, {**GOOD, "sellerId": "b", **changes}]))

    [line] = refused.value.problems
    assert line.startswith("record 2")
    assert said in line
    assert "\n" not in line
    assert "evil.example" not in str(refused.value)


def test_each_bad_record_is_one_line_with_every_rule_it_breaks(tmp_path: Path) -> None:
    bad = {"sellerId": "bad id", "displayName": "", "status": "open"}

    with pytest.raises(InvalidSellerFile) as refused:
        read_seller_records(_file(tmp_path, [bad, GOOD, GOOD, "nope"]))

    assert refused.value.problems == [
        "record 1: sellerId must be 1-64 letters, digits, '-' or '_'; displayName must be one"
        " line of 1-100 characters without control characters; status must be one of active,"
        " suspended",
        "record 3 ('shop-1'): sellerId appears twice in the file",
        "record 4: must be a JSON object",
    ]
    assert str(refused.value).startswith(f"{tmp_path / 'sellers.json'}: refused, nothing written")


@pytest.mark.parametrize("text", ["[", '{"sellerId": "a"}'])
def test_a_file_that_is_not_a_json_array_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sellers.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidSellerFile):
        read_seller_records(path)
