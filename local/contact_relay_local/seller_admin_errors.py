"""The failure of an operator's `sellers` command, said in one line. Its own module, so the CLI
can catch it without importing the relay (whose logger must be made after the local stack sets
the environment)."""

from __future__ import annotations


class SellerAdminError(Exception):
    """What went wrong, in one line for the operator."""
