"""One wiring per execution environment: built at its first invocation, kept while it is warm."""

from __future__ import annotations

import threading

from contact_relay.handlers.per_environment import PerEnvironment


class Wiring:
    """A stand-in for a function's wiring: each one built is a new object."""


def counting_builds() -> tuple[PerEnvironment[Wiring], list[Wiring]]:
    built: list[Wiring] = []

    def build() -> Wiring:
        built.append(Wiring())
        return built[-1]

    return PerEnvironment(build), built


def test_a_new_environment_builds_its_wiring_at_its_first_invocation_and_keeps_it() -> None:
    environments, built = counting_builds()

    first = environments.current()
    again = environments.current()

    assert built == [first]
    assert again is first


def test_a_cold_start_builds_once_more_and_the_new_wiring_is_kept() -> None:
    environments, built = counting_builds()
    before = environments.current()

    environments.start_cold()
    after = [environments.current() for _ in range(3)]

    assert built == [before, after[0]]
    assert after[0] is not before
    assert after == [after[0]] * 3


def test_each_thread_is_an_environment_of_its_own() -> None:
    environments, built = counting_builds()
    mine = environments.current()
    theirs: list[Wiring] = []

    thread = threading.Thread(target=lambda: theirs.extend([environments.current()] * 2))
    thread.start()
    thread.join()

    assert theirs[0] is not mine and theirs[1] is theirs[0]
    assert built == [mine, theirs[0]]
    assert environments.current() is mine


def test_a_wiring_installed_is_kept_until_the_next_cold_start() -> None:
    environments, built = counting_builds()
    handed = Wiring()

    environments.install(handed)
    kept = environments.current()
    environments.start_cold()
    after = environments.current()

    assert kept is handed
    assert after is not handed
    assert built == [after]
