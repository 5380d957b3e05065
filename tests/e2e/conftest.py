from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.local_stack import RunningStack


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    running = RunningStack()
    yield running
    assert running.stop() == 0
