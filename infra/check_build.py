"""Check what `sam build` made: an arm64 / CPython 3.13 layer with bytecode, and the zip sizes.

Usage: python infra/check_build.py [.aws-sam/build]
Fails unless the layer's pydantic-core is the aarch64 cp313 build Lambda's python3.13 / arm64
runtime loads, and unless every module of function and layer comes with hash-checked cp313
bytecode (Lambda cannot write any, so a module without it is compiled at every cold start);
prints the zipped sizes of function and layer (target: 10 MB together).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

TARGET_BYTES = 10 * 1000 * 1000


def zipped_size(folder: Path) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return buffer.tell()


LAMBDA_CACHE_TAG = "cpython-313"
# PEP 552 flags in a .pyc header: bit 0, keyed by the source's hash; bit 1, the hash is checked.
CHECKED_HASH = 0b11


def modules_without_bytecode(folder: Path, cache_tag: str = LAMBDA_CACHE_TAG) -> list[str]:
    """The modules under `folder` with no hash-checked bytecode for `cache_tag` beside them."""
    missing = []
    for source in sorted(folder.rglob("*.py")):
        compiled = source.parent / "__pycache__" / f"{source.stem}.{cache_tag}.pyc"
        header = compiled.read_bytes()[:8] if compiled.exists() else b""
        if len(header) < 8 or int.from_bytes(header[4:8], "little") != CHECKED_HASH:
            missing.append(str(source.relative_to(folder)))
    return missing


def main() -> int:
    build = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".aws-sam/build")
    function, layer = build / "ContactFunction", build / "DependenciesLayer"
    binaries = sorted((layer / "python" / "pydantic_core").glob("_pydantic_core*.so"))
    print(f"pydantic-core binaries in the layer: {[binary.name for binary in binaries]}")
    if not binaries or not all("cpython-313-aarch64-linux-gnu" in b.name for b in binaries):
        print("FAIL: the layer must hold pydantic-core built for cp313 / aarch64")
        return 1
    if not (function / "contact_relay" / "handlers" / "contact.py").exists():
        print("FAIL: the function artifact has no contact_relay package")
        return 1
    for name, folder in {"function": function, "layer": layer}.items():
        missing = modules_without_bytecode(folder)
        if missing:
            print(f"FAIL: {len(missing)} {name} modules have no {LAMBDA_CACHE_TAG} bytecode,")
            print(f"e.g. {missing[:3]}; is a Python 3.13 interpreter on PATH (PYTHON313)?")
            return 1
    print(f"bytecode: every module of function and layer has hash-checked {LAMBDA_CACHE_TAG}")
    sizes = {"function": zipped_size(function), "layer": zipped_size(layer)}
    total = sum(sizes.values())
    for name, size in sizes.items():
        print(f"{name} zip: {size / 1e6:.2f} MB")
    print(f"together: {total / 1e6:.2f} MB (target <= {TARGET_BYTES / 1e6:.0f} MB)")
    return 0 if total <= TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
