"""Rewrite functions/contact_relay/data/tlds.txt from a copy of the Public Suffix List.

Usage: python scripts/update_tlds.py public_suffix_list.dat
(the list ships in the `publicsuffixlist` package from PyPI, or at https://publicsuffix.org).
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "functions/contact_relay/data/tlds.txt"


def top_level_domains(psl_text: str) -> set[str]:
    """Each TLD's ASCII form; an internationalised one is followed by its Unicode form."""
    tlds: set[str] = set()
    in_icann = False
    for raw_line in psl_text.splitlines():
        line = raw_line.strip()
        if "===BEGIN ICANN" in line:
            in_icann = True
        elif "===END ICANN" in line:
            in_icann = False
        elif in_icann and line and not line.startswith("//"):
            label = line.lstrip("!*.").split(".")[-1]
            if label.isascii():
                tlds.add(label)
            else:
                ascii_form = label.encode("idna").decode("ascii")
                tlds.add(f"{ascii_form} {ascii_form[4:].encode('ascii').decode('punycode')}")
    return tlds


def main() -> None:
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    version = next((line for line in source.splitlines() if "VERSION:" in line), "// VERSION: ?")
    header = [
        "# Top-level domains: the last label of every rule in the ICANN section of the Public"
        " Suffix List",
        f"# (https://publicsuffix.org, MPL 2.0), {version.strip('/ ').lower()},"
        " IDN labels in their xn-- form then",
        "# their Unicode form (decoded here once, not at every cold start).",
        "# Regenerate with: python scripts/update_tlds.py PATH/TO/public_suffix_list.dat",
    ]
    TARGET.write_text(
        "\n".join([*header, *sorted(top_level_domains(source))]) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
