"""SnapStart simulated in one process, for the tests and benchmarks: what Lambda's runtime does
with the hooks `contact_relay.handlers.runtime_hooks` holds.

`take_snapshot` runs the before-snapshot hooks (the last registered first), as Lambda does once
a published version's initialisation is done; `restore` runs the after-restore hooks in order,
as Lambda does in each execution environment it resumes from the snapshot. The memory itself is
not snapshotted: a test that needs two restores of one snapshot forks after `take_snapshot`.
"""

from __future__ import annotations

from contact_relay.handlers.runtime_hooks import after_restore_hooks, before_snapshot_hooks


def take_snapshot() -> None:
    for hook in before_snapshot_hooks():
        hook()


def restore() -> None:
    for hook in after_restore_hooks():
        hook()
