"""SnapStart's runtime hooks go where Lambda's runtime looks for them, and run in its order.

Each case runs in a fresh interpreter: the registries are process-wide, as they are in Lambda.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_SCRIPT = """
import json, sys
if sys.argv[1] == "without":
    sys.modules["snapshot_restore_py"] = None  # as on Python 3.11 or in an installed wheel
from contact_relay.handlers import runtime_hooks as hooks
ran = []
for name in ("first", "second"):
    hooks.register_before_snapshot(lambda name=name: ran.append("before " + name))
    hooks.register_after_restore(lambda name=name: ran.append("after " + name))
for hook in hooks.before_snapshot_hooks() + hooks.after_restore_hooks():
    hook()
library = None
if sys.argv[1] == "with":
    import snapshot_restore_py
    library = [len(snapshot_restore_py.get_before_snapshot()),
               len(snapshot_restore_py.get_after_restore())]
print(json.dumps({"ran": ran, "library": library}))
"""


@pytest.mark.parametrize(("library", "registered_there"), [("with", [2, 2]), ("without", None)])
def test_hooks_run_in_lambdas_order_whether_or_not_the_library_is_there(
    library: str, registered_there: list[int] | None
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, library],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout)

    # Before the snapshot the last registered runs first; after a restore, as registered.
    assert report["ran"] == ["before second", "before first", "after first", "after second"]
    assert report["library"] == registered_there


_WITH_ARGUMENTS = """
import json, snapshot_restore_py
from contact_relay.handlers import runtime_hooks as hooks
ran = []
record = lambda *args, **kwargs: ran.append([list(args), kwargs])
snapshot_restore_py.register_before_snapshot(record, "before", when="snapshot")
snapshot_restore_py.register_after_restore(record, "after", 2, when="restore")
for hook in hooks.before_snapshot_hooks() + hooks.after_restore_hooks():
    hook()
print(json.dumps(ran))
"""


def test_a_hook_registered_in_lambdas_library_with_arguments_runs_with_them() -> None:
    # Lambda's library keeps each hook's arguments; what else in the process registers there
    # (a library, the runtime) may use them, and the simulation must run those hooks as Lambda does.
    result = subprocess.run(
        [sys.executable, "-c", _WITH_ARGUMENTS],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert json.loads(result.stdout) == [
        [["before"], {"when": "snapshot"}],
        [["after", 2], {"when": "restore"}],
    ]
