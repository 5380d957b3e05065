"""`make mutate` (scripts/mutate.py, mutation_verdicts.py, mutation_conftest.py): how a mutant's
status is decided, and how the run is prepared."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
NAME = "contact_relay.handlers.api_models.x__message_field__mutmut_2"
HASHES = {"x__message_field": "7f99e31dfd26"}
TESTS = "tests-digest-now"


def _script(name: str) -> ModuleType:
    """A script of scripts/, imported as `make mutate` runs it (its folder first on the path)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def mutate() -> ModuleType:
    return _script("mutate")


@pytest.fixture(scope="module")
def mutation_verdicts() -> ModuleType:
    return _script("mutation_verdicts")


@pytest.mark.parametrize(
    ("mutmut_code", "fresh_code", "expected"),
    [
        (0, 1, "killed afresh"),
        (0, 4, "killed afresh"),  # a conftest failed to import with the mutant on
        (0, 0, "survived"),
        (0, 36, "timeout afresh"),
        (36, 0, "survived"),  # out of time under mutmut, passing in a process of its own
        (36, 1, "killed afresh"),
        (1, 0, "killed"),  # mutmut's kill stands: a fresh process only judges the rest
        # mutmut saw no test call it (code run at import): the files importing it judge it.
        (33, 1, "killed afresh"),
        (33, 0, "survived"),
    ],
)
def test_a_fresh_verdict_decides_survivors_and_timeouts_only(
    mutation_verdicts: ModuleType, mutmut_code: int, fresh_code: int, expected: str
) -> None:
    verdicts = {NAME: {"hash": "7f99e31dfd26", "tests": TESTS, "exit_code": fresh_code}}
    judgements = mutation_verdicts.Judgements(verdicts, TESTS, {})

    assert mutation_verdicts.status_of(NAME, mutmut_code, HASHES, judgements) == expected


def test_a_fresh_verdict_on_code_since_changed_is_not_used(mutation_verdicts: ModuleType) -> None:
    verdicts = {NAME: {"hash": "an-older-hash", "tests": TESTS, "exit_code": 1}}

    assert (
        mutation_verdicts.status_of(
            NAME, 0, HASHES, mutation_verdicts.Judgements(verdicts, TESTS, {})
        )
        == "survived"
    )


@pytest.mark.parametrize(
    ("mutmut_code", "fresh_code", "expected"),
    [
        (36, 0, "timeout"),  # alive then; the tests changed since, so mutmut's verdict stands
        (0, 36, "survived"),
        (0, 1, "killed afresh"),  # a kill is final while the code is unchanged
        (33, 4, "killed afresh"),
    ],
)
def test_a_fresh_verdict_given_by_tests_since_changed_holds_only_if_it_was_a_kill(
    mutation_verdicts: ModuleType, mutmut_code: int, fresh_code: int, expected: str
) -> None:
    verdicts = {NAME: {"hash": "7f99e31dfd26", "tests": "older-tests", "exit_code": fresh_code}}
    judgements = mutation_verdicts.Judgements(verdicts, TESTS, {})

    assert mutation_verdicts.status_of(NAME, mutmut_code, HASHES, judgements) == expected
    assert mutation_verdicts.is_current(verdicts[NAME], "7f99e31dfd26", TESTS) is (
        expected == "killed afresh"
    )


@pytest.mark.parametrize(
    ("mutmut_code", "fresh_code", "explained_hash", "expected"),
    [
        (0, None, "7f99e31dfd26", "explained"),
        (0, 0, "7f99e31dfd26", "explained"),  # alive in a process of its own too
        (33, None, "7f99e31dfd26", "explained"),  # no test reaches it, for a stated reason
        (0, None, "an-older-hash", "survived"),  # the code changed since: look again
        (0, 1, "7f99e31dfd26", "killed afresh"),  # a kill wins over an explanation
        (36, None, "7f99e31dfd26", "timeout"),  # a timeout is a kill, not a survivor
    ],
)
def test_an_explanation_holds_for_a_survivor_of_the_code_it_was_given_for(
    mutation_verdicts: ModuleType,
    mutmut_code: int,
    fresh_code: int | None,
    explained_hash: str,
    expected: str,
) -> None:
    fresh = {}
    if fresh_code is not None:
        fresh = {NAME: {"hash": "7f99e31dfd26", "tests": TESTS, "exit_code": fresh_code}}
    explained = {NAME: {"hash": explained_hash, "reason": "equivalent: utf-8 is UTF-8"}}

    judgements = mutation_verdicts.Judgements(fresh, TESTS, explained)
    assert mutation_verdicts.status_of(NAME, mutmut_code, HASHES, judgements) == expected


def test_the_score_leaves_out_explained_survivors_and_what_is_not_judged(
    mutation_verdicts: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = Counter({"killed": 6, "killed afresh": 2, "explained": 2, "survived": 2})
    counts["not checked"] = 5

    mutation_verdicts.report({"contact_relay.topics": counts})

    [line] = [line for line in capsys.readouterr().out.splitlines() if "topics" in line]
    assert line.split()[:5] == ["contact_relay.topics", "8", "2", "12", "80%"]
    assert "2 survived" in line and "5 not checked" in line and "explained" not in line[50:]


@pytest.mark.parametrize(
    ("code", "tests_changed", "explained", "judged_again"),
    [
        (0, True, False, True),  # a survivor, and a test added since may kill it
        (36, True, False, True),  # likewise a timeout
        (0, False, False, False),  # the same tests would judge it the same
        (36, False, False, False),
        (1, True, False, False),  # a kill is final
        (33, False, False, True),  # "no tests": a test may reach the function now, at no cost
        (None, True, False, False),  # not checked yet: mutmut runs it anyway
        # Explained for its current code: no test is meant to kill it, so none is run again.
        (0, True, True, False),
        (33, False, True, False),
        (36, True, True, True),  # an explained timeout is still a kill until judged alive
    ],
)
def test_only_a_kill_is_final_and_the_rest_is_judged_again_when_the_tests_changed(
    mutation_verdicts: ModuleType,
    code: int | None,
    tests_changed: bool,
    explained: bool,
    judged_again: bool,
) -> None:
    assert mutation_verdicts.judged_again(code, tests_changed, explained) is judged_again


def test_an_explanation_holds_only_for_the_code_it_was_given_for(
    mutation_verdicts: ModuleType,
) -> None:
    explained = {NAME: {"hash": "7f99e31dfd26", "reason": "equivalent"}}

    assert mutation_verdicts.is_explained(NAME, HASHES, explained)
    assert not mutation_verdicts.is_explained(NAME, {"x__message_field": "changed"}, explained)
    assert not mutation_verdicts.is_explained(NAME, HASHES, {})


def test_the_tests_digest_changes_with_a_unit_or_integration_test_or_the_conftest(
    mutation_verdicts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in ("tests/conftest.py", "tests/unit/test_a.py", "tests/integration/test_b.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("def test(): pass\n")
    (tmp_path / "tests" / "e2e").mkdir()
    monkeypatch.setattr(mutation_verdicts, "ROOT", tmp_path)
    before = mutation_verdicts.tests_digest()

    (tmp_path / "tests" / "e2e" / "test_c.py").write_text("def test(): pass\n")
    assert mutation_verdicts.tests_digest() == before  # end-to-end tests never judge a mutant
    for path in ("tests/conftest.py", "tests/unit/test_a.py", "tests/integration/test_b.py"):
        (tmp_path / path).write_text("def test(): assert False\n")
        changed = mutation_verdicts.tests_digest()
        assert changed != before, path
        before = changed


def test_every_test_file_importing_the_module_judges_its_survivors(
    mutate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = tmp_path / "mutants" / "tests" / "unit"
    unit.mkdir(parents=True)
    (unit / "test_by_name.py").write_text("from contact_relay.handlers.api_models import X\n")
    (unit / "test_by_package.py").write_text("from contact_relay.handlers import app, api_models\n")
    (unit / "test_other.py").write_text("from contact_relay.handlers import api_models_extra\n")
    (tmp_path / "mutants" / "tests" / "integration").mkdir()
    monkeypatch.setattr(mutate, "WORK", tmp_path)
    recorded = ["tests/unit/test_by_name.py::test_one", "tests/unit/test_seen.py::test_two"]

    tests = mutate._tests_for("contact_relay.handlers.api_models.x__message_field", recorded)

    assert tests == [
        "tests/unit/test_by_name.py",
        "tests/unit/test_by_package.py",
        "tests/unit/test_seen.py::test_two",
    ]


def test_a_mutants_tests_run_fastest_first_and_other_runs_keep_their_order(
    mutate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conftest = tmp_path / "conftest.py"
    conftest.write_text(mutate.ORDERING_CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    seconds = {"tests/b.py::slow": 9.0, "tests/a.py::fast": 0.1, "tests/c.py::middling": 1.0}
    (tmp_path / "mutmut-stats.json").write_text(
        json.dumps({"duration_by_test": seconds}), encoding="utf-8"
    )
    spec = importlib.util.spec_from_file_location("ordering_conftest", conftest)
    assert spec is not None and spec.loader is not None
    ordering = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ordering)
    given = [
        "tests/new.py::unmeasured",
        "tests/b.py::slow",
        "tests/a.py::fast",
        "tests/c.py::middling",
    ]

    def ordered(mutant: str) -> list[str]:
        monkeypatch.setenv("MUTANT_UNDER_TEST", mutant)
        items = [SimpleNamespace(nodeid=nodeid) for nodeid in given]
        ordering.pytest_collection_modifyitems(items)
        return [item.nodeid for item in items]

    assert ordered("contact_relay.topics.x_subject_for__mutmut_3") == [
        "tests/a.py::fast",
        "tests/c.py::middling",
        "tests/b.py::slow",
        "tests/new.py::unmeasured",
    ]
    # mutmut's stats run measures the durations, and its forced-failure run names no mutant.
    assert ordered("") == given
    assert ordered("fail") == given


def test_explaining_records_a_survivors_reason_against_its_code_and_refuses_a_kill(
    mutation_verdicts: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src" / "contact_relay").mkdir(parents=True)
    (tmp_path / "src" / "contact_relay" / "topics.py").write_text("")
    meta = tmp_path / "mutants" / "src" / "contact_relay" / "topics.py.meta"
    meta.parent.mkdir(parents=True)
    alive, killed = (
        "contact_relay.topics.x_label__mutmut_1",
        "contact_relay.topics.x_label__mutmut_2",
    )
    meta.write_text(
        json.dumps(
            {
                "exit_code_by_key": {
                    alive: 0,
                    killed: 1,
                    "contact_relay.topics.x_label__mutmut_3": 36,
                    "contact_relay.topics.x_label__mutmut_4": None,
                },
                "hash_by_function_name": {"x_label": "0123abcd"},
            }
        )
    )
    monkeypatch.setattr(mutation_verdicts, "WORK", tmp_path)
    monkeypatch.setattr(mutation_verdicts, "FRESH_VERDICTS", tmp_path / "fresh-verdicts.json")
    monkeypatch.setattr(mutation_verdicts, "EXPLAINED", tmp_path / "explained-mutants.json")
    monkeypatch.setattr(mutation_verdicts, "tests_digest", lambda: TESTS)

    mutation_verdicts.explain("equivalent: the label is compared case-blind", [alive])

    assert mutation_verdicts.explained_mutants() == {
        alive: {"hash": "0123abcd", "reason": "equivalent: the label is compared case-blind"}
    }
    assert mutation_verdicts.scores() == {
        "contact_relay.topics": Counter(
            {"explained": 1, "killed": 1, "timeout": 1, "not checked": 1}
        )
    }
    timed_out = "contact_relay.topics.x_label__mutmut_3"
    mutation_verdicts.explain("equivalent: the same label", [timed_out])
    # The file groups the mutants by reason, so a reviewer reads each reason once.
    assert json.loads((tmp_path / "explained-mutants.json").read_text(encoding="utf-8")) == {
        "equivalent: the label is compared case-blind": {alive: "0123abcd"},
        "equivalent: the same label": {timed_out: "0123abcd"},
    }
    assert mutation_verdicts.scores()["contact_relay.topics"]["timeout"] == 1  # still a kill
    # Read from its diff before mutmut reached it: kept, and counted once mutmut finds it alive.
    unjudged = "contact_relay.topics.x_label__mutmut_4"
    mutation_verdicts.explain("equivalent: read ahead", [unjudged])
    assert mutation_verdicts.explained_mutants()[unjudged]["reason"] == "equivalent: read ahead"
    assert mutation_verdicts.scores()["contact_relay.topics"]["not checked"] == 1
    with pytest.raises(SystemExit, match="killed"):
        mutation_verdicts.explain("no reason", [killed])
    with pytest.raises(SystemExit, match="no such mutant"):
        mutation_verdicts.explain("no reason", ["contact_relay.topics.x_label__mutmut_9"])
