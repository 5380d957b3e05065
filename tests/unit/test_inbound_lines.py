"""The bounded line reader: lines as the library's parser splits them, however the stream
answers its reads, with long lines in pieces and parts skipped without reading their lines."""

from __future__ import annotations

import io
import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from contact_relay.inbound_lines import Line, LineReader, WantedLines
from tests.support import Trickle

# The library's own split (email.feedparser.NLCRE_crack), the reference.
LIBRARY_SPLIT = re.compile(rb"(\r\n|\r|\n)")


def all_lines(reader: LineReader) -> list[Line]:
    lines = []
    while (line := reader.next_line()) is not None:
        lines.append(line)
    return lines


def library_lines(data: bytes) -> list[tuple[bytes, bytes]]:
    parts = LIBRARY_SPLIT.split(data)
    pairs = list(zip(parts[::2], [*parts[1::2], b""], strict=True))
    return [pair for pair in pairs if pair != (b"", b"")]


line_bytes = st.lists(
    st.sampled_from(
        [b"a", b"--", b"-", b"\r", b"\n", b"\r\n", b" ", b"\xff", b"b1", b"\n--b1", b"\r\n--b1--"]
    ),
    max_size=60,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(line_bytes, st.integers(min_value=1, max_value=9))
def test_lines_split_as_the_library_splits_them_whatever_the_reads(data: bytes, step: int) -> None:
    reader = LineReader(Trickle(data, step), max_bytes=10**6, max_line=10**6)

    lines = all_lines(reader)

    assert [(line.content, line.end) for line in lines] == library_lines(data)
    assert all(line.starts_line for line in lines)


@settings(max_examples=300, deadline=None)
@given(line_bytes, st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=5))
def test_long_lines_come_in_pieces_that_join_to_the_line(
    data: bytes, step: int, max_line: int
) -> None:
    reader = LineReader(Trickle(data, step), max_bytes=10**6, max_line=max_line)

    lines = all_lines(reader)

    assert b"".join(line.content + line.end for line in lines) == data
    assert all(len(line.content) <= max_line for line in lines)
    # Joined again, the pieces are the library's lines.
    joined: list[tuple[bytes, bytes]] = []
    for line in lines:
        if line.starts_line:
            joined.append((line.content, line.end))
        else:
            joined[-1] = (joined[-1][0] + line.content, line.end)
    assert joined == library_lines(data)
    # A piece that does not start a line follows one without a line end.
    for previous, line in itertools.pairwise(lines):
        assert line.starts_line == (previous.end != b"")


def test_reading_stops_at_max_bytes() -> None:
    reader = LineReader(io.BytesIO(b"abc\n" * 100), max_bytes=10, max_line=100)

    lines = all_lines(reader)

    assert reader.too_large
    assert b"".join(line.content + line.end for line in lines) == b"abc\nabc\nab"


def test_exactly_max_bytes_is_not_too_large() -> None:
    reader = LineReader(io.BytesIO(b"abc\n" * 4), max_bytes=16, max_line=100)

    assert len(all_lines(reader)) == 4
    # A bool: InboundMail.too_large is this value.
    assert reader.too_large is False


def test_max_bytes_counts_every_read_and_the_stream_is_not_read_past_it() -> None:
    # Reads of 3 bytes: the cap falls inside the fourth.
    reader = LineReader(Trickle(b"abc\n" * 100, 3), max_bytes=10, max_line=100)

    lines = all_lines(reader)

    assert reader.too_large
    assert b"".join(line.content + line.end for line in lines) == b"abc\nabc\nab"
    # Past its cap a message is not downloaded to its end.
    assert reader.bytes_read == 12


def test_a_read_that_starts_at_max_bytes_adds_nothing() -> None:
    reader = LineReader(Trickle(b"abcdefghijkl", 4), max_bytes=8, max_line=100)

    lines = all_lines(reader)

    assert (reader.too_large, [line.content for line in lines]) == (True, [b"abcdefgh"])


def test_a_line_one_byte_over_max_line_comes_in_two_pieces() -> None:
    reader = LineReader(io.BytesIO(b"abcd\nabcde\n"), max_bytes=100, max_line=4)

    lines = [(line.content, line.end, line.starts_line) for line in all_lines(reader)]

    assert lines == [(b"abcd", b"\n", True), (b"abcd", b"", True), (b"e", b"\n", False)]


WANTED = WantedLines.starting(rb"--b1(?:--)?[ \t]*(?:[\r\n]|\Z)", longest=6)


@settings(max_examples=300, deadline=None)
@given(line_bytes, st.integers(min_value=1, max_value=9))
def test_skipping_lands_on_each_wanted_line_in_turn(data: bytes, step: int) -> None:
    def wanted(line: tuple[bytes, bytes]) -> bool:
        return re.fullmatch(rb"--b1(?:--)?[ \t]*", line[0]) is not None and line[1] != b""

    reader = LineReader(Trickle(data, step), max_bytes=10**6, max_line=10**6)
    landed = []
    while True:
        reader.skip_to(WANTED)
        line = reader.next_line()
        if line is None:
            break
        if wanted((line.content, line.end)):
            landed.append((line.content, line.end))

    assert landed == [line for line in library_lines(data) if wanted(line)]


def test_skipping_to_nothing_reads_to_the_end() -> None:
    reader = LineReader(io.BytesIO(b"--b1\r\n" * 50_000), max_bytes=10**6, max_line=100)

    reader.skip_to(None)

    assert reader.next_line() is None
    assert reader.bytes_read == 300_000
