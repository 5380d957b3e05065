"""What each mutant's status is, as `make mutate` counts it (scripts/mutate.py runs mutmut).

mutmut's exit code for a mutant, then two judgements beside it: judge_afresh's verdict in a
process of its own (kept in `.mutmut/fresh-verdicts.json` against the function's code and the
tests), and a person's explanation of a survivor no test should kill (kept in the project, in
EXPLAINED, against the function's code). A verdict other than a kill holds only while the code
and the tests it was given for are unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutmut"
# Verdicts of the survivors judged again, each in a process of its own (see judge_afresh).
FRESH_VERDICTS = WORK / "fresh-verdicts.json"
# Per module: the digest of the tests its survivors and timeouts were last run against.
TESTS_OF_VERDICTS = WORK / "tests-of-verdicts.json"
# Survivors a person looked at and explained (an equivalent mutant, wording that is no
# contract), each with its function's hash: an explanation lapses when the code changes.
# Kept in the project, so the next run shows them explained and the reasons are reviewed.
EXPLAINED = ROOT / "scripts" / "explained-mutants.json"

# What is mutated: the relay's rules (the package's own modules) and the handlers. Adapters are
# left out: their tests run against moto and botocore stubs, and a mutant there mostly changes
# an AWS parameter name that only a real service would refuse.
# (fnmatch's `*` crosses `/`: the first pattern takes the handlers and any subpackage too.)
MODULES = ("contact_relay/*.py",)
NOT_MUTATED = ("contact_relay/adapters/*",)

# A mutant the tests stopped: they failed, or ran into the time limit (an endless loop); or
# they did so only in a process of its own (judge_afresh).
KILLED = ("killed", "timeout", "killed afresh", "timeout afresh")
# What judge_afresh judges again, in this order: a survivor; a mutant with "no tests" (mutmut
# records a call made at import for whichever test was running, so code that runs only at import
# or in a runtime hook can have none recorded, though the test files importing it reach it); and
# a timeout (the limit is wall-clock time, so on a busy machine a mutant can run out of it
# without looping).
JUDGED_AFRESH = ("survived", "no tests", "timeout")
# pytest's exit codes that mean a process of its own stopped the mutant: tests failed (1), or
# a module under test or a conftest failed to import with the mutant on (2 or 4, which pytest
# counts an interruption or a usage error; a cold start would meet it too).
FRESH_KILLS = (1, 2, 3, 4)
# What a person may explain instead of a test killing it.
EXPLAINABLE = ("survived", "no tests")
# Not yet judged: left out of the score. Every other status counts against it, "no tests" (no
# selected test runs the function) included.
UNJUDGED = ("not checked", "skipped", "check was interrupted by user")


def tests_digest() -> str:
    """A digest of the tests a mutant is judged by: a verdict other than a kill holds only
    while they are unchanged."""
    digest = hashlib.sha256()
    for folder in ("tests/unit", "tests/integration"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    for path in sorted((ROOT / "tests").glob("*.py")):  # conftest and the shared support
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tests_of_verdicts() -> dict[str, str]:
    if not TESTS_OF_VERDICTS.exists():
        return {}
    recorded: dict[str, str] = json.loads(TESTS_OF_VERDICTS.read_text(encoding="utf-8"))
    return recorded


def judged_again(code: int | None, tests_changed: bool, explained: bool = False) -> bool:
    """Whether a mutant's verdict is set aside so that this run judges it again. A survivor
    explained for its current code is not: no test is meant to kill it, and running each one's
    whole set of tests again after every change to the tests costs most of a run."""
    from mutmut.stats import status_by_exit_code

    status = status_by_exit_code[code]
    if explained and status in EXPLAINABLE:
        return False
    return status == "no tests" or (tests_changed and status in JUDGED_AFRESH)


def is_explained(name: str, hash_by_function: dict[str, str], explained: dict[str, Any]) -> bool:
    """Whether `name` is explained for its function's code as it is now."""
    entry = explained.get(name)
    return entry is not None and entry["hash"] == hash_by_function.get(function_of(name))


def fresh_verdicts() -> dict[str, dict[str, Any]]:
    """judge_afresh's verdicts so far, by mutant name."""
    if not FRESH_VERDICTS.exists():
        return {}
    verdicts: dict[str, dict[str, Any]] = json.loads(FRESH_VERDICTS.read_text(encoding="utf-8"))
    return verdicts


def is_current(known: dict[str, Any] | None, code_hash: str | None, tests: str) -> bool:
    """Whether a fresh verdict still holds: it was given to this code (its function's hash)
    and, unless it was a kill, by these tests. A kill is final while the code is unchanged, as
    mutmut's own is: a test added since cannot bring the mutant back."""
    if known is None or known["hash"] != code_hash:
        return False
    return known["exit_code"] in FRESH_KILLS or known.get("tests") == tests


@dataclass(frozen=True, slots=True)
class Judgements:
    """What decides a mutant's status beside mutmut's exit code."""

    fresh: dict[str, dict[str, Any]]  # judge_afresh's verdicts, by mutant name
    tests: str  # the digest of the tests as they are now
    explained: dict[str, dict[str, str]]  # EXPLAINED's entries, by mutant name


def status_of(
    name: str, code: int | None, hash_by_function: dict[str, str], judgements: Judgements
) -> str:
    """mutmut's verdict, or judge_afresh's where it judged this survivor's current code
    against the current tests; "explained" for a survivor explained for its current code."""
    from mutmut.stats import status_by_exit_code

    code_hash = hash_by_function.get(function_of(name))
    status = status_by_exit_code[code]
    known = judgements.fresh.get(name)
    if (
        status in JUDGED_AFRESH
        and known is not None
        and is_current(known, code_hash, judgements.tests)
    ):
        fresh = known["exit_code"]
        if fresh in FRESH_KILLS:
            return "killed afresh"
        status = "timeout afresh" if fresh == 36 else status_by_exit_code[fresh]
    if status in EXPLAINABLE and is_explained(name, hash_by_function, judgements.explained):
        return "explained"
    return status


def function_of(name: str) -> str:
    """The key of a mutant's function in its module's hash_by_function_name."""
    from mutmut.utils.format_utils import mangled_name_from_mutant_name

    return mangled_name_from_mutant_name(name).rpartition(".")[2]


def scores() -> dict[str, Counter[str]]:
    """Each module's mutants counted by status, from the .meta files mutmut keeps, the
    verdicts of judge_afresh (a survivor its own process killed is "killed afresh") and the
    explained survivors."""
    judgements = Judgements(fresh_verdicts(), tests_digest(), explained_mutants())
    by_module: dict[str, Counter[str]] = {}
    for module, data in results():
        by_module[module] = Counter(
            status_of(name, code, data["hash_by_function_name"], judgements)
            for name, code in data["exit_code_by_key"].items()
        )
    return by_module


def results() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each module in scope with the results mutmut keeps for it (its .meta file), by name."""
    for meta in sorted((WORK / "mutants" / "src").rglob("*.py.meta")):
        path = meta.relative_to(WORK / "mutants" / "src").as_posix().removesuffix(".meta")
        # Results of a module since moved or removed stay on disk: they are not shown.
        if in_scope(path) and (WORK / "src" / path).is_file():
            module = path.removesuffix(".py").replace("/", ".")
            yield module, json.loads(meta.read_text(encoding="utf-8"))


def in_scope(path: str) -> bool:
    return any(fnmatch(path, p) for p in MODULES) and not any(fnmatch(path, p) for p in NOT_MUTATED)


def explained_mutants() -> dict[str, dict[str, str]]:
    """Each explained mutant's reason and hash, by name. The file groups them by reason, so a
    reviewer reads each reason once: {reason: {mutant name: function hash}}."""
    if not EXPLAINED.exists():
        return {}
    by_reason: dict[str, dict[str, str]] = json.loads(EXPLAINED.read_text(encoding="utf-8"))
    return {
        name: {"hash": code_hash, "reason": reason}
        for reason, hashes in by_reason.items()
        for name, code_hash in hashes.items()
    }


def explain(reason: str, names: list[str]) -> None:
    """Record why each named survivor may live, against its function's code as it is now."""

    judgements = Judgements(fresh_verdicts(), tests_digest(), {})
    known = {
        name: (code, data["hash_by_function_name"])
        for _, data in results()
        for name, code in data["exit_code_by_key"].items()
    }
    explained = explained_mutants()
    for name in names:
        if name not in known:
            raise SystemExit(f"{name}: no such mutant in the last run")
        code, hashes = known[name]
        status = status_of(name, code, hashes, judgements)
        # A timeout may be a survivor on a busy machine, and a mutant not judged yet may be
        # one (a person read its diff first): either explanation counts only once mutmut, or
        # a process of its own, finds it alive.
        if status in ("killed", "killed afresh"):
            raise SystemExit(f"{name} is {status}: only a survivor needs explaining")
        explained[name] = {"hash": hashes[function_of(name)], "reason": reason}
    by_reason: dict[str, dict[str, str]] = {}
    for name, entry in sorted(explained.items()):
        by_reason.setdefault(entry["reason"], {})[name] = entry["hash"]
    text = json.dumps(by_reason, indent=1, ensure_ascii=False)
    EXPLAINED.write_text(text + "\n", encoding="utf-8")


def report(by_module: dict[str, Counter[str]]) -> None:
    """A line per module. The score leaves out explained survivors (equivalent mutants have no
    behaviour to test) and what is not judged yet."""
    print(f"\n{'module':<44}{'killed':>8}{'explained':>10}{'judged':>8}{'score':>8}  not killed")
    for module, counts in by_module.items():
        judged = sum(count for status, count in counts.items() if status not in UNJUDGED)
        killed = sum(counts[status] for status in KILLED)
        explained = counts["explained"]
        tested = judged - explained
        score = f"{100 * killed / tested:.0f}%" if tested else "-"
        rest = ", ".join(
            f"{count} {status}"
            for status, count in counts.items()
            if status not in KILLED and status != "explained"
        )
        print(f"{module:<44}{killed:>8}{explained:>10}{judged:>8}{score:>8}  {rest}")
    print("\nSurvivors: `cd .mutmut && ../.venv/bin/mutmut results`, then `mutmut show NAME`;")
    print("what a process of its own made of each: .mutmut/fresh-verdicts.json. A survivor no")
    print("test should kill: `scripts/mutate.py --explain REASON NAME...` (see EXPLAINED).")
