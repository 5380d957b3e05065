"""How reading an inbound message scales: time and peak memory of `inbound_mail.read_mail` for
ordinary and hostile messages of 1, 4 and 20 MiB.

Usage: .venv/bin/python benchmarks/inbound_reading.py [sizes in MiB, default 1 4 20]
Targets: time linear in the size (20 MiB / 4 MiB <= 6x; linear is 5x); peak memory flat, the
same at 20 MiB as at 1 MiB (nothing but the capped parts is kept), well under 1 MiB.
Time is the best of three runs without tracemalloc; memory is one run under it (the message's
own bytes, made before, are not counted).
"""

from __future__ import annotations

import io
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from contact_relay.inbound_mail import read_mail

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import header

MIB = 1024 * 1024
MAX_TEXT_CHARS = 10_000
HEAD = b"From: Shop <cs@shop.example>\r\nSubject: Re: your order\r\n"
TEXT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nThanks, it ships today.\r\n"


def multipart(body: bytes, boundary: bytes = b"b1") -> bytes:
    return HEAD + b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n' + body


def attachment(size: int) -> bytes:
    line = b"QUFB" * 19 + b"\r\n"
    data = line * (size // len(line))
    return multipart(
        b"--b1\r\n" + TEXT + b"--b1\r\nContent-Type: application/pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + data + b"--b1--\r\n"
    )


def repeated_in_attachment(unit: bytes) -> Callable[[int], bytes]:
    def make(size: int) -> bytes:
        return multipart(
            b"--b1\r\n"
            + TEXT
            + b"--b1\r\nContent-Type: application/octet-stream\r\n\r\n"
            + unit * (size // len(unit))
        )

    return make


def long_text(size: int) -> bytes:
    return HEAD + b"\r\n" + (b"When will it ship? " * 4 + b"\r\n") * (size // 78)


def junk_headers(size: int) -> bytes:
    return b"X-Junk: " + b"j" * 70 + b"\r\n" * 0 + (b"\r\nX-Junk: " + b"j" * 70) * (size // 80)


def many_parts(size: int) -> bytes:
    return multipart(b"--b1\r\n" + TEXT * 0 + (b"--b1\r\n" + TEXT) * (size // 80))


def parts_with_costly_parameters(size: int) -> bytes:
    # Just under the caps: 4 KiB Content-Types with 60 quoted semicolons each.
    content_type = b'Content-Type: text/plain; a="' + (b";" + b"x" * 60) * 60 + b'"\r\n\r\n'
    part = b"--b1\r\n" + content_type + b"x\r\n"
    return multipart(part * (size // len(part)))


def deep_nesting(size: int) -> bytes:
    levels = size // 70
    body = b"".join(
        b'--n%d\r\nContent-Type: multipart/mixed; boundary="n%d"\r\n\r\n' % (level, level + 1)
        for level in range(levels)
    )
    return HEAD + b'Content-Type: multipart/mixed; boundary="n0"\r\n\r\n' + body


def garbage(size: int) -> bytes:
    return HEAD + b"\r\n" + random.Random(16).randbytes(size)  # noqa: S311 (noise, not a secret)


INPUTS: dict[str, Callable[[int], bytes]] = {
    "base64 attachment, 76-byte lines": attachment,
    "text/plain body (kept, cut at the cap)": long_text,
    "one line, no line end": repeated_in_attachment(b"A"),
    "'--' at every line start": repeated_in_attachment(b"--x\r\n"),
    "lines that start as the boundary": repeated_in_attachment(b"--b1x\r\n"),
    "empty lines (LF)": repeated_in_attachment(b"\n"),
    "lone CR line ends": repeated_in_attachment(b"ab\r"),
    "a header block of junk": junk_headers,
    "parts, each text/plain": many_parts,
    "parts with 60 quoted ';' each": parts_with_costly_parameters,
    "nested multiparts": deep_nesting,
    "random bytes": garbage,
}


def run(raw: bytes) -> None:
    read_mail(io.BytesIO(raw), max_bytes=len(raw) + 1, max_text_chars=MAX_TEXT_CHARS)


def seconds(raw: bytes) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run(raw)
        best = min(best, time.perf_counter() - started)
    return best


def peak_kib(raw: bytes) -> float:
    tracemalloc.start()
    try:
        run(raw)
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1, 4, 20]
    print(header("inbound reading: seconds (best of 3) and peak KiB (tracemalloc) per input"))
    width = max(len(name) for name in INPUTS)
    print(f"{'input':<{width}} " + " ".join(f"{f'{size} MiB':>16}" for size in sizes) + "  ratio")
    worst_ratio = 0.0
    worst_peak = 0.0
    for name, make in INPUTS.items():
        figures = []
        for size in sizes:
            raw = make(size * MIB)
            figures.append((seconds(raw), peak_kib(raw)))
        ratio = figures[-1][0] / max(figures[-2][0], 1e-9) if len(figures) > 1 else 1.0
        worst_ratio = max(worst_ratio, ratio)
        worst_peak = max(worst_peak, *(peak for _, peak in figures))
        cells = " ".join(f"{s:7.3f}s {kib:6.0f}K" for s, kib in figures)
        print(f"{name:<{width}} {cells}  {ratio:5.1f}x")
    print(f"worst ratio of the last two sizes: {worst_ratio:.1f}x (linear is their size ratio)")
    print(f"worst peak: {worst_peak:.0f} KiB")


if __name__ == "__main__":
    main()
