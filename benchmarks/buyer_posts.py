"""A buyer's POST as API Gateway hands it to the function, for the benchmarks that call the
handler themselves: built by the local stack's gateway, as `contact-relay dev` builds each
event it serves, with the headers of events/post-shipping.json."""

from __future__ import annotations

import json
from typing import Any

from contact_relay_local.gateway import proxy_event

HEADERS = (
    ("Accept", "application/json"),
    ("Content-Type", "application/json"),
    ("Origin", "https://shop.example"),
    ("User-Agent", "Mozilla/5.0"),
)


def contact_post(
    message: str, buyer_email: str, buyer_name: str = "Bench", seller_id: str = "example-store"
) -> dict[str, Any]:
    """The event for one shipping question from a buyer, sent to `seller_id`."""
    body = {
        "topic": "shipping",
        "message": message,
        "buyer": {"name": buyer_name, "email": buyer_email},
    }
    return proxy_event(
        "POST",
        f"/sellers/{seller_id}/messages",
        HEADERS,
        json.dumps(body, ensure_ascii=False).encode(),
        source_ip="203.0.113.7",
    )
