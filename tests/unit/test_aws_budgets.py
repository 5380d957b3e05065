"""The worst case of each AWS client, from its real Config, against the function's timeout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.config import Config
from botocore.retries.standard import (
    ExponentialBackoff,
    RetryContext,
    RetryEventAdapter,
    ThrottlingErrorDetector,
)

from contact_relay.adapters.aws_budgets import (
    longest_botocore_backoff,
    total_attempts,
    worst_case_seconds,
)
from contact_relay.adapters.aws_errors import DYNAMODB_CLIENT_CONFIG, SES_CLIENT_CONFIG
from contact_relay.adapters.ses_mailer import SEND_RETRIES, SendRetries, SESMailer
from tests.template_facts import function_timeout_seconds

if TYPE_CHECKING:
    from botocore.config import _RetryDict

# "Well inside the function timeout": one call, retries included, in a third of it.
SHARE_OF_TIMEOUT = 1 / 3


def test_the_function_timeout_is_read_from_the_template() -> None:
    assert function_timeout_seconds() == 20


@pytest.mark.parametrize(
    ("client", "config"),
    [("dynamodb", DYNAMODB_CLIENT_CONFIG), ("sesv2", SES_CLIENT_CONFIG)],
)
def test_each_client_s_worst_case_is_within_a_third_of_the_timeout(
    client: str, config: Config
) -> None:
    budget = function_timeout_seconds() * SHARE_OF_TIMEOUT

    assert worst_case_seconds(config) <= budget, client


def test_the_ses_path_with_the_mailer_s_own_retries_is_within_a_third_of_the_timeout() -> None:
    budget = function_timeout_seconds() * SHARE_OF_TIMEOUT

    assert SEND_RETRIES.worst_case_seconds(SES_CLIENT_CONFIG) <= budget


def test_botocore_never_retries_for_either_client() -> None:
    # A retried SendEmail can send twice; a retried rate-limit ADD counts twice.
    assert total_attempts(SES_CLIENT_CONFIG) == 1
    assert total_attempts(DYNAMODB_CLIENT_CONFIG) == 1


def test_the_config_all_clients_shared_was_beyond_the_timeout() -> None:
    # Three attempts of 2 s + 5 s, and two backoffs of up to 1 + 5 and 2 + 5 seconds.
    shared = Config(
        retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=2, read_timeout=5
    )

    assert worst_case_seconds(shared) == 3 * 7 + 6 + 7
    assert worst_case_seconds(shared) > function_timeout_seconds()


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [
        ({"mode": "standard", "total_max_attempts": 1}, 1),
        ({"mode": "standard", "total_max_attempts": 4}, 4),
        ({"mode": "standard", "max_attempts": 2}, 3),  # botocore: retries, not attempts
    ],
)
def test_the_worst_case_is_every_attempt_at_its_timeouts_plus_the_longest_backoffs(
    retries: _RetryDict, attempts: int
) -> None:
    config = Config(retries=retries, connect_timeout=1, read_timeout=2)
    backoffs = [1 + 5, 2 + 5, 4 + 5][: attempts - 1]

    assert total_attempts(config) == attempts
    assert worst_case_seconds(config) == attempts * 3 + sum(backoffs)


def test_timeouts_left_to_botocore_count_as_its_default_of_60_seconds() -> None:
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})

    assert worst_case_seconds(config) == 60 + 60


def test_the_exponential_part_of_botocore_s_backoff_stops_at_20_seconds() -> None:
    assert longest_botocore_backoff(5) == 16 + 5
    assert longest_botocore_backoff(6) == 20 + 5
    assert longest_botocore_backoff(12) == 20 + 5


@pytest.mark.parametrize(
    "config",
    [
        Config(connect_timeout=1, read_timeout=2),  # attempts and mode left to botocore
        Config(retries={"mode": "legacy", "total_max_attempts": 2}, connect_timeout=1),
        Config(retries={"mode": "adaptive", "total_max_attempts": 2}, connect_timeout=1),
    ],
)
def test_a_config_without_a_stated_bound_has_no_worst_case(config: Config) -> None:
    with pytest.raises(ValueError, match="botocore"):
        worst_case_seconds(config)


@pytest.mark.parametrize("retry", range(1, 8))
@pytest.mark.parametrize("service", ["sesv2", "dynamodb"])
@pytest.mark.parametrize("code", ["ThrottlingException", "InternalServerError"])
def test_the_longest_backoff_is_what_botocore_itself_can_sleep(
    retry: int, service: str, code: str
) -> None:
    # Given botocore's own backoff, its jitter at the top, and an answer asking for an hour
    backoff = ExponentialBackoff(
        random=lambda: 1.0,
        service_name=service,
        throttling_detector=ThrottlingErrorDetector(RetryEventAdapter()),
    )
    context = RetryContext(
        attempt_number=retry,
        parsed_response={"Error": {"Code": code}},
        http_response=AWSResponse(
            "https://aws.example",
            400,
            HTTPHeaders.from_dict({"x-amz-retry-after": "3600000"}),
            None,
        ),
    )

    # When botocore works out its sleep, Then it is no longer than ours, and for a throttling
    # answer exactly as long (the bound is the tightest one)
    slept = backoff.delay_amount(context)
    assert slept <= longest_botocore_backoff(retry)
    if code == "ThrottlingException":
        assert slept == pytest.approx(longest_botocore_backoff(retry))


def test_the_ses_path_is_bounded_by_its_retry_window_when_attempts_are_long() -> None:
    slow = Config(
        retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=1, read_timeout=3
    )
    retries = SendRetries(attempts=3, retries_end_seconds=2.0)

    assert retries.worst_case_seconds(slow) == 2.0 + 4
    assert SendRetries(attempts=1).worst_case_seconds(slow) == 4


@pytest.fixture
def sent_configs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Config]]:
    """The Config of every SendEmail made while the test runs; SES itself is never called."""
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    events = boto3.DEFAULT_SESSION.events
    configs: list[Config] = []

    # botocore takes a before-call handler's answer for the call's (its stubs say None).
    def answer(context: dict[str, Any], **_: Any) -> Any:
        configs.append(context["client_config"])
        return AWSResponse("https://email.example", 200, HTTPHeaders(), None), {
            "MessageId": "ses-1"
        }

    events.register("before-call.sesv2.SendEmail", answer)
    yield configs
    events.unregister("before-call.sesv2.SendEmail", answer)


def test_a_mailer_given_no_client_builds_one_from_the_ses_config(
    sent_configs: list[Config],
) -> None:
    SESMailer("noreply@relay.example").send(b"From: x@relay.example\r\n\r\nhi\r\n")

    [config] = sent_configs
    assert total_attempts(config) == 1
    assert worst_case_seconds(config) == worst_case_seconds(SES_CLIENT_CONFIG)
