"""How long the relay keeps what it stores where a deployment does not say otherwise: the one
source of these defaults for the domain's policies and the functions' settings alike."""

from __future__ import annotations

# A message's row (MESSAGE_RETENTION_DAYS): sent from the form or relayed as a reply.
DEFAULT_MESSAGE_RETENTION_DAYS = 90
# A conversation, counted from its last message (CONVERSATION_RETENTION_DAYS).
DEFAULT_CONVERSATION_RETENTION_DAYS = 180
