"""The SES message tags that tie a sent email, and every event SES later publishes about it, to
our own message and seller.

SES copies a send's `EmailTags` into the `mail.tags` of each event it publishes through the
configuration set, so an event names our message directly: no lookup of SES's message id is
needed (no index on the messages table, no read permission), and a message whose send answer
was lost (`unconfirmed`, no SES id recorded) is still found. SES allows tag values of ASCII
letters, digits, `_` and `-`: our message ids (UUIDs) and seller ids (SELLER_ID_PATTERN) fit.
"""

from __future__ import annotations

from collections.abc import Mapping

MESSAGE_ID_TAG = "relayMessageId"
SELLER_ID_TAG = "relaySellerId"


def message_tags(message_id: str, seller_id: str) -> dict[str, str]:
    return {MESSAGE_ID_TAG: message_id, SELLER_ID_TAG: seller_id}


def tag_value(tags: Mapping[str, list[str]], name: str) -> str | None:
    """One tag of an SES event's `mail.tags` (SES gives each tag as a list of values)."""
    values = tags.get(name) or []
    return values[0] if values else None
