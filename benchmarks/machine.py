"""The machine a benchmark ran on, printed above its figures."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path


def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith(("model name", "cpu model")):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def header(title: str) -> str:
    return (
        f"# {title}\n"
        f"cpu: {cpu_name()} ({os.cpu_count()} cores), python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )


def summary(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return (
        f"n={len(ordered)} median={statistics.median(ordered):.0f} ms "
        f"min={ordered[0]:.0f} ms p90={p90:.0f} ms max={ordered[-1]:.0f} ms"
    )
