"""The API's routes, written once: the resolver, the 405 answers, the edge checks and the local
stack's gateway all read this table (and a test holds template.yaml's API to it).

Paths are written in API Gateway's notation (`/sellers/{sellerId}/messages`), as the template
declares them; `rule` gives Powertools' (`/sellers/<sellerId>/messages`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    resource: str
    methods: tuple[str, ...]
    # Whether its body is JSON: the route a 415 is about.
    reads_json_body: bool = False
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = _PARAMETER.split(self.resource)
        # split() alternates literal text and parameter names: even indexes are text.
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)"
            for index, part in enumerate(parts)
        )
        object.__setattr__(self, "_pattern", re.compile(pattern))

    @property
    def rule(self) -> str:
        """The path as Powertools' resolver writes it."""
        return _PARAMETER.sub(r"<\1>", self.resource)

    def parameters(self, path: str) -> dict[str, str] | None:
        """The path parameters when `path` is this route's, else None."""
        match = self._pattern.fullmatch(path)
        return None if match is None else match.groupdict()


TOPICS_ROUTE = Route("/topics", ("GET",))
SELLER_ROUTE = Route("/sellers/{sellerId}", ("GET",))
MESSAGES_ROUTE = Route("/sellers/{sellerId}/messages", ("POST",), reads_json_body=True)
MESSAGE_ROUTE = Route("/messages/{messageId}", ("GET",))
# A page, not JSON: GET shows one button, POST (the button's form) confirms the address.
VERIFY_ROUTE = Route("/verify/{token}", ("GET", "POST"))
# Likewise: GET shows one button, POST (the button's form) stops the conversation for good.
STOP_ROUTE = Route("/stop/{token}", ("GET", "POST"))
ROUTES = (TOPICS_ROUTE, SELLER_ROUTE, MESSAGES_ROUTE, MESSAGE_ROUTE, VERIFY_ROUTE, STOP_ROUTE)


def reads_a_json_body(method: str | None, path: str | None) -> bool:
    """Whether a request goes to a route that reads a JSON body, the one a 415 is about; a
    POST anywhere else is answered by routing (404, 405)."""
    return any(
        route.reads_json_body
        and method in route.methods
        and route.parameters(path or "") is not None
        for route in ROUTES
    )
