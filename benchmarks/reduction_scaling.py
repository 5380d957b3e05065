"""How plain-text reduction scales: milliseconds for normal and hostile inputs of 1, 4 and 32 KiB
(of UTF-8, as the API counts them: 32 KiB of Japanese is about 11,000 characters).

Usage: .venv/bin/python benchmarks/reduction_scaling.py    (part of `make bench`)
Targets: <= 10 ms at 32 KiB, and 32 KiB / 4 KiB <= 10x (linear would be 8x).
Each figure is the median of several runs of `reduce_to_plain_text` on one input.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from contact_relay.plaintext import reduce_to_plain_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header

SIZES = {"1 KiB": 1024, "4 KiB": 4 * 1024, "32 KiB": 32 * 1024}


def repeat_to(unit: str) -> Callable[[int], str]:
    """`unit` repeated to `size` bytes of UTF-8, the measure the API's 32 KiB limit uses."""

    def make(size: int) -> str:
        text = unit * (size // len(unit.encode("utf-8")) + 1)
        while len(text.encode("utf-8")) > size:
            text = text[: -max(1, (len(text.encode("utf-8")) - size) // 4)]
        return text

    return make


INPUTS: dict[str, Callable[[int], str]] = {
    "prose (English)": repeat_to(
        "Hello, when will order 503-1234567-1234567 ship? It costs $19.99. "
    ),
    "prose (Japanese)": repeat_to(
        "お世話になっております。注文番号503-1234567の配送はいつですか？"
    ),
    "prose with markup and links": repeat_to(
        "<p>See <b>this</b> at https://evil.example/x and www.example.com.</p> "
    ),
    "'<' repeated": repeat_to("<"),
    "'<a ' repeated": repeat_to("<a "),
    "'<a x=\"' repeated": repeat_to('<a x="'),
    "'<!--' repeated": repeat_to("<!--"),
    "'www.' repeated": repeat_to("www."),
    "'a.' repeated": repeat_to("a."),
    "'a.com' no spaces": repeat_to("a.com"),
    "'http://' repeated": repeat_to("http://"),
    "':' repeated": repeat_to(":"),
    "'a:' repeated": repeat_to("a:"),
    "'&amp;' repeated": repeat_to("&amp;"),
    "'&#' repeated": repeat_to("&#"),
    "'%3C' repeated": repeat_to("%3C"),
    "'[' repeated": repeat_to("["),
    "'a[.]' repeated": repeat_to("a[.]"),
    "'a%2e' repeated": repeat_to("a%2e"),
    "'hxxp:' repeated": repeat_to("hxxp:"),
    "'1.' repeated (IPv4-like)": repeat_to("1."),
    "'(' and ')' nested": lambda size: "(" * (size // 2) + ")" * (size - size // 2),
    "deep nesting <b>": lambda size: ("<b>" * (size // 7) + "</b>" * (size // 7))[:size],
    "' dot ' repeated": repeat_to("x dot "),
    "'a . ' repeated (spaced-out)": repeat_to("a . "),
    "'a b c d e f . ' repeated": repeat_to("a b c d e f . "),
    "zero-width between letters": repeat_to("a\u200b"),
    "full-width letters": repeat_to("ｅｘａｍｐｌｅ"),
}


def time_ms(text: str) -> float:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        reduce_to_plain_text(text)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> None:
    print(header("plain-text reduction: median ms per input"))
    name_width = max(len(name) for name in INPUTS)
    print(f"{'input':<{name_width}} " + " ".join(f"{size:>8}" for size in SIZES) + "  32K/4K")
    worst_32k = 0.0
    worst_ratio = 0.0
    for name, make in INPUTS.items():
        figures = [time_ms(make(size)) for size in SIZES.values()]
        ratio = figures[2] / max(figures[1], 1e-6)
        worst_32k = max(worst_32k, figures[2])
        worst_ratio = max(worst_ratio, ratio)
        print(
            f"{name:<{name_width}} " + " ".join(f"{ms:8.2f}" for ms in figures) + f"  {ratio:6.1f}x"
        )
    print(f"worst at 32 KiB: {worst_32k:.2f} ms (target <= 10)")
    print(f"worst 32K/4K: {worst_ratio:.1f}x (target <= 10; linear is 8x)")


if __name__ == "__main__":
    main()
