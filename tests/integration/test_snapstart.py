"""SnapStart: priming before the snapshot sends and writes nothing, and two restores of one
snapshot share nothing that must be unique."""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG, SES_CLIENT_CONFIG
from contact_relay.conversations import new_alias
from contact_relay.handlers import contact, contact_snapshot
from contact_relay.handlers.wiring import AwsClients
from contact_relay.observability import logger
from contact_relay.verification import issue_token
from contact_relay_local.snapstart import restore, take_snapshot
from tests.conftest import MotoAWS
from tests.support import EVENTS_DIR, TEST_ENVIRONMENT, FakeLambdaContext, parse_mime

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("SELLERS_TABLE", "MESSAGES_TABLE", "IDEMPOTENCY_TABLE", "RATE_LIMIT_TABLE")


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """The before-snapshot hook freezes the collector's objects, as it should in Lambda; the
    rest of the suite runs with a collector as usual."""
    yield
    gc.unfreeze()


def _stored(aws: MotoAWS) -> dict[str, int]:
    counts = {
        name: len(aws.dynamodb.scan(TableName=TEST_ENVIRONMENT[name])["Items"]) for name in TABLES
    }
    return {**counts, "emails": len(aws.sent_raw())}


def _requests_made(client: Any) -> list[str]:
    """Every HTTP request the client builds from here on (before it is signed and sent)."""
    made: list[str] = []
    client.meta.events.register(
        "request-created", lambda request, operation_name, **_: made.append(operation_name)
    )
    return made


def test_priming_answers_each_request_as_a_buyer_would_be_answered(aws: MotoAWS) -> None:
    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    assert {outcome.label for outcome in outcomes} >= {"POST shipping", "GET /topics"}
    assert [outcome for outcome in outcomes if not outcome.as_expected] == []
    assert sum(outcome.status == 201 for outcome in outcomes) == 4


def test_priming_follows_the_two_way_relay_when_it_is_on(
    aws: MotoAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLY_DOMAIN", "reply.example.com")
    monkeypatch.setenv("PUBLIC_API_URL", "https://api.example.com/v1")
    contact.environments.start_cold()

    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    assert contact.environments.current().settings.conversations_enabled
    assert [outcome for outcome in outcomes if not outcome.as_expected] == []


@pytest.mark.parametrize(
    ("limits", "counted"),
    [(("0", "0"), "neither"), (("1", "0"), "per source IP"), (("0", "1"), "per buyer")],
)
def test_priming_counts_only_the_rate_limits_that_are_on(
    aws: MotoAWS, monkeypatch: pytest.MonkeyPatch, limits: tuple[str, str], counted: str
) -> None:
    # A limit of 0 is off (no counter is written); 1 is the least that is on.
    source_ip, buyer = limits
    monkeypatch.setenv("RATE_LIMIT_SOURCE_IP_PER_HOUR", source_ip)
    monkeypatch.setenv("RATE_LIMIT_BUYER_PER_HOUR", buyer)
    contact.environments.start_cold()

    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    assert [outcome for outcome in outcomes if not outcome.as_expected] == [], counted
    assert sum(outcome.status == 201 for outcome in outcomes) == 4


def test_priming_with_a_captcha_stops_each_post_at_the_captcha(
    aws: MotoAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Priming carries no token and never calls the provider: each POST is refused before the
    # relay reads a seller or sends.
    secret = boto3.client("secretsmanager").create_secret(Name="captcha", SecretString="s")
    monkeypatch.setenv("CAPTCHA_VERIFY_URL", "https://challenges.cloudflare.com/siteverify")
    monkeypatch.setenv("CAPTCHA_SECRET_ARN", secret["ARN"])
    monkeypatch.setenv("CAPTCHA_EXPECTED_HOSTNAMES", "shop.example")
    contact.environments.start_cold()
    assert contact.environments.current().settings.captcha_enabled

    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    posts = [outcome for outcome in outcomes if outcome.label.startswith("POST ")]
    assert [outcome for outcome in outcomes if not outcome.as_expected] == []
    assert [outcome.status for outcome in posts] == [422] * len(posts)


def test_priming_sends_writes_and_reaches_nothing(aws: MotoAWS) -> None:
    # Given clients whose endpoint nothing listens on: a request that left would fail (503)
    nowhere = "http://127.0.0.1:9"
    dynamodb = boto3.client("dynamodb", endpoint_url=nowhere, config=DYNAMODB_CLIENT_CONFIG)
    sesv2 = boto3.client("sesv2", endpoint_url=nowhere, config=SES_CLIENT_CONFIG)
    contact.environments.wire(AwsClients(dynamodb, sesv2))
    made = _requests_made(dynamodb) + _requests_made(sesv2)
    stored = _stored(aws)

    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    assert all(outcome.as_expected for outcome in outcomes)
    assert made == []
    assert _stored(aws) == stored


def test_priming_that_goes_otherwise_is_reported_and_the_snapshot_still_taken(
    aws: MotoAWS, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a relay whose calls no longer match the priming's stubs (here: SendEmail raises)
    contact.environments.current().clients.sesv2.meta.events.register(
        "before-parameter-build.sesv2.SendEmail", _drifted
    )
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    logging.getLogger(logger.name).addHandler(handler)
    try:
        outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)
    finally:
        logging.getLogger(logger.name).removeHandler(handler)

    posts = [outcome for outcome in outcomes if outcome.label.startswith("POST ")]
    assert [outcome.as_expected for outcome in posts] == [False] * 4 + [True]
    assert "Priming answered otherwise than expected" in lines.getvalue()
    # The warning names each request that went otherwise, and those alone.
    [warning] = [record for record in caplog.records if hasattr(record, "requests")]
    assert warning.levelname == "WARNING"
    assert warning.requests == [f"{o.label}: {o.status}" for o in posts if not o.as_expected]


def test_priming_as_expected_warns_of_nothing(
    aws: MotoAWS, caplog: pytest.LogCaptureFixture
) -> None:
    outcomes = contact_snapshot.before_snapshot(contact.environments, contact.serve)

    assert all(outcome.as_expected for outcome in outcomes)
    assert [record for record in caplog.records if record.levelname == "WARNING"] == []


def test_the_hook_the_contact_function_registers_primes_through_its_own_serve(
    aws: MotoAWS,
) -> None:
    from contact_relay.handlers.runtime_hooks import before_snapshot_hooks

    answers = [hook() for hook in before_snapshot_hooks()]

    [outcomes] = [answer for answer in answers if isinstance(answer, list)]
    assert {outcome.label for outcome in outcomes} >= {"POST shipping", "GET /topics"}
    assert all(outcome.as_expected for outcome in outcomes)


def _drifted(**_: Any) -> None:
    raise RuntimeError("a call the priming does not know")


def test_a_restore_draws_its_own_randomness(aws: MotoAWS) -> None:
    # Given one snapshot: wired and primed
    contact.environments.current()
    take_snapshot()

    # When two environments are restored from it, and two resumed without the hooks
    first, second = _restored(run_hooks=True), _restored(run_hooks=True)
    unhooked = [_restored(run_hooks=False) for _ in range(2)]

    # Then nothing random is shared, where the snapshot's generator alone replays its draws
    assert unhooked[0]["draw"] == unhooked[1]["draw"]  # the simulation carries the state
    assert unhooked[0]["messageIdHeaderRandom"] == unhooked[1]["messageIdHeaderRandom"]
    for name in ("messageId", "messageIdHeaderRandom", "draw", "token", "alias"):
        assert first[name] != second[name], name
    assert first["status"] == second["status"] == 201


def _restored(*, run_hooks: bool) -> dict[str, Any]:
    """Fork an environment from this process's memory, as a restore resumes a snapshot's, send
    one message there and report what it drew."""
    state = random.getstate()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the restored environment
        try:
            os.close(reader)
            # Python reseeds `random` in a forked child; a restored snapshot does not.
            random.setstate(state)
            if run_hooks:
                restore()
            os.write(writer, json.dumps(_send_and_draw()).encode())
        except BaseException as exc:  # the parent reports it
            os.write(writer, json.dumps({"failure": repr(exc)}).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as answer:
        report: dict[str, Any] = json.loads(answer.read())
    os.waitpid(pid, 0)
    assert "failure" not in report, report
    return report


def _send_and_draw() -> dict[str, Any]:
    event = json.loads((EVENTS_DIR / "post-shipping.json").read_text(encoding="utf-8"))
    response = contact.lambda_handler(event, FakeLambdaContext())
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]].sent_messages
    header = str(parse_mime(sent[-1].raw_data)["Message-ID"]) if sent else ""
    # <time.pid.RANDOM.messageId@domain>: the part email.utils.make_msgid draws from `random`
    return {
        "status": response["statusCode"],
        "messageId": json.loads(response["body"]).get("messageId"),
        "messageIdHeaderRandom": header.strip("<>").split(".")[2] if header else None,
        "draw": random.getrandbits(64),
        "token": issue_token("example-store", now=0).token,
        "alias": new_alias(),
    }


@pytest.mark.parametrize(
    ("initialization", "imports"), [("snap-start", False), ("on-demand", True), (None, True)]
)
def test_a_bad_configuration_fails_the_import_only_where_snapstart_wires_at_import(
    initialization: str | None, imports: bool
) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_LAMBDA_")},
        **TEST_ENVIRONMENT,
        "LINK_POLICY": "forbid",
        "POWERTOOLS_TRACE_DISABLED": "1",
    }
    if initialization is not None:
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = initialization

    result = subprocess.run(
        [sys.executable, "-c", "import contact_relay.handlers.contact"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=False,
    )

    assert (result.returncode == 0) is imports, result.stderr[-2000:]
    if not imports:
        assert "ConfigurationError" in result.stderr and "LINK_POLICY" in result.stderr
