"""One wiring per execution environment, built at its cold start: the shape the three functions
share (the contact function's `wiring.ExecutionEnvironments` also builds one around the clients
a test or benchmark hands it)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_Wiring = TypeVar("_Wiring")


class PerEnvironment(Generic[_Wiring]):
    """`build()` once per execution environment (per thread in tests), at its first invocation."""

    def __init__(self, build: Callable[[], _Wiring]) -> None:
        self._build = build
        self._local = threading.local()
        self._generations = itertools.count()
        self._generation = next(self._generations)

    def current(self) -> _Wiring:
        """This environment's wiring, built now if this is its cold start."""
        if getattr(self._local, "generation", None) != self._generation:
            self.install(self._build())
        wiring: _Wiring = self._local.wiring
        return wiring

    def install(self, wiring: _Wiring) -> None:
        """Make `wiring` this environment's until its next cold start, as if built by it."""
        self._local.wiring = wiring
        self._local.generation = self._generation

    def start_cold(self) -> None:
        """Every environment's next invocation reads the environment and makes its clients
        again, as after a new deployment."""
        self._generation = next(self._generations)
