"""How `contact-relay dev` sets up the two-way relay: reply.localhost and its own URL unless told
otherwise, and the URL settled once the server listens (tests/e2e checks the stack itself)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import cast

import pytest

from contact_relay_local.dev_command import _settle_public_url, _two_way_relay_environment
from contact_relay_local.devserver import DevServer, base_url
from contact_relay_local.stack import LOCAL_REPLY_DOMAIN


@pytest.fixture
def untold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither variable set; whatever a test sets is undone after it (monkeypatch restores only
    what it changed: setting first makes it restore the variable's absence too)."""
    for name in ("REPLY_DOMAIN", "PUBLIC_API_URL"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def test_untold_the_stack_runs_conversations_with_stop_links_to_itself(
    untold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _two_way_relay_environment("http://127.0.0.1:3000") == "http://127.0.0.1:3000"
    assert os.environ["REPLY_DOMAIN"] == LOCAL_REPLY_DOMAIN == "reply.localhost"
    assert os.environ["PUBLIC_API_URL"] == "http://127.0.0.1:3000"


def test_told_otherwise_the_stack_keeps_what_it_was_told(
    untold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLY_DOMAIN", "")
    monkeypatch.setenv("PUBLIC_API_URL", "https://tunnel.example")

    assert _two_way_relay_environment("http://127.0.0.1:3000") is None
    assert os.environ["REPLY_DOMAIN"] == ""
    assert os.environ["PUBLIC_API_URL"] == "https://tunnel.example"


@dataclass
class Function:
    cold_starts: int = 0

    def cold_start(self) -> None:
        self.cold_starts += 1


@dataclass
class Server:
    url: str
    functions: list[Function] = field(default_factory=lambda: [Function(), Function()])


@pytest.mark.parametrize(
    ("predicted", "listening", "restarted"),
    [
        ("http://127.0.0.1:0", "http://127.0.0.1:41234", True),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000", False),
        (None, "http://127.0.0.1:41234", False),
    ],
)
def test_the_url_is_settled_once_the_server_listens(
    untold: None,
    monkeypatch: pytest.MonkeyPatch,
    predicted: str | None,
    listening: str,
    restarted: bool,
) -> None:
    monkeypatch.setenv("PUBLIC_API_URL", predicted or "https://tunnel.example")
    server = Server(listening)

    _settle_public_url(predicted, cast(DevServer, server))

    expected = listening if restarted else (predicted or "https://tunnel.example")
    assert os.environ["PUBLIC_API_URL"] == expected
    assert [f.cold_starts for f in server.functions] == [int(restarted)] * 2


def test_an_ipv6_host_is_bracketed_in_the_url() -> None:
    assert base_url("::1", 3000) == "http://[::1]:3000"
    assert base_url("127.0.0.1", 3000) == "http://127.0.0.1:3000"
