"""The local stack holds the digest key as the deployed stack does: generated in its own Secrets
Manager (moto), with only the ARN in the function's environment."""

from __future__ import annotations

import pytest

from contact_relay.adapters.secrets import SecretReader
from contact_relay.adapters.wiring_factories import digester_from
from contact_relay.settings import load_settings
from contact_relay_local.stack import LocalAWS
from tests.support import TEST_ENVIRONMENT


def test_the_local_stack_generates_the_digest_key_and_gives_only_its_arn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, TEST_ENVIRONMENT[name])
    environ: dict[str, str] = {"DIGEST_KEY_SECRET_ARN": "arn:from:outside"}
    aws = LocalAWS(environ)
    aws.start_server()
    try:
        secretsmanager = aws.client("secretsmanager")
        arn = environ["DIGEST_KEY_SECRET_ARN"]
        key = secretsmanager.get_secret_value(SecretId=arn)["SecretString"]
        settings = load_settings(environ)
        digester = digester_from(settings, SecretReader(secretsmanager))
    finally:
        aws.stop()

    assert (
        arn.startswith("arn:aws:secretsmanager:us-east-1:")
        and settings.digest_key_secret_arn == arn
    )
    assert len(key) == 64 and key.isalnum()
    assert key not in environ.values()
    assert len(digester.digest("buyer", "hanako@example.com")) == 64
