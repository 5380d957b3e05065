"""infra/check_build.py's bytecode check: every module ships hash-checked bytecode."""

from __future__ import annotations

import compileall
import py_compile
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

from check_build import modules_without_bytecode  # noqa: E402

pytestmark = pytest.mark.infra
THIS_PYTHON = sys.implementation.cache_tag


def package(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    for name in ("__init__.py", "a.py", "b.py"):
        (tmp_path / "pkg" / name).write_text("VALUE = 1\n")
    return tmp_path


def test_a_package_compiled_with_checked_hashes_has_nothing_missing(tmp_path: Path) -> None:
    folder = package(tmp_path)
    assert compileall.compile_dir(
        folder, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH
    )
    assert modules_without_bytecode(folder, THIS_PYTHON) == []


def test_modules_without_bytecode_are_named(tmp_path: Path) -> None:
    folder = package(tmp_path)
    py_compile.compile(
        str(folder / "pkg" / "a.py"),
        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
    )
    assert modules_without_bytecode(folder, THIS_PYTHON) == ["pkg/__init__.py", "pkg/b.py"]


def test_timestamp_bytecode_does_not_count(tmp_path: Path) -> None:
    # A zip keeps mtimes to two seconds, so timestamp-checked bytecode may never match in Lambda.
    folder = package(tmp_path)
    compileall.compile_dir(
        folder, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
    )
    assert len(modules_without_bytecode(folder, THIS_PYTHON)) == 3


def test_bytecode_for_another_python_does_not_count(tmp_path: Path) -> None:
    folder = package(tmp_path)
    compileall.compile_dir(
        folder, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH
    )
    assert (
        len(
            modules_without_bytecode(
                folder, "cpython-313" if THIS_PYTHON != "cpython-313" else "cpython-312"
            )
        )
        == 3
    )
