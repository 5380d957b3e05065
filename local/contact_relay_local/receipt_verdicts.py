"""The verdicts SES receiving would reach about a message, as a person states them to the local
stack in `X-Local-Verdicts: spf=PASS, dkim=PASS, dmarc=PASS, spam=PASS, virus=PASS`.

Values are the ones SES writes in a receipt's `*Verdict.status`: PASS, FAIL, GRAY and
PROCESSING_FAILED for every check, and DISABLED for the spam and virus scans (SES's value when a
receipt rule does not scan; @types/aws-lambda's `SESReceiptStatus`). A check left out is PASS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

VERDICTS_HEADER = "X-Local-Verdicts"
VerdictStatus = Literal["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"]
_CHECKED: frozenset[str] = frozenset({"PASS", "FAIL", "GRAY", "PROCESSING_FAILED"})
_SCANNED: frozenset[str] = _CHECKED | {"DISABLED"}
# Each check's name in the header, the values SES may give it, and its key in a receipt.
CHECKS: dict[str, tuple[frozenset[str], str]] = {
    "spf": (_CHECKED, "spfVerdict"),
    "dkim": (_CHECKED, "dkimVerdict"),
    "dmarc": (_CHECKED, "dmarcVerdict"),
    "spam": (_SCANNED, "spamVerdict"),
    "virus": (_SCANNED, "virusVerdict"),
}
_ITEM = re.compile(r"\s*([a-z]+)\s*=\s*([A-Z_]+)\s*")


class BadVerdicts(ValueError):
    """The header does not say `check=VALUE, ...` with known checks and values; the message
    says what is wrong without repeating what was sent."""


@dataclass(frozen=True, slots=True)
class Verdicts:
    spf: VerdictStatus = "PASS"
    dkim: VerdictStatus = "PASS"
    dmarc: VerdictStatus = "PASS"
    spam: VerdictStatus = "PASS"
    virus: VerdictStatus = "PASS"

    def receipt_fields(self) -> dict[str, dict[str, str]]:
        """`spfVerdict`, `dkimVerdict`, ...: `{"status": ...}` each, as a receipt holds them."""
        return {key: {"status": getattr(self, name)} for name, (_, key) in CHECKS.items()}


def parse_verdicts(header: str | None) -> Verdicts:
    """The verdicts a header states; every check it leaves out passes. Raises BadVerdicts."""
    if header is None or not header.strip():
        return Verdicts()
    stated: dict[str, str] = {}
    for item in header.split(","):
        match = _ITEM.fullmatch(item)
        if match is None:
            raise BadVerdicts(
                f"{VERDICTS_HEADER} must be comma-separated check=VALUE items, e.g. "
                "dmarc=FAIL, spam=PASS"
            )
        name, value = match.groups()
        if name not in CHECKS:
            raise BadVerdicts(
                f"{VERDICTS_HEADER}: the checks are {', '.join(CHECKS)}; another was named"
            )
        if name in stated:
            raise BadVerdicts(f"{VERDICTS_HEADER}: {name} is given more than once")
        allowed = CHECKS[name][0]
        if value not in allowed:
            raise BadVerdicts(f"{VERDICTS_HEADER}: {name} may be {', '.join(sorted(allowed))}")
        stated[name] = value
    return Verdicts(**stated)  # type: ignore[arg-type]
