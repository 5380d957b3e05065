"""One email per request, in one warm environment, whatever the retries: keyed and key-less
requests mixed, a key from two buyers or to two sellers, a retry from another network or with
another captcha token, a send SES may have accepted, and the order of the checks."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
)
from botocore.exceptions import ClientError

from contact_relay.digests import Digester
from contact_relay.errors import DeliveryUnconfirmed, RateLimited
from contact_relay.handlers.idempotency import (
    CONTENT_KEY_TTL_SECONDS,
    IDEMPOTENCY_TTL_SECONDS,
    OncePerRequest,
)
from contact_relay.service import ContactRelay, Inquiry, RelayPolicy
from tests.fakes import InMemoryLedger, InMemorySellers, RecordingMailer
from tests.support import (
    TEST_DIGEST_KEY,
    TEST_ENVIRONMENT,
    confirmer_of,
    contact_body,
    header,
    lookups_of,
    post_event,
    response_json,
)

IDEMPOTENCY_TABLE = TEST_ENVIRONMENT["IDEMPOTENCY_TABLE"]
DIGESTER = Digester(TEST_DIGEST_KEY.encode())


def _post(invoke: Any, buyer: str, key: str | None = None, **body: Any) -> dict[str, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    buyer_fields = {"name": "Buyer", "email": buyer}
    return dict(invoke(post_event(contact_body(buyer=buyer_fields, **body), headers=headers)))


def _answer(response: dict[str, Any]) -> tuple[int, str]:
    return response["statusCode"], response_json(response).get("messageId", "")


@pytest.mark.parametrize("keyed_first", [True, False])
def test_keyed_and_key_less_requests_mix_in_one_environment(
    invoke: Any, aws: Any, keyed_first: bool
) -> None:
    # Two buyers write to one seller, one with a key and one without, in either order, then
    # each retries. Once, the first key configured a persistence layer both shared: the
    # key-less buyer got "Idempotency-Key was already used", or a retried key sent twice.
    def keyed() -> dict[str, Any]:
        return _post(invoke, "hanako@example.com", key="order-503-ask-1")

    def key_less() -> dict[str, Any]:
        return _post(invoke, "taro@example.com", message="Is the blue one in stock?")

    first, second = (keyed, key_less) if keyed_first else (key_less, keyed)

    answers = [_answer(first()), _answer(second())]
    retries = [_answer(first()), _answer(second())]

    assert [status for status, _ in answers] == [201, 201]
    assert retries == answers
    assert answers[0][1] != answers[1][1]
    assert len(aws.sent_raw()) == 2


def test_two_keys_from_one_buyer_are_two_requests_even_for_one_message(
    invoke: Any, aws: Any
) -> None:
    # The key is the buyer's word for "this request": a new key asks to send again (make
    # mutate: a keyed record without its key answered the second from the first).
    first = _answer(_post(invoke, "hanako@example.com", key="k-a"))
    second = _answer(_post(invoke, "hanako@example.com", key="k-b"))

    assert (first[0], second[0]) == (201, 201)
    assert first[1] != second[1]
    assert len(aws.sent_raw()) == 2


def test_one_key_from_two_buyers_is_two_requests(invoke: Any, aws: Any) -> None:
    # A key someone guessed or saw does not claim the buyer's own request.
    mine = _answer(_post(invoke, "hanako@example.com", key="k-1"))
    theirs = _answer(_post(invoke, "mallory@example.com", key="k-1"))

    assert (mine[0], theirs[0]) == (201, 201)
    assert mine[1] != theirs[1]
    assert len(aws.sent_raw()) == 2


def test_one_key_to_two_sellers_is_two_requests(invoke: Any, aws: Any) -> None:
    to_one = invoke(
        post_event(contact_body(), seller_id="example-store", headers={"Idempotency-Key": "k"})
    )
    to_another = invoke(
        post_event(contact_body(), seller_id="tokyo-tea", headers={"Idempotency-Key": "k"})
    )

    assert (to_one["statusCode"], to_another["statusCode"]) == (201, 201)
    assert len(aws.sent_raw()) == 2


def test_a_key_is_matched_by_case_insensitive_buyer_address(invoke: Any, aws: Any) -> None:
    first = _answer(_post(invoke, "hanako@example.com", key="k-2"))
    again = _answer(_post(invoke, "HANAKO@example.com", key="k-2"))

    assert again == first
    assert len(aws.sent_raw()) == 1


def test_a_key_reused_for_another_message_is_refused_and_sends_nothing(
    invoke: Any, aws: Any
) -> None:
    assert _post(invoke, "hanako@example.com", key="k-3")["statusCode"] == 201

    reused = _post(invoke, "hanako@example.com", key="k-3", message="Something else entirely")

    assert reused["statusCode"] == 422
    assert response_json(reused)["error"]["details"] == [
        {"field": "Idempotency-Key", "issue": "was already used for a different request"}
    ]
    assert len(aws.sent_raw()) == 1


def _expiries(aws: Any) -> list[int]:
    items = aws.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]
    return [int(item["expiration"]["N"]) for item in items]


def test_a_keyed_request_is_remembered_for_a_day(invoke: Any, aws: Any) -> None:
    before = time.time()
    _post(invoke, "hanako@example.com", key="k-4")

    [expiry] = _expiries(aws)

    assert IDEMPOTENCY_TTL_SECONDS == 24 * 60 * 60
    assert before + IDEMPOTENCY_TTL_SECONDS - 5 <= expiry <= time.time() + IDEMPOTENCY_TTL_SECONDS


def test_a_key_less_request_is_remembered_for_ten_minutes(invoke: Any, aws: Any) -> None:
    before = time.time()
    _post(invoke, "hanako@example.com")

    [expiry] = _expiries(aws)

    assert CONTENT_KEY_TTL_SECONDS == 10 * 60
    assert before + CONTENT_KEY_TTL_SECONDS - 5 <= expiry <= time.time() + CONTENT_KEY_TTL_SECONDS


# The delivery with fakes around it: what the checks cost and in which order they run.


@dataclass
class SingleUseCaptcha:
    """A provider whose tokens pass once, as Turnstile's and reCAPTCHA's do."""

    used: list[str] = field(default_factory=list)

    def verify(self, token: str, source_ip: str | None) -> bool:
        if token in self.used or not token.startswith("good"):
            self.used.append(token)
            return False
        self.used.append(token)
        return True


@dataclass
class CountingLimits:
    admitted: list[tuple[str, str | None]] = field(default_factory=list)
    refuse: bool = False

    def admit(self, buyer_email: str, source_ip: str | None) -> None:
        if self.refuse:
            raise RateLimited(60, limit="buyer")
        self.admitted.append((buyer_email, source_ip))


@dataclass
class Harness:
    once: OncePerRequest
    mailer: RecordingMailer
    ledger: InMemoryLedger
    captcha: SingleUseCaptcha
    limits: CountingLimits


@pytest.fixture
def harness(aws: Any) -> Harness:
    sellers = InMemorySellers()
    sellers.add("shop-1")
    mailer, ledger = RecordingMailer(), InMemoryLedger()
    captcha, limits = SingleUseCaptcha(), CountingLimits()
    relay = ContactRelay(
        sellers,
        mailer,
        ledger,
        RelayPolicy(marketplace="Amazon", sender_address="noreply@relay.example"),
        limits=limits,
        human_check=captcha,
    )
    return Harness(
        OncePerRequest(relay, IDEMPOTENCY_TABLE, aws.dynamodb, DIGESTER),
        mailer,
        ledger,
        captcha,
        limits,
    )


INQUIRY = Inquiry(
    seller_id="shop-1",
    topic="shipping",
    message="When will it ship?",
    buyer_name="Hanako",
    buyer_email="hanako@example.com",
    source_ip="198.51.100.1",
    captcha_token="good-1",
)


@pytest.mark.parametrize("key", ["k-5", None])
def test_a_retry_from_another_network_with_another_or_the_same_token_gets_the_first_answer(
    harness: Harness, key: str | None
) -> None:
    first = harness.once.deliver(INQUIRY, key)

    from_elsewhere = harness.once.deliver(
        replace(INQUIRY, source_ip="203.0.113.9", captcha_token="good-2"), key
    )
    with_the_used_token = harness.once.deliver(INQUIRY, key)

    assert from_elsewhere == with_the_used_token == first
    assert len(harness.mailer.sent) == 1
    # The retries were answered from the record: no captcha spent, no limit counted.
    assert harness.captcha.used == ["good-1"]
    assert len(harness.limits.admitted) == 1


def test_a_rate_limited_request_costs_no_captcha_call_and_leaves_no_record(
    harness: Harness, aws: Any
) -> None:
    harness.limits.refuse = True

    with pytest.raises(RateLimited):
        harness.once.deliver(INQUIRY, "k-6")

    assert harness.captcha.used == []
    assert aws.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"] == []
    assert harness.mailer.sent == []


def test_a_refused_captcha_leaves_no_record_so_a_fixed_request_can_send(
    harness: Harness, aws: Any
) -> None:
    with pytest.raises(Exception, match="captcha token refused"):
        harness.once.deliver(replace(INQUIRY, captcha_token="forged"), "k-7")
    assert aws.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"] == []

    answer = harness.once.deliver(INQUIRY, "k-7")

    assert answer["status"] == "sent"
    assert len(harness.mailer.sent) == 1


@dataclass
class AnswerLostMailer:
    """SES took the message, and the answer never came back."""

    calls: int = 0

    def send(self, raw_message: bytes, tags: Mapping[str, str] | None = None) -> str:
        self.calls += 1
        raise DeliveryUnconfirmed("ReadTimeoutError")


@pytest.mark.parametrize("key", ["k-8", None])
def test_a_send_ses_may_have_taken_is_answered_as_unconfirmed_and_never_sent_again(
    aws: Any, key: str | None
) -> None:
    sellers = InMemorySellers()
    sellers.add("shop-1")
    mailer, ledger = AnswerLostMailer(), InMemoryLedger()
    relay = ContactRelay(
        sellers, mailer, ledger, RelayPolicy(marketplace="Amazon", sender_address="n@r.example")
    )
    once = OncePerRequest(relay, IDEMPOTENCY_TABLE, aws.dynamodb, DIGESTER)
    inquiry = replace(INQUIRY, captcha_token=None)

    first = once.deliver(inquiry, key)
    retry = once.deliver(inquiry, key)

    assert first["status"] == "unconfirmed"
    assert "could not confirm" in first["confirmation"]
    assert retry == first
    assert mailer.calls == 1
    [record] = ledger.records
    assert (record.message_id, record.status, record.failure_reason) == (
        first["messageId"],
        "unconfirmed",
        "ReadTimeoutError",
    )


def test_an_unconfirmed_send_is_a_202_over_http(aws: Any) -> None:
    from contact_relay.handlers.app import create_app
    from contact_relay.settings import load_settings
    from tests.support import FakeLambdaContext

    sellers = InMemorySellers()
    sellers.add("example-store")
    relay = ContactRelay(
        sellers,
        AnswerLostMailer(),
        InMemoryLedger(),
        RelayPolicy(marketplace="Amazon", sender_address="n@r.example"),
    )
    once = OncePerRequest(relay, IDEMPOTENCY_TABLE, aws.dynamodb, DIGESTER)
    app = create_app(load_settings(), once.deliver, lookups_of(), confirmer_of())

    response = app.resolve(post_event(contact_body()), FakeLambdaContext())

    assert response["statusCode"] == 202
    assert response_json(response)["status"] == "unconfirmed"
    assert header(response, "Retry-After") is None


def test_an_email_sent_whose_record_could_not_be_completed_is_answered_as_sent(
    harness: Harness, aws: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Powertools completes the record after the send; when that write fails it raises, and
    # the buyer was told 503 "Nothing was sent" of an email that had gone out.
    with _idempotency_table_refusing(aws, "UpdateItem") as refused:
        answer = harness.once.deliver(INQUIRY, "k-9")

    assert refused == ["UpdateItem"]
    assert answer["status"] == "sent"
    assert answer["messageId"] == harness.ledger.records[0].message_id
    assert len(harness.mailer.sent) == 1
    # The error names the message, so an operator can find the email the record lacks.
    [logged] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert logged.getMessage() == "message sent but its idempotency record was not completed"
    assert getattr(logged, "message_id", None) == answer["messageId"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"orderId": "503-1111111-1111111"}, {"orderId": "503-2222222-2222222"}),
        (
            {"buyer": {"name": "Hanako", "email": "hanako@example.com"}},
            {"buyer": {"name": "Hana", "email": "hanako@example.com"}},
        ),
    ],
)
def test_key_less_requests_that_differ_are_two_requests(
    invoke: Any, aws: Any, first: dict[str, Any], second: dict[str, Any]
) -> None:
    answers = [invoke(post_event(contact_body(**body)))["statusCode"] for body in (first, second)]

    assert answers == [201, 201]
    assert len(aws.sent_raw()) == 2


def test_an_inconsistent_record_is_answered_like_one_in_progress(aws: Any) -> None:
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyInconsistentStateError,
    )

    from contact_relay.handlers.app import create_app
    from contact_relay.settings import load_settings
    from tests.support import FakeLambdaContext

    def deliver(_inquiry: Any, _key: str | None) -> dict[str, Any]:
        raise IdempotencyInconsistentStateError("expired while in progress")

    app = create_app(load_settings(), deliver, lookups_of(), confirmer_of())

    response = app.resolve(post_event(contact_body()), FakeLambdaContext())

    assert response["statusCode"] == 409
    assert response_json(response)["error"]["code"] == "request_in_progress"
    assert int(header(response, "Retry-After") or 0) >= 1


def _rewrite_the_record(aws: Any, **attributes: dict[str, str]) -> None:
    """Set attributes of the one idempotency record, as time or a lost environment leaves it."""
    [item] = aws.dynamodb.scan(TableName=IDEMPOTENCY_TABLE)["Items"]
    names = {f"#a{index}": name for index, name in enumerate(attributes)}
    values = {f":v{index}": value for index, value in enumerate(attributes.values())}
    aws.dynamodb.update_item(
        TableName=IDEMPOTENCY_TABLE,
        Key={"id": item["id"]},
        UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


# Mutant (make mutate): `in_progress_until` taken as None in `earlier_answer`, so a record
# left in progress by an environment that timed out would block its request until it expired.
@pytest.mark.parametrize("key", ["k-6", None])
def test_a_record_left_in_progress_by_a_lost_environment_is_sent_again(
    harness: Harness, aws: Any, key: str | None
) -> None:
    harness.once.deliver(INQUIRY, key)
    past_ms = str(int((time.time() - 60) * 1000))
    _rewrite_the_record(aws, status={"S": "INPROGRESS"}, in_progress_expiration={"N": past_ms})

    again = harness.once.deliver(replace(INQUIRY, captcha_token="good-2"), key)

    assert again["status"] == "sent"
    assert len(harness.mailer.sent) == 2


# Mutant (make mutate): `or` made `and` in `earlier_answer`, so a record another environment
# is still sending under (its in-progress time not yet up) was taken as abandoned: Powertools'
# own write refused it in the end, after the retry had spent a captcha token and a rate limit.
@pytest.mark.parametrize("key", ["k-10", None])
def test_a_request_still_being_sent_elsewhere_is_answered_in_progress_and_not_sent_again(
    harness: Harness, aws: Any, key: str | None
) -> None:
    harness.once.deliver(INQUIRY, key)
    future_ms = str(int((time.time() + 60) * 1000))
    _rewrite_the_record(aws, status={"S": "INPROGRESS"}, in_progress_expiration={"N": future_ms})

    with pytest.raises(IdempotencyAlreadyInProgressError):
        harness.once.deliver(replace(INQUIRY, captcha_token="good-2"), key)

    assert len(harness.mailer.sent) == 1
    assert harness.captcha.used == [INQUIRY.captcha_token]
    assert len(harness.limits.admitted) == 1


# Mutant: the answer kept from the last request started as "" instead of None, so a record
# that could not be written (nothing sent) was answered as sent.
def test_a_record_that_cannot_be_written_sends_nothing_and_says_so(
    harness: Harness, aws: Any
) -> None:
    with (
        _idempotency_table_refusing(aws, "PutItem") as refused,
        pytest.raises(IdempotencyPersistenceLayerError),
    ):
        harness.once.deliver(INQUIRY, "k-11")

    assert refused == ["PutItem"]
    assert harness.mailer.sent == []


# Mutant: `and` made `or` in `earlier_answer`, so an expired record (its time is up, DynamoDB's
# TTL has not removed it yet) with no in-progress expiry would answer 409 for ever.
@pytest.mark.parametrize("key", ["k-7", None])
def test_a_record_whose_time_is_up_no_longer_answers(
    harness: Harness, aws: Any, key: str | None
) -> None:
    harness.once.deliver(INQUIRY, key)
    _rewrite_the_record(aws, expiration={"N": str(int(time.time()) - 60)})

    again = harness.once.deliver(replace(INQUIRY, captcha_token="good-2"), key)

    assert again["status"] == "sent"
    assert len(harness.mailer.sent) == 2


@contextmanager
def _idempotency_table_refusing(aws: Any, operation: str) -> Iterator[list[str]]:
    """Throttle each `operation` call to the idempotency table made through the test's client;
    yields the list of calls refused."""
    refused: list[str] = []

    def refuse(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == IDEMPOTENCY_TABLE:
            refused.append(operation)
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}},
                operation,
            )

    event_name = f"before-parameter-build.dynamodb.{operation}"
    aws.dynamodb.meta.events.register(event_name, refuse)
    try:
        yield refused
    finally:
        aws.dynamodb.meta.events.unregister(event_name, refuse)
