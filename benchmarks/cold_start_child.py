"""One cold start, run in a fresh process by cold_start.py: import, wire, serve one POST.

Usage (by cold_start.py): python cold_start_child.py relay|baseline EVENT_JSON
Prints the milliseconds from the first line of this file to the answer, as JSON.
"""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

IMPORTED: dict[str, float | str] = {}


def relay(event: dict[str, object]) -> int:
    from contact_relay.handlers import contact
    from contact_relay.handlers.contact import lambda_handler

    IMPORTED.update(import_ms=(time.perf_counter() - STARTED) * 1000, handler=contact.__file__)

    class Context:
        function_name = "contact-relay-bench"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:contact-relay-bench"
        aws_request_id = "bench"

        def get_remaining_time_in_millis(self) -> int:
            return 20_000

    return int(lambda_handler(event, Context())["statusCode"])


def baseline(event: dict[str, object]) -> int:
    """A bare handler: boto3, two clients, and the same AWS calls made by hand."""
    import boto3

    IMPORTED.update(import_ms=(time.perf_counter() - STARTED) * 1000, handler="")
    return baseline_request(event, boto3.client("dynamodb"), boto3.client("sesv2"))


def baseline_request(event: dict[str, object], dynamodb: Any, sesv2: Any) -> int:
    """The bare handler's request: the same AWS calls as the relay's, made by hand."""
    import os
    import uuid

    body = json.loads(str(event["body"]))
    now = int(time.time())
    key = {"id": {"S": f"bench#{uuid.uuid4()}"}}
    dynamodb.put_item(
        TableName=os.environ["IDEMPOTENCY_TABLE"],
        Item={**key, "status": {"S": "INPROGRESS"}, "expiration": {"N": str(now + 3600)}},
        ConditionExpression="attribute_not_exists(id)",
    )
    for subject in ("ip", "buyer"):
        dynamodb.update_item(
            TableName=os.environ["RATE_LIMIT_TABLE"],
            Key={"key": {"S": f"{subject}#{uuid.uuid4()}"}},
            UpdateExpression="ADD #c :one",
            ExpressionAttributeNames={"#c": "count"},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    seller = dynamodb.get_item(
        TableName=os.environ["SELLERS_TABLE"], Key={"sellerId": {"S": "example-store"}}
    )["Item"]
    raw = (
        f"From: Amazon Messaging <{os.environ['SENDER_ADDRESS']}>\r\n"
        f"To: {seller['replyToEmail']['S']}\r\nReply-To: {body['buyer']['email']}\r\n"
        "Subject: Shipping inquiry from Amazon customer\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body["message"] + "\r\n"
    )
    sent = sesv2.send_email(
        FromEmailAddress=os.environ["SENDER_ADDRESS"], Content={"Raw": {"Data": raw.encode()}}
    )
    dynamodb.put_item(
        TableName=os.environ["MESSAGES_TABLE"],
        Item={"messageId": {"S": str(uuid.uuid4())}, "sesMessageId": {"S": sent["MessageId"]}},
    )
    dynamodb.update_item(
        TableName=os.environ["IDEMPOTENCY_TABLE"],
        Key=key,
        UpdateExpression="SET #s = :done",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":done": {"S": "COMPLETED"}},
    )
    return 201


if __name__ == "__main__":
    which, event_json = sys.argv[1], sys.argv[2]
    status = {"relay": relay, "baseline": baseline}[which](json.loads(event_json))
    ms = (time.perf_counter() - STARTED) * 1000
    print(json.dumps({"ms": ms, "status": status, **IMPORTED}))
