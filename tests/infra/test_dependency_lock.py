"""requirements-dev.lock, which `make setup` and CI install with --require-hashes, says what
pyproject.toml asks for: a dependency added or narrowed there without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", re.MULTILINE)


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in _PIN.findall(text)}


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(line)
        for line in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]


@pytest.mark.parametrize("requirement", _wanted(), ids=str)
def test_each_dependency_is_locked_at_a_version_it_accepts(requirement: Requirement) -> None:
    locked = _locked()

    name = canonicalize_name(requirement.name)
    assert name in locked, f"{requirement.name} is not in requirements-dev.lock: run `make lock`"
    assert requirement.specifier.contains(locked[name], prereleases=True)


def test_every_locked_package_has_a_hash() -> None:
    text = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])

    assert entries and all("--hash=sha256:" in entry for entry in entries if "==" in entry)
