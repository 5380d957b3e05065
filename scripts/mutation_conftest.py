"""Copied by scripts/mutate.py into mutmut's copy as its root conftest.py (never into the
project's tests): a mutant's tests run fastest first.

mutmut hands a mutant's tests to pytest in no set order and stops at the first failure, so a
mutant the tests kill often ran a minute of moto tests before the one that failed; fastest
first, most kills take seconds. Only a mutant's run is ordered: mutmut's stats run measures the
durations read here, and its forced-failure run names no mutant.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

STATS = Path(__file__).with_name("mutmut-stats.json")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", "") or not STATS.is_file():
        return
    seconds = json.loads(STATS.read_text(encoding="utf-8"))["duration_by_test"]
    items.sort(key=lambda item: seconds.get(item.nodeid, float("inf")))
