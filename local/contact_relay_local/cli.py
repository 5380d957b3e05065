"""`contact-relay`: the local stack (`dev`), replies through it (`reply`), one-shot invocations
(`invoke`) and seller records."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shlex
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from contact_relay_local.reply_command import DEFAULT_URL, ReplyError
from contact_relay_local.seller_admin_errors import SellerAdminError
from contact_relay_local.stack import LOCAL_REPLY_DOMAIN, LocalAWS, read_sellers

if TYPE_CHECKING:
    from contact_relay_local import seller_admin
    from contact_relay_local.devserver import DevServer


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
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

    reply = commands.add_parser(
        "reply",
        help="answer an email of a running dev stack's outbox, as the seller or the buyer",
        description=_REPLY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reply.add_argument(
        "--url", default=DEFAULT_URL, help=f"the running stack (default {DEFAULT_URL})"
    )
    reply.add_argument(
        "--to-message",
        type=int,
        metavar="N",
        help="the outbox email to answer, counting from 1, the oldest (default: the newest)",
    )
    reply.add_argument("--text", help="the reply's text (default: read from stdin)")
    reply.add_argument(
        "--verdicts",
        metavar="VERDICTS",
        help="what SES's checks found, as X-Local-Verdicts says it, e.g. 'dmarc=FAIL' "
        "(spf, dkim, dmarc, spam, virus; each PASS unless given)",
    )
    reply.set_defaults(run=_reply)

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

    sellers = commands.add_parser(
        "sellers", help="load, inspect and change seller records in DynamoDB"
    )
    actions = sellers.add_subparsers(required=True, metavar="ACTION")
    put = actions.add_parser(
        "put",
        help="check every record of a JSON array file, then write them all (or none); a new or "
        "changed address is sent a verification link",
    )
    put.add_argument("file", type=Path, metavar="FILE")
    put.add_argument(
        "--verified",
        action="store_true",
        help="mark every address verified without a link: for migrating addresses known to "
        "receive mail",
    )
    get = actions.add_parser("get", help="print one seller")
    listing = actions.add_parser("list", help="print every seller")
    verify = actions.add_parser(
        "verify",
        help="send the seller's address a new verification link (it is pending until used)",
    )
    suspend = actions.add_parser("suspend", help="stop a seller receiving messages (404 to buyers)")
    activate = actions.add_parser("activate", help="let a suspended seller receive messages again")
    delete = actions.add_parser("delete", help="delete a seller's record")
    for action in (get, verify, suspend, activate, delete):
        action.add_argument("seller_id", metavar="SELLER_ID")
    for action in (put, verify):
        action.add_argument(
            "--sender", help="the SES-verified address verification emails are sent from"
        )
        action.add_argument(
            "--api-url", help="the API's base URL (ApiUrl output): links point to its /verify/"
        )
    for action, run in (
        (put, _sellers_put),
        (get, _sellers_get),
        (listing, _sellers_list),
        (verify, _sellers_verify),
        (suspend, _sellers_suspend),
        (activate, _sellers_activate),
        (delete, _sellers_delete),
    ):
        action.add_argument("--table", required=True, help="the SellersTable name (stack output)")
        action.add_argument("--endpoint-url", help="a DynamoDB and SES endpoint other than AWS's")
        action.add_argument("--region", help="AWS region (default: your AWS configuration's)")
        action.set_defaults(run=run)
    return parser


_SELLERS_HELP = (
    "JSON array of seller items to load instead of the demo sellers (it replaces them: "
    "example-store, tokyo-tea, closed-shop, no-inbox-store, pending-store and bouncing-store "
    "are then not "
    "there)"
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
address, pending-store whose address awaits verification, bouncing-store at SES's bounce
simulator), or instead of them the sellers of --sellers FILE. Nothing of your AWS account is
read or written. Each event is the function's first invocation: a cold start.

An event needs at least httpMethod and path; events/*.json, and `sam local generate-event
apigateway aws-proxy`, give whole ones."""

_REPLY_DESCRIPTION = """\
Answer an email of a running `contact-relay dev` stack's outbox, as its recipient: play the
seller answering a buyer's form message, or the buyer answering the seller's relayed reply.

The reply is sent from the email's recipient to the alias it came with (its Reply-To when that
is an alias, else its From), with the subject "Re: ...", and posted to the stack's
/_local/inbound as a raw message, which the stack receives as SES receiving would. It prints
the stack's answer: one result per alias, relayed or dropped with a reason. Relayed mail then
shows in /_local/outbox."""

_DEV_DESCRIPTION = """\
Run the relay on an embedded moto server, with its demo page and an outbox, on one port.

The function runs as on Lambda: in one warm execution environment (a process of its own),
reused across requests and handed them one at a time, so what it keeps between requests
(clients, idempotency set-up, module state) is kept here too. POST /_local/cold-start
replaces the environment: the next request starts cold. --cold-every-request does that
after every request.

SES event publishing is emulated: once an answer is sent, each email it sent through the
configuration set (SES_CONFIGURATION_SET) gets the events SES would publish, handed to the
delivery events function in its own warm environment (--verbose prints a line for each). An
ordinary recipient gets a Delivery; SES's mailbox simulator addresses behave as SES documents
them (bounce@ and suppressionlist@ simulator.amazonses.com bounce for good, complaint@ is
delivered then complained about, ooto@ and success@ are delivered). The demo seller
bouncing-store shows the loop: its first message is sent, then bounced, and the seller is
marked bouncing.

SES receiving is emulated too, for mail to the aliases at REPLY_DOMAIN: POST /_local/inbound
takes a raw message (message/rfc822; X-Local-Verdicts states SES's checks), stores it in the
inbound bucket and hands the inbound function the event SES would send, in its own warm
environment. `contact-relay reply` writes such a message, as the seller or the buyer.

/_local/outbox shows every email sent, buyers' names, addresses and messages included: the
stack listens on loopback only, unless --allow-remote says otherwise.

It prints one line per request; --verbose adds what the function prints."""


def _dev(arguments: argparse.Namespace) -> int:
    from contact_relay_local.devserver import DevServer, base_url, first_active_seller
    from contact_relay_local.edge import is_loopback
    from contact_relay_local.environments import WarmFunction
    from contact_relay_local.local_inbound import LocalInbound
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
    # Before the function's environment starts: it inherits this process's environment.
    predicted_url = _two_way_relay_environment(base_url(arguments.host, arguments.port))
    aws = LocalAWS()
    aws.start_server()
    # Its environment starts at once: the function's init overlaps the tables' creation.
    definitions = function_definitions()
    function = WarmFunction(
        definitions["ContactFunction"],
        cold_every_request=arguments.cold_every_request,
        verbose=arguments.verbose,
    )
    events_function = WarmFunction(
        definitions["DeliveryEventsFunction"],
        cold_every_request=arguments.cold_every_request,
        verbose=arguments.verbose,
    )
    inbound_function = (
        WarmFunction(
            definitions["InboundFunction"],
            cold_every_request=arguments.cold_every_request,
            verbose=arguments.verbose,
        )
        # As the template's HasReplyDomain: no aliases, nothing to receive.
        if os.environ.get("REPLY_DOMAIN")
        else None
    )
    try:
        aws.create_resources(sellers)
        server = DevServer(
            (arguments.host, arguments.port),
            aws,
            first_active_seller(sellers),
            function,
            events_function,
            LocalInbound(aws.client("s3"), inbound_function, os.environ),
        )
        server.announce_events = arguments.verbose
        _settle_public_url(predicted_url, server)
    except BaseException:
        for started in (function, events_function, inbound_function):
            if started is not None:
                started.close()
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
    print(f"  tables: {', '.join(aws.table_names())}", flush=True)
    print(f"  sellers: {sellers_command(aws, server.url)}", flush=True)
    print(
        "    (and sellers list|get|verify|suspend|activate|delete with the same options)",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        aws.stop()
        print("contact-relay dev: stopped", flush=True)
    return 0


def _reply(arguments: argparse.Namespace) -> int:
    from contact_relay_local.reply_command import send_reply

    text = arguments.text if arguments.text is not None else sys.stdin.read()
    if not text.strip():
        raise ValueError("no text to send: give --text, or write it on stdin")
    answer = send_reply(arguments.url, arguments.to_message, text, arguments.verdicts)
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0


def _two_way_relay_environment(own_url: str) -> str | None:
    """The two-way relay, unless told otherwise: aliases at reply.localhost, and stop links to
    this stack. Returns the URL when it was ours to set."""
    os.environ.setdefault("REPLY_DOMAIN", LOCAL_REPLY_DOMAIN)
    if "PUBLIC_API_URL" in os.environ:
        return None
    os.environ["PUBLIC_API_URL"] = own_url
    return own_url


def _settle_public_url(predicted_url: str | None, server: DevServer) -> None:
    """Port 0, or a host name: the stack's URL is known once it listens, and the functions
    (which read PUBLIC_API_URL at their cold start) start again with it."""
    if predicted_url in (None, server.url):
        return
    os.environ["PUBLIC_API_URL"] = server.url
    for function in server.functions:
        function.cold_start()


def sellers_command(aws: LocalAWS, api_url: str) -> str:
    """A `sellers put` to paste, pointed at this stack's moto; its links go to this stack's
    outbox and point at its pages. The other actions take the same options."""
    environment = (
        f"AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local "
        f"AWS_DEFAULT_REGION={os.environ['AWS_DEFAULT_REGION']}"
    )
    program = sys.argv[0] if sys.argv[0].endswith("contact-relay") else "contact-relay"
    options = [
        "--table", os.environ["SELLERS_TABLE"], "--endpoint-url", aws.endpoint_url,
        "--sender", os.environ["SENDER_ADDRESS"], "--api-url", api_url,
    ]  # fmt: skip
    return f"{environment} {shlex.quote(program)} sellers put FILE {shlex.join(options)}"


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
    return _client(arguments, "dynamodb")


def _client(arguments: argparse.Namespace, service: str) -> Any:
    import boto3

    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=arguments.endpoint_url,
        region_name=arguments.region,
    )


def _seller_admin(arguments: argparse.Namespace) -> seller_admin.SellerAdmin:
    """The table's administration; with a link sender when --sender and --api-url are given."""
    from contact_relay.email_address import InvalidEmailAddress, normalise_email_address
    from contact_relay_local.seller_admin import LinkSender, SellerAdmin

    links = None
    sender, api_url = getattr(arguments, "sender", None), getattr(arguments, "api_url", None)
    if sender or api_url:
        if not (sender and api_url):
            raise ValueError("give --sender and --api-url together: the link needs both")
        try:
            sender = normalise_email_address(sender)
        except InvalidEmailAddress as exc:
            raise ValueError(f"--sender is not an address SES can send from: {exc}") from None
        if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", api_url):
            raise ValueError("--api-url must be the API's http(s) base URL (the ApiUrl output)")
        links = LinkSender(sender, api_url, _client(arguments, "sesv2"))
    return SellerAdmin(_table_client(arguments), arguments.table, links)


def _sellers_put(arguments: argparse.Namespace) -> int:
    from contact_relay_local.seller_records import read_seller_records

    records = read_seller_records(arguments.file)
    outcome = _seller_admin(arguments).put(records, verified=arguments.verified)
    print(f"wrote {outcome.written} seller(s) to {arguments.table}")
    for seller_id in outcome.links_sent:
        print(f"  {seller_id}: address pending; a verification link was sent to it")
    return 0


def _sellers_verify(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).send_link_again(arguments.seller_id)
    print(f"{arguments.seller_id}: address pending; a new verification link was sent to it")
    return 0


def _sellers_suspend(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).set_status(arguments.seller_id, "suspended")
    print(f"{arguments.seller_id}: suspended (buyers get 404 seller_not_found)")
    return 0


def _sellers_activate(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).set_status(arguments.seller_id, "active")
    print(f"{arguments.seller_id}: active")
    return 0


def _sellers_delete(arguments: argparse.Namespace) -> int:
    _seller_admin(arguments).delete(arguments.seller_id)
    print(f"{arguments.seller_id}: deleted from {arguments.table}")
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
