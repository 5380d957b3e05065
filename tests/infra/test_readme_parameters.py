"""README's table of the template's parameters: every one, with the default template.yaml gives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

from transform_template import _with_intrinsics  # noqa: E402

pytestmark = pytest.mark.infra


def readme_parameters() -> dict[str, str]:
    """Each parameter the README's Parameters table names, with the default it states."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n### Parameters\n", 1)[1].split("\n### ", 1)[0]
    stated: dict[str, str] = {}
    for row in re.findall(r"^\| (`.+?`) \| (.+?) \|", section, re.MULTILINE):
        names, default = row
        for name in re.findall(r"`(\w+)`", names):
            stated[name] = default.strip("`")
    return stated


def template_defaults() -> dict[str, str]:
    parameters = _with_intrinsics(ROOT / "template.yaml")["Parameters"]
    return {
        name: "(required)" if "Default" not in spec else str(spec["Default"]) or "empty"
        for name, spec in parameters.items()
    }


def test_the_readme_lists_every_parameter_with_its_default() -> None:
    assert readme_parameters() == template_defaults()
