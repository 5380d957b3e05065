"""`make mutate`: mutmut over the domain and handler modules, then the score of each module.

Usage: .venv/bin/python scripts/mutate.py [MODULE ...]    (default: every module in MODULES)
       .venv/bin/python scripts/mutate.py --explain REASON MUTANT ...

A survivor no test should kill (an equivalent mutant, wording that is no contract) is explained
with --explain: the reason is kept in scripts/explained-mutants.json against its function's
code, and the table counts it apart ("explained") until that code changes.

A MODULE narrows the run: `contact_relay.topics` for one module, `contact_relay.handlers` for a
package. Not part of CI: a full run takes an hour or more on two cores.

The time limit is wall-clock time, so on a busy machine a mutant can run out of time without
looping: MUTATE_TIMEOUT_MULTIPLIER=15 (default 3) gives mutmut more (mutmut keeps every other
verdict when only the limit changes).

mutmut 3 names a mutant after its file's path below the project (with a leading `src/` dropped)
and checks that the tests import the code under that name. Our code lives in `functions/` and
`local/`, so the run works in a copy laid out as mutmut expects, `.mutmut/`: `src/` holds the
two packages and the tests, events and template sit beside it. Files are written only when their
content changed, so mutmut's own cache carries over from one run to the next: a second run tests
the mutants of functions that changed since, and, when the unit or integration tests changed,
every mutant not yet killed nor explained (a new test may kill it); an interrupted run goes on
where it stopped. The table covers every module that has results, from this run or earlier.

A mutant mutmut finds alive or out of time is judged again in a process of its own
(judge_afresh), with a generous limit: mutmut's forked children never see a mutant of code that
ran at import or is cached. The table shows what that decides as "killed afresh" (or "timeout
afresh"); the verdicts are kept in `.mutmut/fresh-verdicts.json`.

The tests selected are the unit and integration tests: the end-to-end tests drive the stack in
a separate process, where mutmut's switch between mutants does not reach, and the
infrastructure tests read the template, not the code.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from mutation_verdicts import (
    EXPLAINABLE,
    FRESH_VERDICTS,
    JUDGED_AFRESH,
    MODULES,
    NOT_MUTATED,
    ROOT,
    TESTS_OF_VERDICTS,
    WORK,
    explain,
    explained_mutants,
    fresh_verdicts,
    is_current,
    is_explained,
    judged_again,
    report,
    results,
    scores,
    tests_digest,
    tests_of_verdicts,
)

MUTMUT = Path(sys.executable).parent / "mutmut"
# mutmut's copy gets this as its root conftest.py: a mutant's tests run fastest first.
ORDERING_CONFTEST = Path(__file__).with_name("mutation_conftest.py")

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
    # tests/unit/test_mutate_script.py reads these scripts at their place in the project.
    ("scripts", "scripts"),
)

CONFIG = """
[tool.mutmut]
source_paths = ["src"]
only_mutate = {only_mutate}
do_not_mutate = {do_not_mutate}
also_copy = ["events", "template.yaml", "openapi.json", "functions", "scripts"]
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
    sync(ORDERING_CONFTEST, WORK / "mutants" / "conftest.py")
    # mutmut copies a module it does not mutate into mutants/ with a new time, and later takes
    # that plain copy for its mutants when a run selects the module: such a copy is removed, so
    # this run mutates the module again (results of its unchanged functions are kept). Which
    # tests reach which function was recorded without it, so that record goes too: kept, it
    # would leave every mutant of the module "no tests".
    digest = tests_digest()
    digest_by_module = tests_of_verdicts()
    explained = explained_mutants()
    for path in (WORK / "src").rglob("*.py"):
        relative = path.relative_to(WORK).as_posix()
        copy = WORK / "mutants" / relative
        selected = any(fnmatch(relative, pattern) for pattern in only_mutate)
        if selected and copy.exists() and "__mutmut_" not in copy.read_text(encoding="utf-8"):
            copy.unlink()
            (WORK / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        # Only a kill is final. mutmut keeps a verdict while the function is unchanged, but a
        # test added since may kill a survivor or a timeout: those are run again when the tests
        # changed since they were judged. "No tests" is judged again each run (tests are added,
        # the record above is made again), which costs nothing when there are still none.
        meta = copy.with_name(copy.name + ".meta")
        if selected and meta.exists():
            tests_changed = digest_by_module.get(relative) != digest
            data = json.loads(meta.read_text(encoding="utf-8"))
            hashes = data["hash_by_function_name"]
            data["exit_code_by_key"] = {
                key: None
                if judged_again(code, tests_changed, is_explained(key, hashes, explained))
                else code
                for key, code in data["exit_code_by_key"].items()
            }
            meta.write_text(json.dumps(data), encoding="utf-8")
        if selected:
            digest_by_module[relative] = digest
    TESTS_OF_VERDICTS.write_text(json.dumps(digest_by_module, indent=1), encoding="utf-8")
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


def judge_afresh() -> None:
    """Judge each survivor again in a Python process of its own, the mutant on from the start.

    mutmut runs a mutant's tests in a child forked from one process that has already imported
    the code and run the tests once. A mutant of code that runs at import (a pydantic field
    built by a function in a class body) or whose result is cached (`contact_request_model`,
    the OpenAPI document) is never seen there, so it "survives" whatever the tests check: the
    message field without `max_length` did, though three tests refuse it in a new process.
    Each survivor (and each mutant of a function mutmut saw no test call) runs the tests mutmut
    recorded for its function and the test files importing its module, in a new process with
    MUTANT_UNDER_TEST set before any import. A kill is kept while its function's code (its hash)
    is unchanged, any other verdict while the tests are unchanged too, so a second run judges
    only what changed."""
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.format_utils import mangled_name_from_mutant_name

    mutants = WORK / "mutants"
    stats = json.loads((mutants / "mutmut-stats.json").read_text(encoding="utf-8"))
    tests_of = stats["tests_by_mangled_function_name"]
    seconds_of = stats["duration_by_test"]
    verdicts = fresh_verdicts()
    digest = tests_digest()
    explained = explained_mutants()
    todo = []
    for _, data in results():
        for name, code in data["exit_code_by_key"].items():
            function = mangled_name_from_mutant_name(name)
            code_hash = data["hash_by_function_name"].get(function.rpartition(".")[2])
            known = verdicts.get(name)
            status = status_by_exit_code[code]
            if status not in JUDGED_AFRESH or is_current(known, code_hash, digest):
                continue
            hashes = data["hash_by_function_name"]
            if status in EXPLAINABLE and is_explained(name, hashes, explained):
                continue  # no test is meant to kill it
            tests = _tests_for(function, tests_of.get(function, ()))
            todo.append((JUDGED_AFRESH.index(status), name, code_hash, tests))
    # Survivors first, timeouts last: a timeout is the likelier kill, and each may take its
    # whole limit.
    todo.sort()
    if not todo:
        return
    print(f"\nJudging {len(todo)} survivors and timeouts again, each in a process of its own")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment["PYTHONPATH"] = "src"

    def judge(name: str, tests: list[str]) -> int:
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
        command += ["--hypothesis-seed=0", "--capture=no", *tests]
        # A generous limit: the machine may be busy, and a new process imports everything.
        seconds = sum(t for test, t in seconds_of.items() if test.startswith(tuple(tests)))
        limit = 120 + 10 * seconds
        try:
            return subprocess.call(  # noqa: S603
                command,
                cwd=mutants,
                env={**environment, "MUTANT_UNDER_TEST": name},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=limit,
            )
        except subprocess.TimeoutExpired:
            return 36  # mutmut's code for a timeout

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        codes = pool.map(lambda item: judge(item[1], item[3]) if item[3] else 33, todo)
        for (_, name, code_hash, _), code in zip(todo, codes, strict=True):
            verdicts[name] = {"hash": code_hash, "tests": digest, "exit_code": code}
            FRESH_VERDICTS.write_text(json.dumps(verdicts, indent=1), encoding="utf-8")


def _tests_for(function: str, recorded: Iterable[str]) -> list[str]:
    """What judges a survivor of `function` afresh: the tests mutmut saw call it, and every
    test file that imports its module. mutmut records a call made at import for whichever test
    happened to be running, so the tests of a class body's field are found only by the
    second rule."""
    files = _test_files_importing(WORK, function.rpartition(".")[0])
    return sorted(files | {test for test in recorded if test.partition("::")[0] not in files})


@lru_cache
def _test_files_importing(work: Path, module: str) -> frozenset[str]:
    """The unit and integration test files that import `module`: read once per module, not
    once per survivor (a module has hundreds of mutants)."""
    package, _, leaf = module.rpartition(".")
    imports_it = re.compile(
        rf"\b{re.escape(module)}\b|from {re.escape(package)} import [^\n]*\b{re.escape(leaf)}\b"
    )
    return frozenset(
        path.relative_to(work / "mutants").as_posix()
        for folder in ("unit", "integration")
        for path in (work / "mutants" / "tests" / folder).glob("test_*.py")
        if imports_it.search(path.read_text(encoding="utf-8"))
    )


def main(modules: list[str]) -> int:
    # The selection goes into the configuration, not onto mutmut's command line: mutmut reruns
    # every mutant it is given by name, finished or not, but resumes a configured run.
    prepare(selection(modules))
    # The work copy's packages, not the project's, must be the ones the tests import.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    command = [str(MUTMUT), "run", "--max-children", str(os.cpu_count() or 2)]
    code = subprocess.call(command, cwd=WORK, env=environment)  # noqa: S603
    judge_afresh()
    report(scores())
    return code


if __name__ == "__main__":
    if sys.argv[1:2] == ["--explain"]:
        if len(sys.argv) < 4:
            sys.exit("usage: scripts/mutate.py --explain REASON MUTANT ...")
        explain(sys.argv[2], sys.argv[3:])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
