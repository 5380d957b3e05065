from __future__ import annotations

from collections.abc import Iterator

import pytest

from contact_relay_local.running_stack import RunningStack


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    running = RunningStack()
    yield running
    assert running.stop() == 0
