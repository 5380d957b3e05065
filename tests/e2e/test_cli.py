"""`contact-relay invoke` and `contact-relay sellers`, run as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from contact_relay_local.running_stack import CLI
from tests.support import EVENTS_DIR

pytestmark = pytest.mark.e2e

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "PATH": "/usr/bin:/bin"}
# A checkout run with PYTHONPATH (a worktree beside the installed one) tests its own code.
PYTHONPATH = {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *arguments],
        capture_output=True,
        text=True,
        env={**CREDENTIALS, **PYTHONPATH},
        timeout=120,
        check=False,
    )


def test_invoke_runs_the_handler_on_an_event_file_and_prints_the_email() -> None:
    result = run_cli("invoke", str(EVENTS_DIR / "post-shipping.json"))

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["response"]["statusCode"] == 201
    [email] = printed["emails"]
    assert email["subject"] == "Shipping inquiry from Amazon customer"
    assert email["to"] == ["cs@example-store.example"]
    assert "when will order 503-1234567-1234567 ship?" in email["body"]


def test_invoke_says_what_it_runs_against_and_nothing_of_the_function_unless_verbose() -> None:
    quiet = run_cli("invoke", str(EVENTS_DIR / "get-topics.json"))
    verbose = run_cli("invoke", "--verbose", str(EVENTS_DIR / "get-topics.json"))

    assert quiet.returncode == verbose.returncode == 0
    [said] = quiet.stderr.splitlines()
    assert "against an embedded moto with the demo sellers" in said
    # The function's EMF line and Powertools' warning about a request with no metric.
    assert '"ColdStart"' in verbose.stderr and "UserWarning" in verbose.stderr
    assert json.loads(quiet.stdout)["response"]["statusCode"] == 200


def test_invoke_sellers_replace_the_demo_sellers(tmp_path: Path) -> None:
    sellers = tmp_path / "sellers.json"
    sellers.write_text(json.dumps([{"sellerId": "my-shop", "displayName": "My Shop"}]))

    result = run_cli("invoke", "--sellers", str(sellers), str(EVENTS_DIR / "post-shipping.json"))

    assert f"with the sellers of {sellers} (1)" in result.stderr
    # post-shipping.json writes to example-store, a demo seller no longer there.
    printed = json.loads(result.stdout)
    assert printed["response"]["statusCode"] == 404
    assert printed["emails"] == []


@pytest.mark.parametrize(
    ("event", "said"),
    [
        ({"httpMethod": "GET", "headers": {}}, "not an API Gateway proxy event: no 'path'"),
        ({"path": "/topics"}, "not an API Gateway proxy event: no 'httpMethod'"),
        (["GET", "/topics"], "an event is a JSON object"),
    ],
)
def test_invoke_on_a_hand_written_event_it_cannot_run_says_why_in_one_line(
    tmp_path: Path, event: object, said: str
) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))

    result = run_cli("invoke", str(path))

    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"contact-relay: {path}: ") and said in line


def test_invoke_on_a_bad_event_prints_the_error_and_no_email() -> None:
    result = run_cli("invoke", str(EVENTS_DIR / "bad-crlf-in-name.json"))

    printed = json.loads(result.stdout)
    assert printed["response"]["statusCode"] == 422
    assert printed["emails"] == []


def test_invoke_reports_a_missing_file_plainly() -> None:
    result = run_cli("invoke", "no-such-event.json")

    assert result.returncode == 2
    assert "no-such-event.json" in result.stderr


@pytest.fixture
def dynamodb_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    ).create_table(
        TableName="sellers",
        KeySchema=[{"AttributeName": "sellerId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "sellerId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield url
    server.stop()


def test_sellers_put_get_and_list_against_any_table(dynamodb_endpoint: str, tmp_path: Path) -> None:
    sellers = tmp_path / "sellers.json"
    sellers.write_text(
        json.dumps(
            [
                {
                    "sellerId": "b-shop",
                    "displayName": "B Shop",
                    "replyToEmail": "cs@b.example",
                    "status": "active",
                },
                {"sellerId": "a-shop", "displayName": "A Shop", "status": "suspended"},
            ]
        )
    )
    where = ["--table", "sellers", "--endpoint-url", dynamodb_endpoint, "--region", "eu-west-1"]

    # Known-good addresses: no verification link is sent (that is tested with the local stack).
    put = run_cli("sellers", "put", str(sellers), "--verified", *where)
    got = run_cli("sellers", "get", "b-shop", *where)
    missing = run_cli("sellers", "get", "nobody", *where)
    listed = run_cli("sellers", "list", *where)

    assert put.returncode == 0 and "wrote 2 seller(s)" in put.stdout
    assert json.loads(got.stdout) == {
        "sellerId": "b-shop",
        "displayName": "B Shop",
        "replyToEmail": "cs@b.example",
        "status": "active",
        "replyToStatus": "verified",
    }
    assert missing.returncode == 1 and "nobody" in missing.stderr
    assert [seller["sellerId"] for seller in json.loads(listed.stdout)] == ["a-shop", "b-shop"]


def test_sellers_put_refuses_a_file_that_is_not_an_array_of_sellers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sellerId": "x"}))

    result = run_cli("sellers", "put", str(bad), "--table", "t", "--region", "eu-west-1")

    assert result.returncode == 2
    assert "expected a JSON array" in result.stderr


def test_sellers_without_a_region_says_so_in_one_line() -> None:
    result = run_cli("sellers", "list", "--table", "contact-relay-sellers")

    assert result.returncode == 1
    assert result.stderr.splitlines() == ["contact-relay: You must specify a region."]
