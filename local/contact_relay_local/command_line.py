"""The `contact-relay` command line: every command, flag and help text, and the function that
runs each command."""

from __future__ import annotations

import argparse
from pathlib import Path

from contact_relay_local.dev_command import run_dev
from contact_relay_local.invoke_command import run_invoke
from contact_relay_local.openapi_command import run_openapi
from contact_relay_local.reply_command import DEFAULT_URL, run_reply
from contact_relay_local.seller_commands import (
    activate_seller,
    delete_seller,
    get_seller,
    list_sellers,
    put_sellers,
    suspend_seller,
    verify_seller,
)

# `contact-relay --help` says this first.
DESCRIPTION = (
    "`contact-relay`: the local stack (`dev`), replies through it (`reply`), one-shot invocations\n"
    "(`invoke`) and seller records."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contact-relay", description=DESCRIPTION)
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
    dev.set_defaults(run=run_dev)

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
    reply.set_defaults(run=run_reply)

    invoke = commands.add_parser(
        "invoke",
        help="run the handler once on an API Gateway event file, against an embedded moto",
        description=_INVOKE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    invoke.add_argument("event", type=Path, metavar="EVENT.json")
    invoke.add_argument("--sellers", type=Path, metavar="FILE", help=_SELLERS_HELP)
    invoke.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    invoke.set_defaults(run=run_invoke)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document of the API")
    openapi.set_defaults(run=run_openapi)

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
        (put, put_sellers),
        (get, get_seller),
        (listing, list_sellers),
        (verify, verify_seller),
        (suspend, suspend_seller),
        (activate, activate_seller),
        (delete, delete_seller),
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
