"""Link detection's own mechanics: folding, hosts within one chain of labels, split schemes and
the runs of removal. What must go and what must stay as a whole is in test_plaintext.py."""

from __future__ import annotations

import sys
import unicodedata
from functools import partial

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from contact_relay.links import LINK_PLACEHOLDER, MOST_LINKS, find_links, folding_of, remove_links
from contact_relay.links.hosts import _COMMON_TLDS, host_links, top_level_domains
from contact_relay.links.reading import MOST_RUNS, read_shadow
from contact_relay.links.schemes import ipv6_links, scheme_links
from contact_relay.links.shadow import (
    holds_percent_escape,
    latin_look_alikes,
    shadow_of,
    undecoded_reading,
)
from contact_relay.links.urls import link_reach, link_start, url_end
from contact_relay.plaintext import reduce_to_plain_text
from tests.unit.link_oracle import links_seen

# Every code point but the surrogates, which a `str` from JSON never holds.
_ALL_CHARACTERS = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000]


def test_folding_many_characters_at_once_equals_folding_each_alone() -> None:
    # folding_of normalises all of a text's characters in one pass, separated by NUL; this is
    # only right if no character composes or reorders with its neighbours through NUL.
    together = folding_of("".join(_ALL_CHARACTERS))
    table: dict[int, str] = {}
    lengths: dict[str, int] = {}
    for char in _ALL_CHARACTERS:
        alone = folding_of(char)
        table.update(alone.table)
        lengths.update(alone.lengths)

    assert together.table == table
    assert together.lengths == lengths
    assert lengths == {
        char: len(folded)
        for char in _ALL_CHARACTERS
        if len(folded := table.get(ord(char), char)) != 1
    }


@pytest.mark.parametrize(
    ("char", "folded"),
    [
        ("Ｅ", "e"),  # full width
        ("ℯ", "e"),  # letter-like symbol
        ("𝐞", "e"),  # mathematical bold
        ("①", "1"),
        ("㏂", "a.m."),  # one character, four of the shadow
        ("。", "."),  # NFKC leaves the ideographic full stop alone; we do not
        ("\u200b", ""),  # invisible
        ("\u0301", ""),  # a combining mark
        ("\U000e0041", ""),  # a tag character (Cf)
        ("\ufff9", ""),  # an interlinear annotation anchor (Cf)
        ("\U000e0fff", ""),  # default-ignorable, unassigned
        ("ﾞ", ""),  # a half-width sound mark folds to a combining one
        ("¨", " "),  # a spacing accent folds to a space and a combining one
        ("🅴", "e"),  # negative squared: no NFKC form
        ("İ", "i"),  # lower-casing adds a combining dot, which goes
    ],
)
def test_each_character_folds_as_link_detection_reads_it(char: str, folded: str) -> None:
    assert folding_of(char).table[ord(char)] == folded


def test_the_fold_table_holds_only_the_texts_own_characters() -> None:
    table = folding_of("日本語 Ｅxample").table

    assert set(table) - {ord(char) for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"} == {ord("Ｅ")}


def test_distinct_combining_and_expanding_characters_still_map_back_to_the_text() -> None:
    marks = "".join(char for char in _ALL_CHARACTERS[:0x3000] if unicodedata.category(char) == "Mn")
    text = f"{marks} ㏂ e\u0301xample.com {marks}"

    reduced = reduce_to_plain_text(text).text

    assert reduced == f"{marks} ㏂ {LINK_PLACEHOLDER} {marks}"


def test_a_shadow_longer_than_its_text_maps_back_as_a_list_of_origins_would() -> None:
    # `ﬁ` folds to two shadow characters, both from text position 0; the lazy map must answer
    # indexing, slicing, iteration and its end exactly as the list it stands for.
    origin = shadow_of("ﬁle.com ok").origin
    expected = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

    assert len(origin) == len(expected)
    assert list(origin) == expected
    assert [origin[index] for index in range(-11, 0)] == expected
    assert origin[1:4] == expected[1:4]
    assert origin[::-1] == expected[::-1]
    for outside in (11, -12):
        with pytest.raises(IndexError):
            origin[outside]


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        # A spelled-out dot that cannot join two hosts separates them instead.
        ("a dot b.com", "a dot [link removed]"),
        ("a.b dot c.com", "a.b dot [link removed]"),
        ("a.com dot b.com dot c.com dot d.com", " dot ".join([LINK_PLACEHOLDER] * 4)),
        ("1.2.3.4.evil.com", "[link removed].[link removed]"),
        ("1.2.3.4.5.6.7.8", "[link removed].[link removed]"),
        ("⒈⒉⒊⒋⒌⒍⒎⒏⒐", "[link removed]⒐"),  # two addresses in touching characters: one span
        ("x.www.evil", "x.[link removed]"),
        ("example.com dot e.g.com(", "[link removed] dot [link removed]("),
        # Still not hosts.
        ("a polka dot top", "a polka dot top"),
        ("It broke. me and my wife", "It broke. me and my wife"),
        ("Hello.My name is", "Hello.My name is"),
        ("you dot Io", "you dot Io"),  # a spelled-out dot, a capitalised word: a sentence
        ("io. Com", "io. Com"),  # and after a dot and a space
        ("My.Ai dot :", "My.Ai dot :"),  # the text's start is no link's character
        # A link's character before the first word: a host, however it is capitalised.
        ("My:Museum.Best .", "My:[link removed] ."),
        ("you dot IO", "[link removed]"),  # capitals only: no sentence starts so
        ("you dot Xyz", "you dot Xyz"),  # the capital is read as written, `X` or not
    ],
)  # fmt: skip
def test_every_host_in_a_chain_of_labels_is_found_in_one_run(
    given_text: str, expected: str
) -> None:
    spans = find_links(given_text)
    once = "".join(
        piece
        for start, span in zip([0, *[span.end for span in spans]], [*spans, None], strict=True)
        for piece in (
            given_text[start : span.start] if span else given_text[start:],
            LINK_PLACEHOLDER if span else "",
        )
    )

    assert once == expected
    assert remove_links(given_text) == (expected, expected.count(LINK_PLACEHOLDER))


@pytest.mark.parametrize(
    "given_text",
    [
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "ja\tva\nscr\tipt:alert(1)",
        "JAVA\tSCRIPT:alert(1)",
        "vb\tscript:msgbox(1)",
        "da\tta:text/html,hi",
        "ht\ttp://evil.example",
        "java\x00script:alert(1)",  # NUL is gone before links are looked for
        "javascript\t:'例'+alert(1)",  # a script to the space, whatever it holds
    ],
)
def test_a_scheme_split_by_tab_newline_or_nul_is_read_whole(given_text: str) -> None:
    assert reduce_to_plain_text(given_text).text == LINK_PLACEHOLDER


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Regards\nhttp://evil.example/x\nThanks", f"Regards\n{LINK_PLACEHOLDER}\nThanks"),
        ("Name\ndata:text/html,hi", f"Name\n{LINK_PLACEHOLDER}"),
        # Any name before `//` is a scheme, and it too starts after the line break.
        ("Regards\ncustom-app://open/thing", f"Regards\n{LINK_PLACEHOLDER}"),
        # After the colon a line break still ends what could be a link.
        ("My data:\nthe file", "My data:\nthe file"),
        ("Market:\nTokyo", "Market:\nTokyo"),
        ("Time\n10:30", "Time\n10:30"),
    ],
)
def test_a_line_break_before_a_scheme_keeps_the_line_before(given_text: str, expected: str) -> None:
    assert reduce_to_plain_text(given_text).text == expected


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        # The address starts after the word's hyphen, as a URL parser reads it (fuzzing found
        # `example-127.0.0.1` whole).
        ("see example-127.0.0.1 now", f"see example-{LINK_PLACEHOLDER} now"),
        ("a-1.2.3.4", f"a-{LINK_PLACEHOLDER}"),
        ("x_-10.0.0.1-y", f"x_-{LINK_PLACEHOLDER}-y"),
        ("10.0.0.1-10.0.0.9", f"{LINK_PLACEHOLDER}-{LINK_PLACEHOLDER}"),
        # After the last hyphen of the word before, before the first of the word after.
        ("a-b-127.0.0.1", f"a-b-{LINK_PLACEHOLDER}"),
        ("see 1.2.3.4-5-6 ok", f"see {LINK_PLACEHOLDER}-5-6 ok"),
        # Not an address: a part over 255, or three parts.
        ("model-300.1.2.3", "model-300.1.2.3"),
        ("v-1.2.3 release", "v-1.2.3 release"),
        # Nor with a middle part over 255 (make mutate: `addresses_in_chain` 19 and 20 read
        # one middle part, or none).
        ("model-1.300.3.4.5 model-1.2.300.4.5", "model-1.300.3.4.5 model-1.2.300.4.5"),
        # Nor a part over 255 in hex or octal, nor an octal part with a digit octal has not
        # (make mutate: mutants that read a digit fewer, or `08` as decimal, found them).
        (
            "model-0x100.1.2.3 model-0400.1.2.3 model-08.1.2.3",
            "model-0x100.1.2.3 model-0400.1.2.3 model-08.1.2.3",
        ),
        (
            "model-0xff.1.2.3 model-0377.1.2.3 model-07.1.2.3",
            f"model-{LINK_PLACEHOLDER} " * 2 + f"model-{LINK_PLACEHOLDER}",
        ),
        # Nor to the URL parser: an underscore joins a number to the word before, and a hyphen
        # or an underscore before the last number makes a name of it all.
        ("x_127.0.0.1 x-_127.0.0.1 _1.2.3.4", "x_127.0.0.1 x-_127.0.0.1 _1.2.3.4"),
        ("1.2.3.-4 and 1.2.3._4", "1.2.3.-4 and 1.2.3._4"),
    ],
)
def test_an_address_after_a_hyphenated_word_is_found(given_text: str, expected: str) -> None:
    assert reduce_to_plain_text(given_text).text == expected
    assert links_seen(expected) == []


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        # A host named after an address starts after it; `www.` before an address makes no host
        # of it, and a second `www.` starts one of its own.
        ("see 1.2.3.4.jp now", f"see {LINK_PLACEHOLDER}.jp now"),
        ("see www.1.2.3.4 now", f"see www.{LINK_PLACEHOLDER} now"),
        ("see www.1.2.3.4.jp now", f"see www.{LINK_PLACEHOLDER}.jp now"),
        ("see www.www.1.2.3.4 now", f"see {LINK_PLACEHOLDER}.{LINK_PLACEHOLDER} now"),
        # `www.` starts a host only before an ASCII label of letters and digits.
        ("see x.www.例え now", "see x.www.例え now"),
        ("see www.io[.]", f"see {LINK_PLACEHOLDER}"),
        # The host goes from where its chain starts, a spelled-out dot included.
        ("(dot)www.evil.com", f"({LINK_PLACEHOLDER}"),
        # A pair that reads as a sentence is passed over; the host before it is still found.
        ("see evil.com dot Hello.My now", f"see {LINK_PLACEHOLDER} dot Hello.My now"),
        # What stands for a defanged dot is no label (make mutate: `_plain_two_label_host` 10
        # took the fillers it leaves for a host's first label).
        ("[.]。jp now", "[.]。jp now"),
        ("(dot)。jp", "(dot)。jp"),
        # The look-alike reading knows the fillers a defanged dot left (make mutate:
        # `latin_look_alikes` 9 lost `filled`, and the reading kept `みんな[.]ο` out of the host).
        ("&みんな[.]οexample.comhxxp dot jp", f"&{LINK_PLACEHOLDER}"),
        # After a loose dot, only `. com` joins a host (`me. com.jp` is a sentence, then a host).
        ("see me. com.jp now", f"see me. {LINK_PLACEHOLDER} now"),
    ],
)
def test_hosts_addresses_and_www_in_one_chain(given_text: str, expected: str) -> None:
    # make mutate: 13 mutants of `_hosts_in_chain` changed one of these and no other case.
    assert reduce_to_plain_text(given_text).text == expected
    assert links_seen(expected) == []


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        # Letters spelled one at a time after a host with a look-alike letter were glued to its
        # last word, so the look-alike reading saw no TLD.
        ("Log in at paypаl.cоm a s a p : )", f"Log in at {LINK_PLACEHOLDER} a s a p : )"),
        # Folds that bring a mark of their own: a lower-cased dotted capital I, a half-width
        # sound mark, a spacing accent.
        ("BİLGİ.COM", LINK_PLACEHOLDER),
        ("ZİRAAT.COM", LINK_PLACEHOLDER),
        ("ｶﾞｲﾄﾞ.com", LINK_PLACEHOLDER),
        ("abcﾞ.com", LINK_PLACEHOLDER),
        ("evil¨(dot)com", LINK_PLACEHOLDER),
        ("visit shop¨[.]com", f"visit {LINK_PLACEHOLDER}"),
        # A full-width percent sign is decoded like `%`, so the text is read undecoded too.
        ("evil.co％6do", f"{LINK_PLACEHOLDER}％6do"),
    ],
)
def test_what_a_hunt_for_surviving_links_found_is_removed(given_text: str, expected: str) -> None:
    reduced = reduce_to_plain_text(given_text).text

    assert reduced == expected
    assert links_seen(reduced) == []


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        # A known scheme with nothing after it that a URL holds.
        ("ws:) javascript:alert(1)", f"ws:) {LINK_PLACEHOLDER}"),
        # A name that needs a letter after its colon, with none.
        ("Data:10:30 and javascript:alert(1)", f"Data:10:30 and {LINK_PLACEHOLDER}"),
        # A colon inside the link found last, far from the next link (the second run of removal
        # reads only near the links the first took out).
        (
            "http://a.example/x:y " + "lorem " * 10 + "javascript:alert(1)",
            f"{LINK_PLACEHOLDER} " + "lorem " * 10 + LINK_PLACEHOLDER,
        ),
    ],
)
def test_a_colon_the_scheme_reader_passes_over_does_not_end_its_reading(
    given_text: str, expected: str
) -> None:
    assert remove_links(given_text)[0] == expected


@pytest.mark.parametrize("given_text", ["@Hello.My", "/Hello.My", "me@Hello.My"])
def test_words_run_together_after_what_a_link_holds_are_a_host(given_text: str) -> None:
    # `Hello.My` reads as two sentences, but not after `@` or `/`, at the text's start too.
    assert remove_links(given_text) == (LINK_PLACEHOLDER, 1)


# make mutate: `_reads_as_sentence` 24 never looked at what follows, and let these through.
@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Hello.My/path", LINK_PLACEHOLDER),
        ("see Hello.My:8080 now", f"see {LINK_PLACEHOLDER} now"),
        ("Hello.My?x=1", LINK_PLACEHOLDER),
        ("Hello.My#top", LINK_PLACEHOLDER),
        ("Hello.My@x", f"{LINK_PLACEHOLDER}@x"),
    ],
)
def test_words_run_together_before_what_a_link_holds_are_a_host(
    given_text: str, expected: str
) -> None:
    # A path, port, query, fragment or `@` after `Hello.My` makes it a link, not two sentences.
    assert remove_links(given_text) == (expected, 1)


def test_a_placeholder_is_never_read_as_part_of_a_link() -> None:
    # Once read as URL characters, `[link` after `http://&` was taken out a second time.
    assert remove_links("http://&e.g.com") == (LINK_PLACEHOLDER, 1)
    assert find_links(f"a dot {LINK_PLACEHOLDER} jp") == []
    assert find_links(f"{LINK_PLACEHOLDER}.com") == []


# Scheme links after the cut: the readers after the one that cut read only up to the cut, so
# they neither move it on nor keep what stands between.
_SCRIPTS = " then " + " ".join(f"javascript:f({number})" for number in range(MOST_LINKS + 10))
# And a reading whose windows all lie past the cut reads none of them (make mutate:
# `read_shadow` 37 returned nothing there instead).
_LOOK_ALIKE_AFTER = " then pаypаl.com"


@pytest.mark.parametrize("after", ["", _SCRIPTS, _LOOK_ALIKE_AFTER])
def test_a_text_with_more_links_than_a_reading_takes_is_cut_where_the_last_one_read_starts(
    after: str,
) -> None:
    hosts = [f"shop{number}.com" for number in range(MOST_LINKS + 10)]
    text = "Hi " + " and ".join(hosts) + after + " bye"

    reduced, removed = remove_links(text)

    kept = " and ".join([LINK_PLACEHOLDER] * (MOST_LINKS - 1))
    assert reduced == f"Hi {kept} and {LINK_PLACEHOLDER}"
    assert removed == MOST_LINKS
    assert links_seen(reduced) == []


def test_links_under_the_limit_are_each_replaced_and_the_text_after_them_kept() -> None:
    text = " ".join(f"shop{number}.com" for number in range(MOST_LINKS - 1)) + " bye"

    reduced, removed = remove_links(text)

    assert reduced == " ".join([LINK_PLACEHOLDER] * (MOST_LINKS - 1)) + " bye"
    assert removed == MOST_LINKS - 1


def test_a_text_that_needs_more_runs_than_removal_makes_is_cut_at_its_first_link_left() -> None:
    # Each removal brings out the next link (`5.ly dot` reads as a host again once `5.ly` is
    # out): two runs, then what is left is cut at the first link still in it.
    text = "Hi 5.ly dot dot com dot dot jp dot dot io dot dot com dot dot jp thanks"

    reduced, removed = remove_links(text)

    assert reduced == f"Hi {LINK_PLACEHOLDER} {LINK_PLACEHOLDER} {LINK_PLACEHOLDER}"
    assert removed == 3
    assert links_seen(reduced) == []


def _removed_reading_everything(text: str) -> tuple[str, int]:
    """What `remove_links` gives when every run reads the whole text (its own runs after the
    first read only around what the run before took out)."""
    total = 0
    for _ in range(MOST_RUNS):
        spans = find_links(text)
        if not spans:
            return text, total
        total += len(spans)
        for span in reversed(spans):
            text = text[: span.start] + LINK_PLACEHOLDER + text[span.end :]
    spans = find_links(text)
    if spans:
        total += 1
        text = text[: spans[0].start] + LINK_PLACEHOLDER
    return text, total


# Pieces of links and of what surrounds them, in the disguises removal has to read through, so
# that taking one link out often changes how its neighbours read.
_PIECES = [
    "a", "x", "ex", "com", "jp", "co", "io", "www", ".", "..", " ", "  ", "\n", "\t", " dot ",
    " . ", "(dot)", "[.]", "%2e", "%2E", "%41", "http", "hxxp", "://", ":", "/", "@", "-", "_",
    "(", ")", "[", "]", "1", "255", "0x1", "::", "а", "о", "ο", "。", "ｃｏｍ", "\u200b",
    "e x a m p l e", LINK_PLACEHOLDER, "example.com", "みんな", "日本", "javascript", "data",
    "Hello", "e.g.", "1.2.3.4", "[::1]", "<", "&",
]  # fmt: skip


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@example("example.com dot e.g.com(")
@example("t.co｡1.2.3.4 thanks")
@example("5.ly dot dot io ok")
@example("paypаl.cоm x y z w v u " + "lorem " * 30 + "see evil . com")
# Two windows far apart, and only the look-alike reading of the first finds what its removal
# brought out (`о://` once the address before it is out): each window is read, not the last.
@example("Hi 1.2.3.4о:// ok " + "lorem " * 30 + "see evil . com")
# What the first removal brings out starts at the text's first character (make mutate: a window
# around the placeholders that began at 1 left `www.ex.com-` in).
@example("www.ex.com-1.2.3.4")
# A change inside the window before is passed over, and the changes after it still read
# (make mutate: `_windows_around` 8 stopped at the first one it passed over).
@example("x.com,y.com;zzzzzzzzzzzz " + "lorem " * 24 + "www.ex.com-1.2.3.4")
# The second placeholder is counted as the second (make mutate: `remove_links` 26, 30-32 numbered
# the placeholders wrong, so the second run read around the wrong ones).
@example("a.com " + "lorem " * 24 + "www.ex.com-1.2.3.4 " + "lorem " * 24 + "c.com")
# Each window's links are kept, not only the last's (make mutate: `read_shadow` 38).
@example("www.ex.com-1.2.3.4 " + "lorem " * 24 + "www.ey.com-1.2.3.4")
def test_a_run_after_the_first_reading_only_around_what_was_taken_out_misses_nothing(
    text: str,
) -> None:
    assert remove_links(text) == _removed_reading_everything(text)


def _links_reading_every_shadow_everywhere(text: str) -> list[tuple[int, int]]:
    """Links of every reading of `text`, each read whole and on its own (`find_links` reads the
    look-alike and undecoded readings only in the windows where they differ from the plain one,
    and passes over a chain that the plain reading read alike)."""
    plain = shadow_of(text)
    readings = [plain]
    if latin := latin_look_alikes(plain):
        readings.append(latin)
    if holds_percent_escape(plain):
        readings.append(undecoded_reading(plain))
    spans: list[tuple[int, int]] = []
    for shadow in readings:
        found, _ = read_shadow(shadow, text, None, [(0, len(plain.text))], len(plain.text))
        spans += [(shadow.origin[start], shadow.origin[end - 1] + 1) for start, end in found]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@example("раypal.com а%2ecom")
# A chain that stands alike in the plain reading is passed over only when all that a link
# through it could take in does too: here the look-alike reading starts the link at `jp` (and
# ends it after `оco`), where the plain reading stopped at `ο` (`о`).
@example("jpаο[.]jpxみんな[.]com")
@example("1.2.3.4://оco")
def test_the_look_alike_and_undecoded_readings_read_where_they_differ_and_miss_nothing(
    text: str,
) -> None:
    expected = _links_reading_every_shadow_everywhere(text)
    assume(len(expected) < MOST_LINKS)

    # A window may read a chain that reading everywhere passes over as inside an earlier link
    # of the same reading, so it can find more; never less.
    found = find_links(text)
    for start, end in expected:
        assert any(span.start <= start and end <= span.end for span in found), (start, end)


def test_every_common_tld_is_in_the_tld_list() -> None:
    # The fast path for `name.com` and a later reading's pass over a chain that may hold no
    # host both rest on it (`_plain_two_label_host`, `_reach_alike`).
    assert top_level_domains() >= _COMMON_TLDS


@pytest.mark.parametrize(
    ("text", "chain", "reach"),
    [
        # The runs of URL characters before and after, each as far as it goes.
        ("user:pw@a.com/x?y) z", "a.com", "user:pw@a.com/x?y)"),
        # None before (white space, the text's start) or after: the chain alone.
        ("x a.com", "a.com", "a.com"),
        (" a.com", "a.com", "a.com"),
        ("a.com", "a.com", "a.com"),
        ("see а.b.com z", "b.com", ".b.com"),
    ],
)
def test_a_links_reach_is_the_run_of_url_characters_on_either_side(
    text: str, chain: str, reach: str
) -> None:
    start = text.index(chain)
    first, last = link_reach(text, start, start + len(chain))
    assert text[first:last] == reach


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet="ab1.-_:/@%(\x01 аο", max_size=24), st.integers(0, 24))
def test_a_link_through_a_host_takes_in_no_more_than_its_reach(text: str, position: int) -> None:
    # A later reading passes over a chain only when the shadows are alike as far as this reach
    # (`_reach_alike`): a link that took in more could start or end where they differ.
    position = min(position, len(text))
    first, last = link_reach(text, position, position)
    assert first <= link_start(text, position, 0)
    assert url_end(text, position) <= last


@pytest.mark.parametrize(
    ("reader", "text"),
    [
        ("hosts", "see a.com b.com c.com"),
        ("schemes", "see http://a http://b http://c"),
        ("IPv6 literals", "see [::1] [::2] [::3]"),
    ],
)
def test_a_reader_finds_what_starts_before_until_and_stops_after_most(
    reader: str, text: str
) -> None:
    # The contract of `read_shadow`'s readers (make mutate: `host_links` 37 and 38 read on past
    # `most`, or took a link at `until`; `read_shadow` drops both, so only a reader sees them).
    shadow = shadow_of(text)
    read = {
        "hosts": partial(host_links, shadow, shadow.text[::-1], text, None),
        "schemes": partial(scheme_links, shadow.text),
        "IPv6 literals": partial(ipv6_links, shadow.text),
    }[reader]
    length = len(shadow.text)
    every_link = read(0, length, length, MOST_LINKS)
    assert len(every_link) == 3

    assert read(0, length, length, 2) == every_link[:2]
    assert read(0, length, every_link[1][0], MOST_LINKS) == every_link[:1]
