"""Reading attributes of a stored DynamoDB item defensively: a missing or mistyped attribute
is absent (None), never an exception, whatever wrote the item."""

from __future__ import annotations

from typing import Any


def stored_text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name, {}).get("S")
    return value if isinstance(value, str) else None


def stored_number(item: dict[str, Any], name: str) -> int | None:
    value = item.get(name, {}).get("N")
    try:
        return int(value) if isinstance(value, str) else None
    except ValueError:
        return None
