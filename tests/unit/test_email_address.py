from __future__ import annotations

import pytest

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("hanako@example.com", "hanako@example.com"),
        ("first.last+tag@mail.example.co.jp", "first.last+tag@mail.example.co.jp"),
        ("Hanako@Example.COM", "Hanako@example.com"),
        ("user@例え.jp", "user@xn--r8jz45g.jp"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_accepts_ordinary_addresses(given: str, expected: str) -> None:
    assert normalise_email_address(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        "plainaddress",
        "@example.com",
        "user@",
        "user@localhost",
        "user@example..com",
        "user@-example.com",
        "user@example.123",
        ".user@example.com",
        "user.@example.com",
        "us..er@example.com",
        '"quoted"@example.com',
        "user name@example.com",
        "user@example.com\r\nBcc: victim@example.com",
        "user@exam\nple.com",
        "user\u2028@example.com",
        "user@[127.0.0.1]",
        "ユーザー@example.com",
        "a" * 65 + "@example.com",
        "user@" + "a" * 64 + ".com",
        "user@" + ("a" * 60 + ".") * 5 + "com",
    ],
)
def test_refuses_what_cannot_safely_stand_in_a_header(given: str) -> None:
    with pytest.raises(InvalidEmailAddress):
        normalise_email_address(given)
