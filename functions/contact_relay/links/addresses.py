"""Dotted IPv4 addresses among the labels of a chain, read as the URL parser reads each number:
decimal, octal (`07`) or hex (`0x0ff`), the shadow being lower case."""

from __future__ import annotations

import re

from contact_relay.links.rewrites import FILLER

_DIGIT = re.compile("[0-9]")


def may_hold_an_address(chain: str, names: list[str]) -> bool:
    """Whether four of the chain's labels could be the numbers of an address: a quick no for
    most chains, before `addresses_in_chain` looks at where they stand."""
    return (
        len(names) >= 4
        and _DIGIT.search(chain) is not None  # every number of an address holds one
        and sum(
            _is_ip_number(_ip_part(name)) or _is_ip_number(_first_ip_part(name)) for name in names
        )
        >= 4
    )


def addresses_in_chain(
    names: list[str], labels: list[str], ends: list[int]
) -> list[tuple[int, int, int]]:
    """Dotted IPv4 addresses wherever they stand in a chain, as (first label, start, end):
    one after another (`⒈⒉⒊⒋⒌⒍⒎⒏` reads `1.2.3.4.5.6.7.8`), after a word or a spelled-out
    dot (`x (dot) 1.2.3.4`), and with a hyphen on either side (`10.0.0.1-10.0.0.9`,
    `example-127.0.0.1`)."""
    addresses: list[tuple[int, int, int]] = []
    index = 0
    while index + 4 <= len(names):
        head, tail = _first_ip_part(names[index]), _ip_part(names[index + 3])
        if not all(map(_is_ip_number, (head, *names[index + 1 : index + 3], tail))):
            index += 1
            continue
        first_label, last_label = labels[index], labels[index + 3]
        start = ends[index] - len(_first_ip_part(first_label).lstrip(FILLER))
        end = ends[index + 3] - len(last_label) + len(_ip_part(last_label))
        addresses.append((index, start, end))
        index += 4
    return addresses


def _ip_part(name: str) -> str:
    """The part of a label that may be the last number of an address, before its first hyphen:
    `1-10` holds `1`. `-4` and `_4` hold none: the URL parser reads `1.2.3.-4` as a name."""
    return name.partition("-")[0]


def _first_ip_part(name: str) -> str:
    """The part of a label that may be the first number of an address, after its last hyphen:
    `x-127` holds `127`; `x_127` and `_127` hold none (an underscore joins it to a word)."""
    return name.rpartition("-")[2]


def _is_ip_number(part: str) -> bool:
    """One part of a dotted IPv4 address as the URL parser reads it (the shadow is lower case):
    decimal, octal (`07`) or hex (`0x`, `0x0ff`), leading zeros without end, at most 255."""
    if part.startswith("0x"):
        base, digits = 16, part[2:]
    elif part.startswith("0"):  # `0` alone too: octal with no digits after it is 0
        base, digits = 8, part[1:]
    else:
        base, digits = 10, part
    if not part or not _DIGITS_OF_BASE[base].fullmatch(digits):
        return False
    significant = digits.lstrip("0")
    # Three digits past the zeros are past 255 in any base, so int() reads no more.
    return len(significant) <= 3 and int(significant or "0", base) <= 255


_DIGITS_OF_BASE = {16: re.compile("[0-9a-f]*"), 8: re.compile("[0-7]*"), 10: re.compile("[0-9]*")}
