"""The route table: how each notation of a path is read from it."""

from __future__ import annotations

import pytest

from contact_relay.handlers.routes import (
    MESSAGE_ROUTE,
    MESSAGES_ROUTE,
    ROUTES,
    SELLER_ROUTE,
    TOPICS_ROUTE,
    Route,
    reads_a_json_body,
)
from contact_relay_local.gateway import proxy_event


def test_a_route_is_written_for_powertools_with_angle_brackets() -> None:
    assert MESSAGES_ROUTE.rule == "/sellers/<sellerId>/messages"
    assert TOPICS_ROUTE.rule == "/topics"


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/sellers/example-store/messages", {"sellerId": "example-store"}),
        ("/sellers/a.b/messages", {"sellerId": "a.b"}),
        ("/sellers//messages", None),
        ("/sellers/a/b/messages", None),
        ("/sellers/x/messages/", None),
        ("/sellers/x/messages\n", None),
        ("/sellersXexample/messages", None),
    ],
)
def test_a_path_is_the_route_s_only_when_it_matches_whole(
    path: str, parameters: dict[str, str] | None
) -> None:
    assert MESSAGES_ROUTE.parameters(path) == parameters


@pytest.mark.parametrize(
    ("method", "path", "reads"),
    [
        ("POST", "/sellers/example-store/messages", True),
        ("GET", "/sellers/example-store/messages", False),
        ("POST", "/topics", False),
        ("POST", "/elsewhere", False),
        (None, None, False),
    ],
)
def test_only_a_post_of_a_message_reads_a_json_body(
    method: str | None, path: str | None, reads: bool
) -> None:
    assert reads_a_json_body(method, path) is reads


def test_the_local_gateway_names_resources_as_api_gateway_does() -> None:
    event = proxy_event("POST", "/sellers/example-store/messages?x=1", [], b"{}", "127.0.0.1")
    unknown = proxy_event("GET", "/nowhere", [], b"", "127.0.0.1")

    assert (event["resource"], event["pathParameters"]) == (
        "/sellers/{sellerId}/messages",
        {"sellerId": "example-store"},
    )
    assert (unknown["resource"], unknown["pathParameters"]) == ("/nowhere", None)


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/sellers/example-store", SELLER_ROUTE),
        ("/sellers/example-store/messages", MESSAGES_ROUTE),
        ("/messages/3f6d2c1e-8a4b-4f0e-9d7a-2b5c1e0f9a63", MESSAGE_ROUTE),
    ],
)
def test_a_seller_its_messages_and_a_message_are_three_routes(path: str, route: Route) -> None:
    matching = [candidate for candidate in ROUTES if candidate.parameters(path) is not None]

    assert matching == [route]


def test_a_route_built_now_reads_its_parameters_and_its_literal_text() -> None:
    # Built in the test, not at import: `make mutate` can only judge the table's construction
    # in a route made while its mutants are switched on.
    route = Route("/v1.0/{first}/items/{second}", ("GET",))

    assert route.rule == "/v1.0/<first>/items/<second>"
    assert route.parameters("/v1.0/a-b/items/42") == {"first": "a-b", "second": "42"}
    assert route.parameters("/v1x0/a/items/42") is None  # the dot is a dot
    assert route.parameters("/v1.0/a/b/items/42") is None  # a parameter holds no slash
    assert route.parameters("/v1.0/a/items/42/more") is None
    assert route.parameters("/v1.0//items/42") is None
