"""Secret values from AWS Secrets Manager, each read once per execution environment.

The function's configuration holds only where a secret is (its ARN); its value is read at cold
start with `secretsmanager:GetSecretValue` on exactly that ARN, kept in memory and never logged,
traced or put in an exception. A secret that cannot be read fails the cold start with a
ConfigurationError naming the variable that points to it: the relay never runs without it.

A plain boto3 call, not Powertools' `parameters.get_secret`: that keeps values in a module-wide
cache that expires (300 s by default, so a warm environment would call again), wraps every
failure in GetParameterError with the AWS message as its text (the code that says "access
denied" vs "throttled" is gone), and builds its own client without the relay's timeouts.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from contact_relay.adapters.aws_errors import AWS_CLIENT_CONFIG, error_code, unavailable
from contact_relay.environment_variables import ConfigurationError
from contact_relay.observability import tracer

# Codes that no retry fixes: the ARN, the permissions, the KMS key or the secret's state is wrong.
_CONFIGURATION_FAULTS = frozenset(
    {
        "AccessDeniedException",
        "ResourceNotFoundException",
        "DecryptionFailure",
        "InvalidRequestException",
        "InvalidParameterException",
        "UnrecognizedClientException",
    }
)


class SecretReader:
    """Reads secrets by ARN; each ARN is fetched at most once in the life of this reader (one
    reader per execution environment, built with the rest of the cold-start wiring)."""

    def __init__(self, client: Any = None) -> None:
        # Typed as Any: boto3-stubs' secretsmanager package is not among the dev dependencies.
        self._client = client or boto3.client("secretsmanager", config=AWS_CLIENT_CONFIG)
        self._values: dict[str, str] = {}

    def read(self, variable: str, arn: str) -> str:
        """The SecretString of the secret at `arn`, which the environment variable `variable`
        named. Raises ConfigurationError (naming `variable`) when the secret cannot be read or
        holds no usable text; DependencyUnavailable when Secrets Manager is throttling or down."""
        if arn not in self._values:
            self._values[arn] = self._fetch(variable, arn)
        return self._values[arn]

    @tracer.capture_method(capture_response=False)
    def _fetch(self, variable: str, arn: str) -> str:
        try:
            answer = self._client.get_secret_value(SecretId=arn)
        except ClientError as exc:
            code = error_code(exc)
            if code in _CONFIGURATION_FAULTS:
                raise ConfigurationError(
                    f"{variable}: the secret {arn} cannot be read ({code})"
                ) from exc
            raise unavailable("secretsmanager", exc) from exc
        except BotoCoreError as exc:
            raise unavailable("secretsmanager", exc) from exc
        value = answer.get("SecretString")
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(
                f"{variable}: the secret {arn} holds no text (store the value as plaintext)"
            )
        if _is_json_object(value):
            raise ConfigurationError(
                f"{variable}: the secret {arn} holds key/value pairs; store the bare value "
                "as plaintext"
            )
        return value

    def __repr__(self) -> str:
        return f"SecretReader(read={sorted(self._values)})"


def _is_json_object(value: str) -> bool:
    """The console's default secret type stores {"key": "value"}: a common mistake, and never a
    captcha secret or a generated key."""
    if not value.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False
