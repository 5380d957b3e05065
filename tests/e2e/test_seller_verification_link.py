"""The operator's `sellers put` against the local stack, as its banner says to run it, and the
verification link it sends, followed in the stack as a seller would."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from contact_relay_local.running_stack import RunningStack

pytestmark = pytest.mark.e2e

BUYER = {"name": "Hanako Yamada", "email": "hanako@example.com"}


def _banner_command(stack: RunningStack) -> list[str]:
    [line] = stack.wait_for_lines("  sellers: ", 1)
    return shlex.split(line.split("  sellers: ", 1)[1])


def _run(command: list[str], file: Path) -> subprocess.CompletedProcess[str]:
    """The pasted command, with FILE filled in: its VAR=value words are its environment."""
    environment = dict(word.split("=", 1) for word in command if re.match(r"^[A-Z_]+=", word))
    arguments = [str(file) if word == "FILE" else word for word in command if "=" not in word]
    environment["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    if "PYTHONPATH" in os.environ:  # a worktree beside the installed checkout tests its own code
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        arguments, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_the_banner_names_the_tables(stack: RunningStack) -> None:
    [line] = stack.wait_for_lines("  tables: ", 1)

    assert "contact-relay-sellers" in line and "contact-relay-messages" in line


def test_a_new_seller_is_sent_a_link_and_receives_messages_once_it_is_confirmed(
    stack: RunningStack, tmp_path: Path
) -> None:
    sellers = tmp_path / "sellers.json"
    record = {
        "sellerId": "linked-shop",
        "displayName": "Linked Shop",
        "replyToEmail": "cs@linked-shop.example",
        "status": "active",
    }
    sellers.write_text(json.dumps([record]), encoding="utf-8")
    message = {"topic": "other", "message": "Is it in stock?", "buyer": BUYER}

    put = _run(_banner_command(stack), sellers)
    email = stack.outbox()[-1]
    [link] = re.findall(r"http://\S+/verify/\S+", email["body"])
    path = link.removeprefix(stack.url)
    before = stack.request("POST", "/sellers/linked-shop/messages", message)
    opened = stack.request("GET", path)
    after_opening = stack.request("GET", "/sellers/linked-shop").json()
    confirmed = stack.request(
        "POST", path, b"", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    again = stack.request("POST", path, b"", {"Content-Type": "application/x-www-form-urlencoded"})
    sent = stack.request("POST", "/sellers/linked-shop/messages", message)

    assert put.returncode == 0, put.stderr
    assert "linked-shop: address pending" in put.stdout
    assert email["to"] == ["cs@linked-shop.example"]
    assert link.startswith(stack.url + "/verify/linked-shop.")
    assert before.status == 409
    assert opened.status == 200 and b"<button" in opened.body
    assert after_opening["accepting"] is False  # opening the link confirmed nothing
    assert confirmed.status == 200 and b"confirmed" in confirmed.body
    assert again.status == 404
    assert stack.request("GET", "/sellers/linked-shop").json()["accepting"] is True
    assert sent.status == 201, sent.body


def test_a_bad_file_is_refused_whole_in_one_line_per_record(
    stack: RunningStack, tmp_path: Path
) -> None:
    sellers = tmp_path / "sellers.json"
    good = {"sellerId": "never-written", "displayName": "Never", "status": "active"}
    bad = {"sellerId": "bad shop", "displayName": "Bad", "status": "open"}
    sellers.write_text(json.dumps([good, bad]), encoding="utf-8")

    result = _run(_banner_command(stack), sellers)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].endswith("refused, nothing written (1 bad record):")
    assert lines[1].startswith("record 2: sellerId must be") and "status must be" in lines[1]
    assert stack.request("GET", "/sellers/never-written").status == 404
