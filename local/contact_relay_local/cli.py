"""`contact-relay`: the local stack (`dev`), one-shot invocations (`invoke`) and seller records."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from contact_relay_local.stack import LocalAWS, read_sellers, seller_attributes


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        result: int = arguments.run(arguments)
    except (OSError, ValueError) as exc:
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 2
    except FunctionFailed as exc:
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as exc:
        # No region, no credentials, no such table: botocore's own words say which.
        print(f"contact-relay: {exc}", file=sys.stderr)
        return 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contact-relay", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    dev = commands.add_parser(
        "dev",
        help="run the relay, its demo page and an outbox on moto",
        description=_DEV_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dev.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1); beyond loopback needs --allow-remote",
    )
    dev.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
    dev.add_argument("--sellers", type=Path, metavar="FILE", help=_SELLERS_HELP)
    dev.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on a --host beyond loopback, although /_local/outbox then shows every "
        "buyer's name, address and message to whoever can connect",
    )
    dev.add_argument(
        "--cold-every-request",
        action="store_true",
        help="give every request a new execution environment (a cold start) instead of one "
        "warm one",
    )
    dev.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    dev.set_defaults(run=_dev)

    invoke = commands.add_parser(
        "invoke",
        help="run the handler once on an API Gateway event file, against an embedded moto",
        description=_INVOKE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    invoke.add_argument("event", type=Path, metavar="EVENT.json")
    invoke.add_argument("--sellers", type=Path, metavar="FILE", help=_SELLERS_HELP)
    invoke.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    invoke.set_defaults(run=_invoke)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document of the API")
    openapi.set_defaults(run=_openapi)

    sellers = commands.add_parser("sellers", help="load and inspect seller records in DynamoDB")
    actions = sellers.add_subparsers(required=True, metavar="ACTION")
    put = actions.add_parser("put", help="write seller items from a JSON array file")
    put.add_argument("file", type=Path, metavar="FILE")
    get = actions.add_parser("get", help="print one seller")
    get.add_argument("seller_id", metavar="SELLER_ID")
    listing = actions.add_parser("list", help="print every seller")
    for action, run in ((put, _sellers_put), (get, _sellers_get), (listing, _sellers_list)):
        action.add_argument("--table", required=True, help="the SellersTable name (stack output)")
        action.add_argument("--endpoint-url", help="a DynamoDB endpoint other than AWS's")
        action.add_argument("--region", help="AWS region (default: your AWS configuration's)")
        action.set_defaults(run=run)
    return parser


_SELLERS_HELP = (
    "JSON array of seller items to load instead of the demo sellers (it replaces them: "
    "example-store, tokyo-tea, closed-shop and no-inbox-store are then not there)"
)
_VERBOSE_HELP = (
    "also print what the function prints: its logs (at INFO unless POWERTOOLS_LOG_LEVEL says "
    "otherwise), its EMF metric lines and library warnings; by default they are dropped"
)
_INVOKE_DESCRIPTION = """\
Run the handler once on an API Gateway (REST, proxy) event file, like `sam local invoke -e`
without Docker, and print its answer and the emails it sent as JSON.

It runs against its own embedded AWS, a moto server in this process that lives as long as the
command: the tables as template.yaml defines them, the verified sender, and the demo sellers
(example-store and tokyo-tea active, closed-shop suspended, no-inbox-store with no reply-to
address), or instead of them the sellers of --sellers FILE. Nothing of your AWS account is read
or written. Each event is the function's first invocation: a cold start.

An event needs at least httpMethod and path; events/*.json, and `sam local generate-event
apigateway aws-proxy`, give whole ones."""

_DEV_DESCRIPTION = """\
Run the relay on an embedded moto server, with its demo page and an outbox, on one port.

The function runs as on Lambda: in one warm execution environment (a process of its own),
reused across requests and handed them one at a time, so what it keeps between requests
(clients, idempotency set-up, module state) is kept here too. POST /_local/cold-start
replaces the environment: the next request starts cold. --cold-every-request does that
after every request.

/_local/outbox shows every email sent, buyers' names, addresses and messages included: the
stack listens on loopback only, unless --allow-remote says otherwise.

It prints one line per request; --verbose adds what the function prints."""


def _dev(arguments: argparse.Namespace) -> int:
    from contact_relay_local.devserver import DevServer, first_active_seller
    from contact_relay_local.edge import is_loopback
    from contact_relay_local.environments import WarmFunction
    from contact_relay_local.template_functions import function_definitions

    remote = not is_loopback(arguments.host)
    if remote and not arguments.allow_remote:
        raise ValueError(
            f"refusing to listen on {arguments.host}, beyond loopback: /_local/outbox would "
            "show every buyer's name, address and message to whoever can connect "
            "(pass --allow-remote to do it anyway)"
        )
    sellers = read_sellers(arguments.sellers)
    if arguments.verbose:
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")
    aws = LocalAWS()
    aws.start_server()
    # Its environment starts at once: the function's init overlaps the tables' creation.
    function = WarmFunction(
        function_definitions()["ContactFunction"],
        cold_every_request=arguments.cold_every_request,
        verbose=arguments.verbose,
    )
    try:
        aws.create_resources(sellers)
        server = DevServer(
            (arguments.host, arguments.port), aws, first_active_seller(sellers), function
        )
    except BaseException:
        function.close()
        aws.stop()
        raise
    stopping = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if remote:
        _warn_remote(server.url)
    print(f"contact-relay dev: ready on {server.url}/", flush=True)
    print(
        f"  {len(sellers)} sellers loaded into {os.environ['SELLERS_TABLE']}; moto at "
        f"{aws.endpoint_url} (region {os.environ['AWS_DEFAULT_REGION']}, any credentials); "
        "Ctrl-C stops",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        aws.stop()
        print("contact-relay dev: stopped", flush=True)
    return 0


def _warn_remote(url: str) -> None:
    bar = "!" * 78
    print(
        f"{bar}\n"
        f"WARNING: contact-relay dev listens beyond loopback, on {url}/ (--allow-remote).\n"
        "WARNING: anyone who can reach it can read /_local/outbox: every buyer's name, email\n"
        "WARNING: address and message sent through this stack. Stop it (Ctrl-C) unless this\n"
        f"WARNING: network is yours alone.\n{bar}",
        file=sys.stderr,
        flush=True,
    )


def _invoke(arguments: argparse.Namespace) -> int:
    event = read_event(arguments.event)
    sellers = read_sellers(arguments.sellers)
    which = "the sellers of " + str(arguments.sellers) if arguments.sellers else "the demo sellers"
    print(
        f"contact-relay invoke: {arguments.event} against an embedded moto with {which} "
        f"({len(sellers)}); nothing of your AWS account is used",
        file=sys.stderr,
        flush=True,
    )
    if arguments.verbose:
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")
    aws = LocalAWS()
    aws.start(sellers)
    try:
        # stdout holds only the result: the function's own logs and metrics go to stderr, or
        # nowhere unless --verbose.
        function_output = sys.stderr if arguments.verbose else io.StringIO()
        with (
            contextlib.redirect_stdout(function_output),
            contextlib.redirect_stderr(function_output),
        ):
            response = _run_handler(event, arguments.verbose)
        emails = [message.to_json() for message in aws.outbox()]
    finally:
        aws.stop()
    print(json.dumps({"response": response, "emails": emails}, indent=2, ensure_ascii=False))
    return 0


class FunctionFailed(Exception):
    """The handler raised: said in one line, its traceback only with --verbose."""


def _run_handler(event: dict[str, Any], verbose: bool) -> Any:
    from contact_relay.handlers.contact import lambda_handler
    from contact_relay_local.gateway import LocalLambdaContext

    try:
        return lambda_handler(event, LocalLambdaContext())
    except Exception as exc:
        if verbose:
            raise
        # The name only: an exception's text may hold what the event carried.
        raise FunctionFailed(
            f"the function raised {type(exc).__name__} on this event "
            "(--verbose shows its traceback)"
        ) from None


# What API Gateway's REST proxy events always hold, and the resolver reads before anything else.
_EVENT_KEYS = ("httpMethod", "path")


def read_event(path: Path) -> dict[str, Any]:
    """An API Gateway proxy event from a JSON file, or a ValueError that says in one line what
    is wrong with it."""
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise ValueError(f"{path}: an event is a JSON object, as in events/*.json")
    for key in _EVENT_KEYS:
        if not isinstance(event.get(key), str):
            raise ValueError(
                f"{path}: not an API Gateway proxy event: no {key!r} string in it (see "
                "events/*.json, or `sam local generate-event apigateway aws-proxy`)"
            )
    return event


def _openapi(_arguments: argparse.Namespace) -> int:
    from contact_relay.handlers.openapi_document import api_document
    from contact_relay.settings import load_settings
    from contact_relay_local.relay_defaults import RELAY_DEFAULTS

    print(api_document(load_settings(RELAY_DEFAULTS)))
    return 0


def _table_client(arguments: argparse.Namespace) -> Any:
    import boto3

    return boto3.client(
        "dynamodb", endpoint_url=arguments.endpoint_url, region_name=arguments.region
    )


def _sellers_put(arguments: argparse.Namespace) -> int:
    client = _table_client(arguments)
    sellers = read_sellers(arguments.file)
    for item in sellers:
        client.put_item(TableName=arguments.table, Item=seller_attributes(item))
    print(f"wrote {len(sellers)} seller(s) to {arguments.table}")
    return 0


def _sellers_get(arguments: argparse.Namespace) -> int:
    item = (
        _table_client(arguments)
        .get_item(TableName=arguments.table, Key={"sellerId": {"S": arguments.seller_id}})
        .get("Item")
    )
    if item is None:
        print(f"no seller {arguments.seller_id!r} in {arguments.table}", file=sys.stderr)
        return 1
    print(json.dumps(_plain(item), ensure_ascii=False))
    return 0


def _sellers_list(arguments: argparse.Namespace) -> int:
    paginator = _table_client(arguments).get_paginator("scan")
    items = [
        _plain(item)
        for page in paginator.paginate(TableName=arguments.table)
        for item in page["Items"]
    ]
    print(
        json.dumps(
            sorted(items, key=lambda item: str(item.get("sellerId"))), indent=2, ensure_ascii=False
        )
    )
    return 0


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: next(iter(value.values())) for name, value in item.items()}


__all__ = ["main"]
