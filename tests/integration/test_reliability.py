"""Reliability and abuse, through lambda_handler with the real adapters under moto."""

from __future__ import annotations

import inspect
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from contact_relay.adapters.aws_budgets import total_attempts, worst_case_seconds
from contact_relay.adapters.captcha import CaptchaExpectations, SiteVerifyCaptcha
from contact_relay.adapters.dynamodb_messages import DynamoDBMessageLedger
from contact_relay.adapters.dynamodb_sellers import DynamoDBSellerDirectory
from contact_relay.adapters.ses_mailer import SEND_RETRIES, SESMailer
from contact_relay.environment_variables import ConfigurationError
from contact_relay.handlers import contact
from contact_relay.handlers.app import create_app
from contact_relay.handlers.delivery_events import SELLER_MARKED_BOUNCING
from contact_relay.handlers.error_responses import BUYER_LIMIT_REACHED
from contact_relay.handlers.inbound import DROPPED as INBOUND_DROPPED
from contact_relay.handlers.wiring import policy_from
from contact_relay.observability import metrics
from contact_relay.service import ContactRelay
from contact_relay.settings import load_settings
from tests.support import (
    TEST_ENVIRONMENT,
    FakeLambdaContext,
    LoopbackSiteVerify,
    SiteVerifyForm,
    confirmer_of,
    contact_body,
    default_session_events,
    deliver_directly,
    header,
    load_event,
    lookups_of,
    post_event,
    response_json,
    with_header,
)
from tests.template_facts import AlarmedMetric, alarmed_metrics, function_timeout_seconds


@pytest.fixture
def atomic_moto(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies a conditional write atomically; moto checks the condition and writes in
    separate Python steps, so under threads two writers can both pass. One lock around moto's
    item operations restores the guarantee the relay relies on (and nothing else changes)."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    for name in ("get_item", "put_item", "update_item", "delete_item"):
        original = getattr(DynamoDBBackend, name)

        def locked(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(*args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)


def parallel(calls: int, make_event: Any) -> list[dict[str, Any]]:
    """Invoke the handler from `calls` threads at once, each a Lambda environment of its own.

    What the threads share that environments would not: Powertools' metric set, one per process,
    which the handler's decorators flush after each request. One environment runs one request
    at a time, so its flush never races; ten threads did, about one run in twenty ("Must contain
    at least one metric"). So the threads run the handler inside its decorators, and the metrics
    they counted are dropped once they are done."""
    handler = inspect.unwrap(contact.lambda_handler)
    barrier = threading.Barrier(calls)
    responses: list[dict[str, Any]] = [{}] * calls
    failures: list[BaseException] = []

    def run(index: int) -> None:
        event = make_event(index)
        barrier.wait()
        try:
            responses[index] = handler(event, FakeLambdaContext())
        except BaseException as exc:  # re-raised below, in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    metrics.clear_metrics()
    if failures:
        raise failures[0]
    return responses


def test_ten_parallel_requests_with_one_key_send_exactly_one_email(
    aws: Any, atomic_moto: None
) -> None:
    body = contact_body(message="Parallel, but only once")

    responses = parallel(10, lambda _: post_event(body, headers={"Idempotency-Key": "race-1"}))

    assert len(aws.sent_raw()) == 1
    statuses = sorted(response["statusCode"] for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    accepted = [response_json(r)["messageId"] for r in responses if r["statusCode"] == 201]
    assert accepted and len(set(accepted)) == 1
    for response in responses:
        if response["statusCode"] == 409:
            assert response_json(response)["error"]["code"] == "request_in_progress"
            assert int(header(response, "Retry-After") or 0) >= 1


def test_ten_parallel_identical_requests_without_a_key_send_exactly_one_email(
    aws: Any, atomic_moto: None
) -> None:
    body = contact_body(message="Double-clicked send button")

    responses = parallel(10, lambda _: post_event(body))

    assert len(aws.sent_raw()) == 1
    assert {r["statusCode"] for r in responses} <= {201, 409}
    assert len({response_json(r)["messageId"] for r in responses if r["statusCode"] == 201}) == 1


def test_the_same_message_without_a_key_is_the_same_request(invoke: Any, aws: Any) -> None:
    first = invoke(post_event(contact_body(message="Is it <b>blue</b>?")))
    # The same reduced text, written differently, from the same buyer (any case of address):
    # the seller would read the same email.
    buyer = {**contact_body()["buyer"], "email": "HANAKO@example.com"}
    again = invoke(post_event(contact_body(message="Is it blue?", buyer=buyer)))

    assert first["statusCode"] == again["statusCode"] == 201
    assert response_json(first)["messageId"] == response_json(again)["messageId"]
    assert len(aws.sent_raw()) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"message": "Is it red?"},
        {"topic": "other"},
        {"buyer": {"name": "Hanako Yamada", "email": "other@example.com"}},
    ],
)
def test_a_different_message_buyer_or_topic_is_a_new_request(
    invoke: Any, aws: Any, change: dict[str, Any]
) -> None:
    invoke(post_event(contact_body(message="Is it blue?")))

    second = invoke(post_event(contact_body(**{"message": "Is it blue?", **change})))

    assert second["statusCode"] == 201
    assert len(aws.sent_raw()) == 2


def test_the_buyer_limit_answers_429_with_retry_after_and_sends_nothing_more(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_BUYER_PER_HOUR", "2")

    statuses = [
        invoke(post_event(contact_body(message=f"Question {n}")))["statusCode"] for n in range(3)
    ]
    limited = invoke(post_event(contact_body(message="Question 4")))

    assert statuses == [201, 201, 429]
    error = response_json(limited)["error"]
    assert error["code"] == "rate_limited"
    # The page can tell the buyer which limit: this address's, not the network's.
    assert error["details"] == [{"field": "buyer.email", "issue": BUYER_LIMIT_REACHED}]
    assert "email address" in error["message"]
    assert 1 <= int(header(limited, "Retry-After") or 0) <= 3600
    assert len(aws.sent_raw()) == 2
    # Another buyer from the same address is not limited by this buyer's count.
    other = invoke(
        post_event(contact_body(message="Hi", buyer={"name": "B", "email": "b@example.com"}))
    )
    assert other["statusCode"] == 201


def test_the_source_ip_limit_counts_every_buyer_from_that_address(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_SOURCE_IP_PER_HOUR", "2")
    buyers = [{"name": f"B{n}", "email": f"b{n}@example.com"} for n in range(3)]

    answers = [invoke(post_event(contact_body(buyer=buyer))) for buyer in buyers]

    assert [answer["statusCode"] for answer in answers] == [201, 201, 429]
    error = response_json(answers[-1])["error"]
    assert "details" not in error and "network" in error["message"]
    assert len(aws.sent_raw()) == 2


def test_a_limit_of_zero_turns_it_off(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_BUYER_PER_HOUR", "0")
    monkeypatch.setenv("RATE_LIMIT_SOURCE_IP_PER_HOUR", "0")

    statuses = {invoke(post_event(contact_body(message=f"Q{n}")))["statusCode"] for n in range(25)}

    assert statuses == {201}
    assert aws.dynamodb.scan(TableName="contact-relay-rate-limits")["Count"] == 0


def test_rate_limit_rows_hold_no_address_and_expire(invoke: Any, aws: Any) -> None:
    before = time.time()
    assert invoke(post_event(contact_body()))["statusCode"] == 201

    rows = aws.dynamodb.scan(TableName="contact-relay-rate-limits")["Items"]
    assert len(rows) == 2
    dump = json.dumps(rows)
    assert "hanako" not in dump and "203.0.113.7" not in dump
    # Gone by TTL after the hour it counts, not before it ends and not days later.
    hour_end = (int(before) // 3600 + 1) * 3600
    assert all(hour_end <= int(row["expiresAt"]["N"]) <= hour_end + 2 * 3600 for row in rows)


def test_a_retried_idempotent_request_does_not_use_up_the_limit(
    invoke: Any, aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_BUYER_PER_HOUR", "1")

    answers = [
        invoke(post_event(contact_body(), headers={"Idempotency-Key": "retry"}))["statusCode"]
        for _ in range(3)
    ]

    assert answers == [201, 201, 201]
    assert len(aws.sent_raw()) == 1


def test_a_filled_honeypot_is_counted_and_sends_nothing(
    invoke: Any, aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    response = invoke(post_event(contact_body(website="https://spam.example")))

    assert response["statusCode"] == 201
    assert aws.sent_raw() == []
    assert '"HoneypotFilled":[1.0]' in capsys.readouterr().out


# Faults: botocore's own event hooks make DynamoDB or SES fail for the relay's real clients.


class Faults:
    """Make the relay's own boto3 clients fail, through botocore's event hooks."""

    def __init__(self) -> None:
        self._events = default_session_events()
        self._registered: list[tuple[str, Any]] = []

    def inject(self, event_name: str, error: Exception, table: str | None = None) -> None:
        """Fail every call `event_name` names, or only those to `table` (which the call's
        parameters name in a `before-parameter-build` event)."""

        def fail(params: dict[str, Any], **_: Any) -> None:
            if table is None or params.get("TableName") == table:
                raise error

        self.hook(event_name, fail)

    def hook(self, event_name: str, handler: Any) -> None:
        """Run `handler` on every `event_name` the relay's clients emit."""
        self._events.register(event_name, handler)
        self._registered.append((event_name, handler))
        contact.environments.start_cold()  # the next cold start builds clients that see the hook

    def clear(self) -> None:
        for event_name, handler in self._registered:
            self._events.unregister(event_name, handler)
        self._registered.clear()
        contact.environments.start_cold()


@pytest.fixture
def faults(aws: Any) -> Iterator[Faults]:
    injected = Faults()
    yield injected
    injected.clear()


def client_error(code: str, status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": "aws detail text"},
            # What the adapters read of it (botocore's stubs want all five fields).
            "ResponseMetadata": {"HTTPStatusCode": status},  # type: ignore[typeddict-item]
        },
        "op",
    )


@pytest.mark.parametrize(
    ("event_name", "error", "status", "code"),
    [
        (
            "before-call.dynamodb.GetItem",
            client_error("ProvisionedThroughputExceededException"),
            503,
            "service_unavailable",
        ),
        (
            "before-call.dynamodb.GetItem",
            client_error("InternalServerError", 500),
            503,
            "service_unavailable",
        ),
        (
            "before-call.dynamodb.UpdateItem",
            client_error("ThrottlingException"),
            503,
            "service_unavailable",
        ),
        (
            "before-call.sesv2.SendEmail",
            client_error("TooManyRequestsException", 429),
            503,
            "service_unavailable",
        ),
        ("before-call.sesv2.SendEmail", client_error("MessageRejected"), 502, "delivery_failed"),
        (
            "before-call.sesv2.SendEmail",
            client_error("AccountSuspendedException"),
            502,
            "delivery_failed",
        ),
        (
            "before-call.sesv2.SendEmail",
            client_error("SendingPausedException"),
            502,
            "delivery_failed",
        ),
        (
            "before-call.sesv2.SendEmail",
            client_error("AccessDeniedException", 403),
            502,
            "delivery_failed",
        ),
    ],
)
def test_faults_map_to_502_or_503_with_no_aws_text_and_nothing_sent(
    invoke: Any, aws: Any, faults: Faults, event_name: str, error: Exception, status: int, code: str
) -> None:
    faults.inject(event_name, error)

    response = invoke(post_event(contact_body(), headers={"Idempotency-Key": "fault-1"}))

    assert response["statusCode"] == status
    assert response_json(response)["error"]["code"] == code
    assert "aws detail text" not in response["body"] and "Traceback" not in response["body"]
    if status == 503:
        assert int(header(response, "Retry-After") or 0) >= 1
    else:
        assert header(response, "Retry-After") is None  # SES refused for good: do not retry
    assert aws.sent_raw() == []


def test_a_failed_send_is_recorded_with_its_reason_and_a_retry_sends_once(
    invoke: Any, aws: Any, faults: Faults
) -> None:
    # Given SES throttling the first attempt
    faults.inject("before-call.sesv2.SendEmail", client_error("TooManyRequestsException", 429))
    failed = invoke(post_event(contact_body(), headers={"Idempotency-Key": "retry-after-throttle"}))
    [row] = aws.message_rows()

    # When the throttling ends and the buyer retries with the same key, twice
    faults.clear()
    retried = invoke(
        post_event(contact_body(), headers={"Idempotency-Key": "retry-after-throttle"})
    )
    again = invoke(post_event(contact_body(), headers={"Idempotency-Key": "retry-after-throttle"}))

    # Then the failure was recorded, and exactly one email went out
    assert failed["statusCode"] == 503
    assert (row["status"], row["failureReason"]) == ("failed", "TooManyRequestsException")
    assert retried["statusCode"] == again["statusCode"] == 201
    assert len(aws.sent_raw()) == 1


def test_access_denied_is_502_delivery_failed_counted_logged_and_never_retried(
    invoke: Any,
    aws: Any,
    faults: Faults,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a function role SES refuses to send for
    calls = count_send_calls(faults)
    faults.inject("before-call.sesv2.SendEmail", client_error("AccessDeniedException", 403))

    # When a buyer writes
    response = invoke(post_event(contact_body(), headers={"Idempotency-Key": "denied-1"}))

    # Then the buyer hears it failed for good (no Retry-After), nothing was retried or sent,
    # and an operator gets the AWS code and the metric the DeliveryMisconfigured alarm watches
    assert response["statusCode"] == 502
    assert response_json(response)["error"]["code"] == "delivery_failed"
    assert header(response, "Retry-After") is None
    assert calls == [1] and aws.sent_raw() == []
    emitted = emitted_metrics(capsys.readouterr().out)
    assert ("ContactRelay", "DeliveryMisconfigured", SERVICE_DIMENSION) in emitted
    [logged] = [r for r in caplog.records if r.name == "contact-relay" and r.levelname == "ERROR"]
    assert getattr(logged, "reason", None) == "AccessDeniedException"
    assert "hanako" not in logged.getMessage()


def test_a_read_timeout_after_ses_accepted_sends_at_most_one_email(
    invoke: Any, aws: Any, faults: Faults
) -> None:
    # Given SES that takes the email, and an answer that never comes back
    calls = count_send_calls(faults)

    def lose_the_answer(event_name: str, **_: Any) -> None:
        if event_name == "before-send.sesv2.SendEmail":
            raise ReadTimeoutError(endpoint_url="https://email.us-east-1.amazonaws.com")

    # Registered after moto's own before-send handler, so it runs once moto has taken the email.
    faults.hook("before-send", lose_the_answer)

    # When the buyer writes, and then retries with the same key
    first = invoke(post_event(contact_body(), headers={"Idempotency-Key": "lost-answer"}))
    again = invoke(post_event(contact_body(), headers={"Idempotency-Key": "lost-answer"}))

    # Then SES was asked once and one email went out; no answer claimed that nothing was sent
    assert calls == [1]
    assert len(aws.sent_raw()) == 1
    for response in (first, again):
        assert response["statusCode"] not in {201, 503}, response["body"]


def test_every_client_the_handler_builds_fits_its_budget_and_never_retries_ses(
    invoke: Any, faults: Faults
) -> None:
    # Given the Config of every call the deployed wiring makes, as botocore sees it
    configs: dict[str, list[Any]] = {"sesv2": [], "dynamodb": []}
    for service, seen in configs.items():
        faults.hook(
            f"before-call.{service}",
            lambda context, _seen=seen, **_: _seen.append(context["client_config"]),
        )

    # When a message is sent
    assert invoke(post_event(contact_body()))["statusCode"] == 201

    # Then each call, retries included, fits in a third of the function timeout, and SendEmail
    # is attempted once per call
    budget = function_timeout_seconds() / 3
    assert configs["sesv2"] and configs["dynamodb"]
    for config in configs["dynamodb"]:
        assert worst_case_seconds(config) <= budget
    for config in configs["sesv2"]:
        assert total_attempts(config) == 1
        assert SEND_RETRIES.worst_case_seconds(config) <= budget


# Each metric an alarm in template.yaml watches, and a fault that makes the function emit it.
ALARM_TRIGGERS: dict[str, tuple[str, ClientError] | tuple[str, ClientError, str]] = {
    "Error_delivery_failed": ("before-call.sesv2.SendEmail", client_error("MessageRejected")),
    "DeliveryMisconfigured": (
        "before-call.sesv2.SendEmail",
        client_error("AccessDeniedException", 403),
    ),
    "Error_service_unavailable": (
        "before-call.sesv2.SendEmail",
        client_error("InternalFailure", 500),
    ),
    # Completing the idempotency record after the send (the rate limits use UpdateItem too).
    "IdempotencyRecordIncomplete": (
        "before-parameter-build.dynamodb.UpdateItem",
        client_error("ProvisionedThroughputExceededException"),
        TEST_ENVIRONMENT["IDEMPOTENCY_TABLE"],
    ),
}


# The other functions' own alarms: test_delivery_events and test_inbound make them emit theirs.
CONTACT_FUNCTION_ALARMS = [
    alarmed
    for alarmed in alarmed_metrics()
    if alarmed.name != SELLER_MARKED_BOUNCING and not alarmed.name.startswith(INBOUND_DROPPED)
]


@pytest.mark.parametrize("alarmed", CONTACT_FUNCTION_ALARMS, ids=lambda alarmed: alarmed.alarm)
def test_every_alarm_on_the_function_s_metrics_watches_one_it_emits(
    invoke: Any,
    faults: Faults,
    capsys: pytest.CaptureFixture[str],
    alarmed: AlarmedMetric,
) -> None:
    # A metric renamed in the code (or the template) leaves its alarm watching nothing.
    assert alarmed.name in ALARM_TRIGGERS, f"no test makes the function emit {alarmed.name}"
    event_name, error, *table = ALARM_TRIGGERS[alarmed.name]
    faults.inject(event_name, error, *table)
    capsys.readouterr()

    invoke(post_event(contact_body()))

    output = capsys.readouterr().out
    emitted = emitted_metrics(output)
    assert (alarmed.namespace, alarmed.name, alarmed.dimensions) in emitted, sorted(emitted)
    # EMF takes a metric without a unit, and CloudWatch then files it under "None".
    assert emitted_units(output)[alarmed.name] == "Count"
    # One request, one count: the alarm sums them, and a dashboard counts events by them.
    assert emitted_values(output)[alarmed.name] == [1]


SERVICE_DIMENSION = frozenset({("service", "contact-relay")})


def count_send_calls(faults: Faults) -> list[int]:
    """A one-item list holding how many times the relay calls SendEmail (botocore's own retries
    of a call would not show here, but each would reach moto and add an email)."""
    calls = [0]

    def count(**_: Any) -> None:
        calls[0] += 1

    faults.hook("before-call.sesv2.SendEmail", count)  # before any fault injected after it
    return calls


def _emf_blobs(output: str) -> list[dict[str, Any]]:
    blobs = []
    for line in output.splitlines():
        with suppress(ValueError):
            blobs.append(json.loads(line))
    return [blob for blob in blobs if isinstance(blob, dict)]


def _emitted(output: str) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(blob, directive, metric) for every metric in the EMF blobs printed on stdout."""
    for blob in _emf_blobs(output):
        for directive in blob.get("_aws", {}).get("CloudWatchMetrics", []):
            for metric in directive["Metrics"]:
                yield blob, directive, metric


def emitted_units(output: str) -> dict[str, str | None]:
    """The unit each metric was emitted with, by name."""
    return {metric["Name"]: metric.get("Unit") for _, _, metric in _emitted(output)}


def emitted_values(output: str) -> dict[str, list[float]]:
    """The values each metric was emitted with, by name."""
    values: dict[str, list[float]] = {}
    for blob, _, metric in _emitted(output):
        value = blob[metric["Name"]]
        values.setdefault(metric["Name"], []).extend(value if isinstance(value, list) else [value])
    return values


def emitted_metrics(output: str) -> set[tuple[str, str, frozenset[tuple[str, str]]]]:
    """(namespace, name, dimensions) of every metric in the EMF blobs printed on stdout, as
    CloudWatch reads them: a metric is identified by all three."""
    return {
        (directive["Namespace"], metric["Name"], frozenset((n, blob[n]) for n in dimension_names))
        for blob, directive, metric in _emitted(output)
        for dimension_names in directive["Dimensions"]
    }


# Captcha: a verifier on loopback speaking the siteverify protocol.


# The loopback provider answers `success` alone: no hostname, action or score to check here
# (tests/unit/test_captcha.py checks those, per provider).
TURNSTILE_EXPECTATIONS = CaptchaExpectations.of("turnstile", ["shop.example"], "contact", 0.5)


@pytest.fixture
def siteverify_url() -> Iterator[str]:
    def answer(form: SiteVerifyForm) -> dict[str, Any]:
        passed = form.get("secret") == ["s3cret"] and form.get("response") == ["good-token"]
        return {"success": passed}

    site = LoopbackSiteVerify(answer)
    yield site.url
    site.close()


def test_the_captcha_verifier_is_off_by_default(invoke: Any) -> None:
    assert invoke(post_event(contact_body()))["statusCode"] == 201


def _app_verifying_at(siteverify_url: str, aws: Any) -> Any:
    """The real adapters under moto, with the siteverify client pointed at a loopback provider
    (the deployed settings insist on https, which a test server on loopback cannot offer)."""
    settings = load_settings()
    relay = ContactRelay(
        sellers=DynamoDBSellerDirectory(settings.sellers_table, aws.dynamodb),
        mailer=SESMailer(settings.sender_address, None, aws.sesv2),
        ledger=DynamoDBMessageLedger(settings.messages_table, aws.dynamodb),
        policy=policy_from(settings),
        human_check=SiteVerifyCaptcha(siteverify_url, "s3cret", TURNSTILE_EXPECTATIONS),
    )
    return create_app(settings, deliver_directly(relay), lookups_of(), confirmer_of())


@pytest.mark.parametrize(
    ("token", "status", "issue"),
    [
        ("good-token", 201, None),
        ("forged", 422, "did not pass verification"),
        (None, 422, "is required"),
    ],
)
def test_a_configured_verifier_gates_sending(
    aws: Any, siteverify_url: str, token: str | None, status: int, issue: str | None
) -> None:
    app = _app_verifying_at(siteverify_url, aws)
    body = contact_body(**({"captchaToken": token} if token else {}))

    response = app.resolve(post_event(body), FakeLambdaContext())

    assert response["statusCode"] == status
    if issue:
        assert response_json(response)["error"]["details"] == [
            {"field": "captchaToken", "issue": issue}
        ]
    assert len(aws.sent_raw()) == (1 if status == 201 else 0)


def test_an_unreachable_verifier_is_503_and_sends_nothing(aws: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = _app_verifying_at(f"http://127.0.0.1:{closed_port}/siteverify", aws)

    response = app.resolve(post_event(contact_body(captchaToken="good-token")), FakeLambdaContext())

    assert response["statusCode"] == 503
    assert response_json(response)["error"]["code"] == "service_unavailable"
    assert int(header(response, "Retry-After") or 0) > 0
    assert aws.sent_raw() == [] and aws.message_rows() == []


def test_captcha_settings_come_together_and_only_over_https(environment: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="CAPTCHA_VERIFY_URL and CAPTCHA_SECRET"):
        load_settings({**environment, "CAPTCHA_VERIFY_URL": "https://verify.example/siteverify"})
    with pytest.raises(ConfigurationError, match="CAPTCHA_VERIFY_URL"):
        load_settings(
            {**environment, "CAPTCHA_VERIFY_URL": "http://verify.example", "CAPTCHA_SECRET": "x"}
        )


# CORS


def test_a_preflight_from_an_allowed_origin_is_answered(
    invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://shop.example")
    event = load_event("post-shipping")
    event["httpMethod"], event["body"] = "OPTIONS", None
    with_header(event, "Access-Control-Request-Method", "POST")
    with_header(event, "Access-Control-Request-Headers", "content-type,idempotency-key")

    response = invoke(event)

    assert response["statusCode"] == 204
    assert header(response, "Access-Control-Allow-Origin") == "https://shop.example"
    assert "POST" in (header(response, "Access-Control-Allow-Methods") or "")
    allowed_headers = (header(response, "Access-Control-Allow-Headers") or "").lower()
    assert {"idempotency-key", "content-type"} <= set(allowed_headers.replace(" ", "").split(","))
    # The browser may keep the answer ten minutes instead of asking before every message.
    assert header(response, "Access-Control-Max-Age") == "600"


def test_a_preflight_from_another_origin_gets_no_cors_headers(
    invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://shop.example")
    event = with_header(load_event("post-shipping"), "Origin", "https://evil.example")
    event["httpMethod"], event["body"] = "OPTIONS", None

    response = invoke(event)

    assert header(response, "Access-Control-Allow-Origin") is None


def test_error_answers_carry_cors_headers_for_allowed_origins(
    invoke: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://shop.example")

    for name in ("bad-unknown-seller", "bad-invalid-json", "bad-unsupported-media-type"):
        response = invoke(load_event(name))
        assert response["statusCode"] >= 400
        assert header(response, "Access-Control-Allow-Origin") == "https://shop.example", name
