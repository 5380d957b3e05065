"""The layer's dependencies: exact versions, installed only when their hashes match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers"

pytestmark = pytest.mark.infra

REQUIREMENT = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[0-9][0-9A-Za-z.+!-]*)"
    r"(?P<hashes>( --hash=sha256:[0-9a-f]{64})+)"
)


def requirement_lines() -> list[str]:
    lines = (LAYER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_every_layer_requirement_is_pinned_with_a_hash() -> None:
    lines = requirement_lines()

    assert lines
    assert [line for line in lines if not REQUIREMENT.fullmatch(line)] == []
    names = [REQUIREMENT.fullmatch(line)["name"].lower() for line in lines]  # type: ignore[index]
    assert len(names) == len(set(names))


def test_the_layer_build_refuses_files_whose_hash_does_not_match() -> None:
    makefile = (LAYER / "Makefile").read_text(encoding="utf-8")
    # The pip command runs over continuation lines, up to the recipe's next command.
    command = makefile.split("pip install", 1)[1].split("\n\tfind", 1)[0]

    for option in ("--require-hashes", "--no-deps", "--only-binary=:all:"):
        assert option in command
    assert "--platform manylinux2014_aarch64" in command
    assert "--python-version 3.13" in command
