"""`contact-relay` from a wheel, installed apart from the checkout, as a package index would
install it: the command needs nothing of the repository's layout (the template travels in the
package). By hand, the same offline:

    .venv/bin/pip wheel --no-deps --no-build-isolation --no-index -w /tmp/dist .
    python3 -m venv /tmp/relay && /tmp/relay/bin/pip install /tmp/dist/contact_relay-*.whl
    cd /tmp && /tmp/relay/bin/contact-relay invoke ~/contact-relay/events/post-shipping.json

(the second line fetches the dependencies; the test below borrows them from this environment)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.support import EVENTS_DIR

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
# What the build reads: the metadata and the two package folders (the template is linked from
# one of them). Building from a copy keeps setuptools' build/ and egg-info out of the checkout.
BUILD_INPUTS = ("pyproject.toml", "README.md", "template.yaml", "functions", "local")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment holding only the project's wheel; its
    dependencies are read from this environment's site-packages, added as a plain path so that
    the editable install there is not loaded."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (PROJECT / name).is_dir():
            shutil.copytree(
                PROJECT / name,
                source / name,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
        else:
            shutil.copy2(PROJECT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    # Nothing of the checkout on the path (pip would take it for the installed project).
    clean = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    wheel_options = ["--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run(
        [*pip, "wheel", *wheel_options, "-w", root / "dist", source], env=clean, check=True
    )
    [wheel] = (root / "dist").glob("contact_relay-*.whl")

    environment = root / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [*pip, "--python", python, "install", "--no-deps", "--no-index", wheel],
        env=clean,
        check=True,
    )
    # Only now: pip would take the project's own install there for this one, and skip the wheel.
    dependencies = sysconfig.get_paths()["purelib"]
    (Path(site_packages) / "dependencies.pth").write_text(dependencies + "\n", encoding="utf-8")
    return environment / "bin"


def run(command: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    credentials = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(command), *arguments],
        capture_output=True,
        text=True,
        env=credentials,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_installed_package_is_the_wheel_and_carries_its_template(
    installed: Path, tmp_path: Path
) -> None:
    code = "import contact_relay, contact_relay_local.template_tables as t; "
    code += "print(contact_relay.__file__); print(t.TEMPLATE_PATH)"
    result = run(installed / "python", "-c", code, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    module, template = map(Path, result.stdout.split())
    assert installed.parent in module.parents
    assert installed.parent in template.parents
    assert not template.is_symlink()
    assert template.read_bytes() == (PROJECT / "template.yaml").read_bytes()


def test_the_installed_command_prints_the_committed_openapi_document(
    installed: Path, tmp_path: Path
) -> None:
    result = run(installed / "contact-relay", "openapi", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((PROJECT / "openapi.json").read_text("utf-8"))


def test_the_installed_command_invokes_the_handler_on_tables_from_its_template(
    installed: Path, tmp_path: Path
) -> None:
    result = run(
        installed / "contact-relay", "invoke", str(EVENTS_DIR / "post-shipping.json"), cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["response"]["statusCode"] == 201
    assert len(printed["emails"]) == 1
