"""A table of messages, by class, for the plain-text reducer: what must go and what must stay.

Disguised links are in `links`, markup and characters with their exact reductions in `markup`,
honest text that must come out unchanged in `honest`.

One corpus for the tests (tests/unit) and the benchmarks (benchmarks/reducer_baseline.py): it
lives here, in the local package both import, so that no benchmark depends on tests/.
"""
