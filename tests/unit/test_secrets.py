"""Secrets read once per execution environment, never shown; unreadable ones fail the cold start
naming the variable. Moto for what Secrets Manager does, a Stubber for what moto cannot refuse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from contact_relay.adapters.secrets import SecretReader
from contact_relay.environment_variables import ConfigurationError
from contact_relay.errors import DependencyUnavailable
from tests.support import TEST_ENVIRONMENT

VALUE = "0x4AAAAAAA-the-provider-secret"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:contact-relay/captcha-AbCdEf"


@pytest.fixture
def secretsmanager(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("secretsmanager")


def count_calls(client: Any) -> list[str]:
    """The SecretId of every GetSecretValue the client sends."""
    calls: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append(params["SecretId"])

    client.meta.events.register("provide-client-params.secrets-manager.GetSecretValue", record)
    return calls


def test_a_secret_is_read_once_per_environment(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="contact-relay/captcha", SecretString=VALUE)["ARN"]
    calls = count_calls(secretsmanager)
    reader = SecretReader(secretsmanager)

    values = [reader.read("CAPTCHA_SECRET_ARN", arn) for _ in range(3)]

    assert values == [VALUE] * 3
    assert calls == [arn]


def test_each_arn_is_read_once(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="one", SecretString="first-value")["ARN"]
    second = secretsmanager.create_secret(Name="two", SecretString="second-value")["ARN"]
    calls = count_calls(secretsmanager)
    reader = SecretReader(secretsmanager)

    read = [reader.read("A", first), reader.read("B", second), reader.read("A", first)]

    assert read == ["first-value", "second-value", "first-value"]
    assert calls == [first, second]


def test_a_missing_secret_fails_naming_the_variable(secretsmanager: Any) -> None:
    reader = SecretReader(secretsmanager)

    with pytest.raises(ConfigurationError) as raised:
        reader.read("DIGEST_KEY_SECRET_ARN", ARN)

    assert "DIGEST_KEY_SECRET_ARN" in str(raised.value)
    assert "ResourceNotFoundException" in str(raised.value)


def test_access_denied_fails_the_cold_start_naming_the_variable() -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "get_secret_value",
            service_error_code="AccessDeniedException",
            service_message="User is not authorized to perform secretsmanager:GetSecretValue",
            http_status_code=400,
            expected_params={"SecretId": ARN},
        )

        with pytest.raises(ConfigurationError) as raised:
            SecretReader(client).read("CAPTCHA_SECRET_ARN", ARN)

        stubber.assert_no_pending_responses()
    assert str(raised.value) == (
        f"CAPTCHA_SECRET_ARN: the secret {ARN} cannot be read (AccessDeniedException)"
    )


def test_throttling_is_a_retryable_failure_and_is_not_remembered() -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "get_secret_value",
            service_error_code="ThrottlingException",
            http_status_code=400,
            expected_params={"SecretId": ARN},
        )
        stubber.add_response(
            "get_secret_value",
            {"ARN": ARN, "Name": "contact-relay/captcha", "SecretString": VALUE},
            expected_params={"SecretId": ARN},
        )
        reader = SecretReader(client)

        with pytest.raises(DependencyUnavailable):
            reader.read("CAPTCHA_SECRET_ARN", ARN)
        value = reader.read("CAPTCHA_SECRET_ARN", ARN)

        stubber.assert_no_pending_responses()
    assert value == VALUE


@pytest.mark.parametrize(
    "answer",
    [
        {"SecretBinary": b"\x00\x01binary"},
        {"SecretString": "   "},
        {"SecretString": '{"captcha": "0x4AAAAAAA-the-provider-secret"}'},
    ],
    ids=["binary", "blank", "key-value-pairs"],
)
def test_a_secret_without_a_plain_text_value_fails_without_showing_it(
    answer: dict[str, Any],
) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_secret_value", {"ARN": ARN, **answer}, expected_params={"SecretId": ARN}
        )

        with pytest.raises(ConfigurationError) as raised:
            SecretReader(client).read("CAPTCHA_SECRET_ARN", ARN)

    assert "CAPTCHA_SECRET_ARN" in str(raised.value)
    assert VALUE not in str(raised.value)


def test_no_value_in_repr_or_in_the_failures_chain(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="contact-relay/captcha", SecretString=VALUE)["ARN"]
    reader = SecretReader(secretsmanager)
    reader.read("CAPTCHA_SECRET_ARN", arn)

    assert VALUE not in repr(reader)
    with pytest.raises(ConfigurationError) as raised:
        reader.read("DIGEST_KEY_SECRET_ARN", ARN)
    chain = [raised.value, raised.value.__cause__, raised.value.__context__]
    assert all(VALUE not in repr(error) for error in chain)
