"""Check what `sam build` made: an arm64 / CPython 3.13 layer, and the size of both zips.

Usage: python infra/check_build.py [.aws-sam/build]
Fails unless the layer's pydantic-core is the aarch64 cp313 build Lambda's python3.13 / arm64
runtime loads, and prints the zipped sizes of function and layer (target: 10 MB together).
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
    sizes = {"function": zipped_size(function), "layer": zipped_size(layer)}
    total = sum(sizes.values())
    for name, size in sizes.items():
        print(f"{name} zip: {size / 1e6:.2f} MB")
    print(f"together: {total / 1e6:.2f} MB (target <= {TARGET_BYTES / 1e6:.0f} MB)")
    return 0 if total <= TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
