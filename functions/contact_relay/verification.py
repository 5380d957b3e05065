"""Verification of a seller's reply-to address: a single-use link, stored only as a digest.

A link's token is `{sellerId}.{secret}`: the seller id says which item to update, the secret
(256 random bits) proves the link reached the address. Only the SHA-256 digest of the token is
stored, so whoever can read the sellers table cannot confirm an address with what it holds. A
plain hash is enough here, unlike for buyers' addresses (`digests`, keyed): a 256-bit random
secret cannot be guessed and hashed back, and the operator's `sellers` commands, which issue
tokens, then need no key that only the function may read.

Knows nothing of Lambda, HTTP or boto3: confirming works through the `AddressVerifications` port.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from contact_relay.errors import VerificationLinkInvalid
from contact_relay.ports import AddressVerifications

# How long a link works after it was sent.
TOKEN_LIFETIME = timedelta(hours=48)
# A seller id (handlers.api_models.SELLER_ID_PATTERN's characters), a dot, 32 bytes in base64url.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{43}$"  # noqa: S105 (a pattern)
_TOKEN = re.compile(TOKEN_PATTERN)
_SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: the link is sent to the address, only the digest is stored."""

    token: str
    digest: str
    expires_at: int


def issue_token(seller_id: str, now: float) -> IssuedToken:
    token = f"{seller_id}.{secrets.token_urlsafe(_SECRET_BYTES)}"
    return IssuedToken(token, token_digest(token), int(now + TOKEN_LIFETIME.total_seconds()))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def seller_of(token: str) -> str | None:
    """The seller id a well-formed token names, or None for anything else."""
    if not _TOKEN.fullmatch(token):
        return None
    return token.split(".", 1)[0]


def verification_link(api_url: str, token: str) -> str:
    return f"{api_url.rstrip('/')}/verify/{token}"


class AddressConfirmer:
    """Confirms an address by its link's token: once, within its lifetime."""

    def __init__(
        self, verifications: AddressVerifications, clock: Callable[[], float] = time.time
    ) -> None:
        self._verifications = verifications
        self._clock = clock

    def confirm(self, token: str) -> str:
        """The seller id whose address is now verified. Raises VerificationLinkInvalid for a
        token that is malformed, unknown, used already or expired (the same answer for each:
        which one it was tells a guesser something)."""
        seller_id = seller_of(token)
        if seller_id is None:
            raise VerificationLinkInvalid
        if not self._verifications.confirm(seller_id, token_digest(token), int(self._clock())):
            raise VerificationLinkInvalid
        return seller_id
