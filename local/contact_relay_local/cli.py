"""The `contact-relay` entry point: run the command the line names, and turn what stops it into
a one-line message and an exit code (2: bad input or a file; 1: the command failed)."""

from __future__ import annotations

import sys

from botocore.exceptions import BotoCoreError, ClientError

from contact_relay_local.command_line import build_parser
from contact_relay_local.invoke_command import FunctionFailed
from contact_relay_local.reply_command import ReplyError
from contact_relay_local.seller_admin_errors import SellerAdminError


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        result: int = arguments.run(arguments)
    except (OSError, ValueError) as exc:
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 2
    except (FunctionFailed, SellerAdminError, ReplyError) as exc:
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as exc:
        # No region, no credentials, no such table: botocore's own words say which.
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 1
    return result


__all__ = ["main"]
