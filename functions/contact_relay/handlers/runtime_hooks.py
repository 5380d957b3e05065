"""SnapStart's runtime hooks, registered with Lambda's own `snapshot_restore_py` where it is.

Lambda's Python runtimes (3.12 and later) ship that library and run what it holds: the
before-snapshot hooks in reverse order of registration before the snapshot is taken, the
after-restore hooks in order of registration after each restore. Elsewhere (Python 3.11, the
local stack, an installed wheel) it may be missing: the hooks then go to a registry of the same
shape here, which nothing but a simulation runs (`contact_relay_local.snapstart`). Either way
`before_snapshot_hooks` and `after_restore_hooks` list what is registered, as Lambda runs it.

`snapping_now` says whether this process is the initialisation Lambda snapshots: Lambda sets
`AWS_LAMBDA_INITIALIZATION_TYPE=snap-start` for it (and `on-demand` or
`provisioned-concurrency` for the others).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

Hook = Callable[[], Any]

_lambda_hooks: ModuleType | None
try:
    _lambda_hooks = importlib.import_module("snapshot_restore_py")
except ImportError:  # not in Lambda's runtime, nor installed: keep the hooks here
    _lambda_hooks = None

_before: list[tuple[Hook, tuple[Any, ...], dict[str, Any]]] = []
_after: list[tuple[Hook, tuple[Any, ...], dict[str, Any]]] = []


def snapping_now() -> bool:
    """True in the initialisation whose memory Lambda snapshots for a published version."""
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


def register_before_snapshot(hook: Hook) -> Hook:
    if _lambda_hooks is not None:
        _lambda_hooks.register_before_snapshot(hook)
    else:
        _before.append((hook, (), {}))
    return hook


def register_after_restore(hook: Hook) -> Hook:
    if _lambda_hooks is not None:
        _lambda_hooks.register_after_restore(hook)
    else:
        _after.append((hook, (), {}))
    return hook


def before_snapshot_hooks() -> list[Hook]:
    """The before-snapshot hooks in the order Lambda runs them: the last registered first."""
    return [_bound(entry) for entry in reversed(_registered("get_before_snapshot", _before))]


def after_restore_hooks() -> list[Hook]:
    """The after-restore hooks in the order Lambda runs them: as registered."""
    return [_bound(entry) for entry in _registered("get_after_restore", _after)]


def _registered(getter: str, fallback: list[Any]) -> list[Any]:
    return list(getattr(_lambda_hooks, getter)() if _lambda_hooks is not None else fallback)


def _bound(entry: tuple[Hook, tuple[Any, ...], dict[str, Any]]) -> Hook:
    hook, args, kwargs = entry
    return lambda: hook(*args, **kwargs)
