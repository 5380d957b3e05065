"""The reducer against another version of itself, on the inputs of `adversarial_reduction.py`.

Usage: .venv/bin/python benchmarks/reduction_against.py OTHER_FUNCTIONS_DIR [NAME_PART ...]

OTHER_FUNCTIONS_DIR is the `functions` folder of another checkout (`git worktree add /tmp/old
REV`, then `/tmp/old/functions`). Each input, cut to the API's 4,000 characters, is reduced in a
fresh process by one version and then the other, alternating, so that a shared machine's load
falls on both alike: CPU time of the first call and the least of seven warm calls, in ms. NAME_PART
keeps only the inputs whose name holds one of them. A family that an older version cannot build
(it reads a name that version lacks) prints `nan`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
FUNCTIONS = BENCHMARKS.parent / "functions"
sys.path.insert(0, str(BENCHMARKS))
from adversarial_reduction import FAMILIES  # noqa: E402
from machine import header  # noqa: E402
from reduction_scaling import INPUTS  # noqa: E402


def measure(functions: Path, name: str) -> tuple[str, str]:
    """First call / warm, in CPU ms, of `name` at 4,000 characters, reduced by `functions`."""
    script = str(BENCHMARKS / "adversarial_reduction.py")
    result = subprocess.run(
        [sys.executable, script, "--child", name, "-16384", "--cpu"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(functions)},
    )
    first, warm = [*result.stdout.split(), "nan", "nan"][:2]
    return first, warm


def main() -> None:
    other = Path(sys.argv[1]).resolve()
    parts = sys.argv[2:]
    names = [*FAMILIES, *(name for name in INPUTS if not name.startswith("prose"))]
    names = [name for name in names if not parts or any(part in name for part in parts)]
    print(header(f"reduction, ms of CPU at 4,000 characters: first / warm; other = {other}"))
    width = max(len(name) for name in names)
    for name in names:
        other_first, other_warm = measure(other, name)
        this_first, this_warm = measure(FUNCTIONS, name)
        print(
            f"{name:<{width}}  other {other_first:>7} / {other_warm:>7}"
            f"   this {this_first:>7} / {this_warm:>7}",
            flush=True,
        )


if __name__ == "__main__":
    main()
