"""The relay's environment where no deployment sets it: the local stack's, the tests' and the
committed OpenAPI document's, written once.

Only what the relay needs to start is here (its tables, its sender, a region); each user adds
what is its own (credentials, Powertools' switches).
"""

from __future__ import annotations

REGION = "us-east-1"
RELAY_DEFAULTS = {
    "SELLERS_TABLE": "contact-relay-sellers",
    "MESSAGES_TABLE": "contact-relay-messages",
    "IDEMPOTENCY_TABLE": "contact-relay-idempotency",
    "RATE_LIMIT_TABLE": "contact-relay-rate-limits",
    "CONVERSATIONS_TABLE": "contact-relay-conversations",
    "SENDER_ADDRESS": "noreply@relay.example",
    "AWS_DEFAULT_REGION": REGION,
}
