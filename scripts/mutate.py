"""`make mutate`: mutmut over the domain and handler modules, then the score of each module.

Usage: .venv/bin/python scripts/mutate.py [MODULE ...]    (default: every module in MODULES)

A MODULE narrows the run: `contact_relay.topics` for one module, `contact_relay.handlers` for a
package. Not part of CI: a full run takes an hour or more on two cores.

The time limit is wall-clock time, so on a busy machine a mutant can run out of time without
looping: MUTATE_TIMEOUT_MULTIPLIER=15 (default 3) judges again only the mutants that timed out,
with five times the time (mutmut keeps every other verdict when only the limit changes).

mutmut 3 names a mutant after its file's path below the project (with a leading `src/` dropped)
and checks that the tests import the code under that name. Our code lives in `functions/` and
`local/`, so the run works in a copy laid out as mutmut expects, `.mutmut/`: `src/` holds the
two packages and the tests, events and template sit beside it. Files are written only when their
content changed, so mutmut's own cache carries over from one run to the next: a second run tests
only the mutants of functions that changed since, and an interrupted run goes on
where it stopped. The table covers every module that has results, from this run or earlier.

The tests selected are the unit and integration tests: the end-to-end tests drive the stack in
a separate process, where mutmut's switch between mutants does not reach, and the
infrastructure tests read the template, not the code.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutmut"
MUTMUT = Path(sys.executable).parent / "mutmut"

# What is mutated: the relay's rules (the package's own modules) and the handlers. Adapters are
# left out: their tests run against moto and botocore stubs, and a mutant there mostly changes
# an AWS parameter name that only a real service would refuse.
# (fnmatch's `*` crosses `/`: the first pattern takes the handlers and any subpackage too.)
MODULES = ("contact_relay/*.py",)
NOT_MUTATED = ("contact_relay/adapters/*",)

# From the project into the work copy: (source, destination below WORK).
LAYOUT = (
    ("functions/contact_relay", "src/contact_relay"),
    ("local/contact_relay_local", "src/contact_relay_local"),
    ("tests", "tests"),
    ("events", "events"),
    ("template.yaml", "template.yaml"),
    ("openapi.json", "openapi.json"),
    # tests/unit/link_oracle.py reads the TLD list at its place in the project.
    ("functions/contact_relay/data", "functions/contact_relay/data"),
)

CONFIG = """
[tool.mutmut]
source_paths = ["src"]
only_mutate = {only_mutate}
do_not_mutate = {do_not_mutate}
also_copy = ["events", "template.yaml", "openapi.json", "functions"]
pytest_add_cli_args_test_selection = ["tests/unit", "tests/integration"]
# Hypothesis draws new examples each run; a mutant's verdict should not depend on the draw.
# mutmut runs pytest twice in one process (its stats, then the clean run): a logger made in the
# first keeps that session's captured stdout, which pytest closes at its end, and priming's
# setStream flushes it (ValueError: I/O operation on closed file). Uncaptured, it keeps mutmut's
# own stdout, which stays open; the capsys and capfd fixtures capture as before.
pytest_add_cli_args = ["-p", "no:cacheprovider", "--hypothesis-seed=0", "--capture=no"]
# A mutant that makes a loop endless is stopped after three times its tests' usual time
# (mutmut's default, fifteen, spends minutes on each such mutant of the handlers).
timeout_multiplier = {timeout_multiplier}
"""

# A mutant the tests stopped: they failed, or ran into the time limit (an endless loop).
KILLED = ("killed", "timeout")
# Not yet judged: left out of the score. Every other status counts against it, "no tests" (no
# selected test runs the function) included.
UNJUDGED = ("not checked", "skipped", "check was interrupted by user")


def sync(source: Path, destination: Path) -> None:
    """Make `destination` a copy of `source`, writing only files whose content differs."""
    if source.is_file():
        if not destination.exists() or not filecmp.cmp(source, destination, shallow=False):
            destination.parent.mkdir(parents=True, exist_ok=True)
            # A new time, so mutmut (which compares times, not contents) mutates it again.
            shutil.copyfile(source, destination)
        return
    wanted = {
        path.relative_to(source)
        for path in source.rglob("*")
        if "__pycache__" not in path.parts and not path.is_dir()
    }
    for relative in wanted:
        sync(source / relative, destination / relative)
    # A module moved or removed in the project goes from the copy too.
    for path in destination.rglob("*"):
        relative = path.relative_to(destination)
        if path.is_file() and "__pycache__" not in path.parts and relative not in wanted:
            path.unlink()


def selection(modules: list[str]) -> list[str]:
    """mutmut's only_mutate patterns for module names (all of MODULES when none are named)."""
    if not modules:
        return [f"src/{pattern}" for pattern in MODULES]
    patterns = []
    for module in modules:
        path = module.replace(".", "/")
        is_file = (ROOT / "functions" / f"{path}.py").is_file()
        patterns.append(f"src/{path}.py" if is_file else f"src/{path}/*")
    return patterns


def prepare(only_mutate: list[str]) -> None:
    for source, destination in LAYOUT:
        sync(ROOT / source, WORK / destination)
    refresh_mutants_copy()
    # mutmut copies a module it does not mutate into mutants/ with a new time, and later takes
    # that plain copy for its mutants when a run selects the module: such a copy is removed, so
    # this run mutates the module again (results of its unchanged functions are kept). Which
    # tests reach which function was recorded without it, so that record goes too: kept, it
    # would leave every mutant of the module "no tests".
    for path in (WORK / "src").rglob("*.py"):
        relative = path.relative_to(WORK).as_posix()
        copy = WORK / "mutants" / relative
        selected = any(fnmatch(relative, pattern) for pattern in only_mutate)
        if selected and copy.exists() and "__mutmut_" not in copy.read_text(encoding="utf-8"):
            copy.unlink()
            (WORK / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        # A "no tests" verdict is not final (tests are added, the record above is made again):
        # it is judged again each run, which costs nothing when there are still none.
        meta = copy.with_name(copy.name + ".meta")
        if selected and meta.exists():
            data = json.loads(meta.read_text(encoding="utf-8"))
            codes = data["exit_code_by_key"]
            data["exit_code_by_key"] = {
                key: None if code == 33 else code for key, code in codes.items()
            }
            meta.write_text(json.dumps(data), encoding="utf-8")
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pytest_section = project[project.index("[tool.pytest.ini_options]") :]
    pytest_section = pytest_section[: pytest_section.index("\n[", 1)]
    text = pytest_section + CONFIG.format(
        only_mutate=json.dumps(only_mutate),
        do_not_mutate=json.dumps([f"src/{pattern}" for pattern in NOT_MUTATED]),
        timeout_multiplier=float(os.environ.get("MUTATE_TIMEOUT_MULTIPLIER", "3")),
    )
    target = WORK / "pyproject.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def refresh_mutants_copy() -> None:
    """Bring mutmut's own copy, `mutants/`, up to date with the work copy where mutmut does not.

    mutmut writes the Python modules of `src/` into `mutants/` at each run, but copies the other
    files of `src/` only when they are missing there, and copies the tests, events and template
    over the old ones without removing what the project removed. So a test read a file as it was
    at the first run: the demo sellers without `pending-store`, which the verification example
    names (tests/unit/test_openapi.py failed in mutmut's first pass). Those files are synced here,
    and a module gone from the project goes from `mutants/` too (its results stay, unshown)."""
    mutants = WORK / "mutants"
    if not mutants.is_dir():
        return  # the first run: mutmut copies everything
    source = WORK / "src"
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
            sync(path, mutants / path.relative_to(WORK))
    for path in (mutants / "src").rglob("*"):
        relative = path.relative_to(mutants / "src")
        if "__pycache__" in path.parts or not path.is_file() or path.name.endswith(".meta"):
            continue
        if not (source / relative).exists():
            path.unlink()
    for _, destination in LAYOUT:
        if not destination.startswith("src/"):
            sync(WORK / destination, mutants / destination)


def scores() -> dict[str, Counter[str]]:
    """Each module's mutants counted by status, from the .meta files mutmut keeps."""
    from mutmut.stats import status_by_exit_code

    by_module: dict[str, Counter[str]] = {}
    for meta in sorted((WORK / "mutants" / "src").rglob("*.py.meta")):
        path = meta.relative_to(WORK / "mutants" / "src").as_posix().removesuffix(".meta")
        # Results of a module since moved or removed stay on disk: they are not shown.
        if not _in_scope(path) or not (WORK / "src" / path).is_file():
            continue
        module = path.removesuffix(".py").replace("/", ".")
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        by_module[module] = Counter(status_by_exit_code[code] for code in exit_codes.values())
    return by_module


def _in_scope(path: str) -> bool:
    return any(fnmatch(path, p) for p in MODULES) and not any(fnmatch(path, p) for p in NOT_MUTATED)


def report(by_module: dict[str, Counter[str]]) -> None:
    print(f"\n{'module':<44}{'killed':>8}{'judged':>8}{'score':>8}  not killed")
    for module, counts in by_module.items():
        judged = sum(count for status, count in counts.items() if status not in UNJUDGED)
        killed = sum(counts[status] for status in KILLED)
        score = f"{100 * killed / judged:.0f}%" if judged else "-"
        rest = ", ".join(
            f"{count} {status}" for status, count in counts.items() if status not in KILLED
        )
        print(f"{module:<44}{killed:>8}{judged:>8}{score:>8}  {rest}")
    print("\nSurvivors: `cd .mutmut && ../.venv/bin/mutmut results`, then `mutmut show NAME`.")


def main(modules: list[str]) -> int:
    # The selection goes into the configuration, not onto mutmut's command line: mutmut reruns
    # every mutant it is given by name, finished or not, but resumes a configured run.
    prepare(selection(modules))
    # The work copy's packages, not the project's, must be the ones the tests import.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    command = [str(MUTMUT), "run", "--max-children", str(os.cpu_count() or 2)]
    code = subprocess.call(command, cwd=WORK, env=environment)  # noqa: S603
    report(scores())
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
