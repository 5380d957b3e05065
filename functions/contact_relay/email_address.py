"""Syntax check for email addresses that will stand in a mail header.

Deliberately narrower than RFC 5322: a dot-atom local part in ASCII and a DNS domain (an
internationalised domain is turned into its ASCII form). Quoted local parts, comments and
address literals are legal but are never needed on a contact form, and each is a way to smuggle
odd bytes into a header, so they are refused. No DNS look-up: syntax only.
"""

from __future__ import annotations

import string

MAX_ADDRESS_LENGTH = 254
_MAX_LOCAL_LENGTH = 64
_MAX_LABEL_LENGTH = 63
_LOCAL_CHARS = frozenset(string.ascii_letters + string.digits + ".!#$%&'*+/=?^_`{|}~-")
_LABEL_CHARS = frozenset(string.ascii_letters + string.digits + "-")


class InvalidEmailAddress(ValueError):
    """The text is not an address we accept; the message says why, without repeating it."""


def normalise_email_address(text: str) -> str:
    """Return the address with an ASCII domain, or raise InvalidEmailAddress."""
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InvalidEmailAddress(f"must be at most {MAX_ADDRESS_LENGTH} characters")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmailAddress("must look like name@example.com")
    _check_local_part(local)
    ascii_domain = _ascii_domain(domain)
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidEmailAddress(f"must be at most {MAX_ADDRESS_LENGTH} characters")
    return address


def _check_local_part(local: str) -> None:
    if len(local) > _MAX_LOCAL_LENGTH:
        raise InvalidEmailAddress(
            f"the part before @ must be at most {_MAX_LOCAL_LENGTH} characters"
        )
    if (
        not set(local) <= _LOCAL_CHARS
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        raise InvalidEmailAddress("the part before @ holds characters an address cannot have")


def _ascii_domain(domain: str) -> str:
    # A hyphen at either end of a label is checked as written: `例え-.jp` encodes to
    # `xn----87t231j.jp`, whose labels all look fine.
    if any(label.startswith("-") or label.endswith("-") for label in domain.split(".")):
        raise InvalidEmailAddress("the domain is not a valid host name")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidEmailAddress("the domain is not a valid host name") from None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_is_label(label) for label in labels):
        raise InvalidEmailAddress("the domain is not a valid host name")
    if labels[-1].isdigit():
        raise InvalidEmailAddress("the domain is not a valid host name")
    return domain.lower()


def _is_label(label: str) -> bool:
    # Hyphens at either end were refused in `_ascii_domain`, on the labels as written.
    return 0 < len(label) <= _MAX_LABEL_LENGTH and set(label) <= _LABEL_CHARS
