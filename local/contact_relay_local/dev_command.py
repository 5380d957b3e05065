"""`contact-relay dev`: start the local stack (moto, the functions' warm environments, the dev
server), say where it is and how to reach its moto, and serve until stopped."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from contact_relay_local.stack import LOCAL_REPLY_DOMAIN, LocalAWS, read_sellers

if TYPE_CHECKING:
    from contact_relay_local.devserver import DevServer


def run_dev(arguments: argparse.Namespace) -> int:
    from contact_relay_local.devserver import DevServer, base_url
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

    def warm(logical_id: str) -> WarmFunction:
        return WarmFunction(
            definitions[logical_id],
            cold_every_request=arguments.cold_every_request,
            verbose=arguments.verbose,
        )

    function = warm("ContactFunction")
    events_function = warm("DeliveryEventsFunction")
    # As the template's HasReplyDomain: no aliases, nothing to receive.
    inbound_function = warm("InboundFunction") if os.environ.get("REPLY_DOMAIN") else None
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


def first_active_seller(sellers: list[dict[str, str]]) -> str:
    for seller in sellers:
        if seller.get("status") == "active" and seller.get("replyToEmail"):
            return seller["sellerId"]
    return sellers[0]["sellerId"] if sellers else ""
