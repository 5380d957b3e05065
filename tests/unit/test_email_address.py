from __future__ import annotations

import string

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
        # A label may hold every character a label may have (make mutate: a proper subset).
        (
            f"a@{string.ascii_lowercase}-{string.ascii_uppercase}{string.digits}.example",
            f"a@{string.ascii_lowercase}-{string.ascii_lowercase}{string.digits}.example",
        ),
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


# The longest address a header may hold: 254 characters, 64 of them before the `@` (make mutate:
# mutants made either limit one shorter).
_LONGEST = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"


def test_accepts_an_address_at_each_limit() -> None:
    assert len(_LONGEST) == 254

    assert normalise_email_address(_LONGEST) == _LONGEST


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        pytest.param(_LONGEST + "m", "must be at most 254 characters", id="too long"),
        # 67 characters as written, 256 in the ASCII form that goes in the header.
        pytest.param(
            "a@" + "例え." * 21 + "jp", "must be at most 254 characters", id="too long in ASCII"
        ),
        pytest.param("user@", "must look like name@example.com", id="no domain"),
        pytest.param(
            "a" * 65 + "@example.com",
            "the part before @ must be at most 64 characters",
            id="local part too long",
        ),
        pytest.param(
            ".user@example.com",
            "the part before @ holds characters an address cannot have",
            id="leading dot",
        ),
        # The domain is what follows the last `@`: one before it is in the part before.
        pytest.param(
            "a@b@example.com",
            "the part before @ holds characters an address cannot have",
            id="two @",
        ),
        pytest.param("user@-example.com", "the domain is not a valid host name", id="hyphen"),
        pytest.param(
            "user@" + "ü" * 60 + ".de",
            "the domain is not a valid host name",
            id="label too long in ASCII",
        ),
        pytest.param("user@example..com", "the domain is not a valid host name", id="empty label"),
        # A number as the last label, however many labels come before it.
        pytest.param(
            "user@mail.example.123", "the domain is not a valid host name", id="number last"
        ),
    ],
)
def test_a_refusal_says_why_without_repeating_the_address(given: str, reason: str) -> None:
    # The reason reaches the buyer in the 422's details.
    with pytest.raises(InvalidEmailAddress) as refused:
        normalise_email_address(given)

    assert str(refused.value) == reason
