"""Turn HTTP requests into API Gateway REST proxy events, and Lambda answers back into HTTP."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from contact_relay.handlers.routes import ROUTES


@dataclass
class LocalLambdaContext:
    """What Powertools reads from a Lambda context object."""

    function_name: str = "contact-relay-local"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:contact-relay-local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timeout_seconds: int = 20
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


def proxy_event(
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str,
) -> dict[str, Any]:
    """The event API Gateway (REST, proxy integration) would hand the function for this request."""
    parts = urlsplit(target)
    path = unquote(parts.path) or "/"
    resource, path_parameters = _match_resource(path)
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query_single = {name: value for name, value in query}
    query_multi: dict[str, list[str]] = {}
    for name, value in query:
        query_multi.setdefault(name, []).append(value)
    text, is_base64 = _body_text(body)
    request_id = str(uuid.uuid4())
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": query_single or None,
        "multiValueQueryStringParameters": query_multi or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": path,
            "stage": "local",
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "protocol": "HTTP/1.1",
            "accountId": "000000000000",
            "apiId": "local",
            "identity": {"sourceIp": source_ip, "userAgent": single.get("User-Agent")},
        },
        "body": text,
        "isBase64Encoded": is_base64,
    }


def _match_resource(path: str) -> tuple[str, dict[str, str] | None]:
    """The resource API Gateway would match, in its notation, and the path parameters."""
    for route in ROUTES:
        parameters = route.parameters(path)
        if parameters is not None:
            return route.resource, parameters or None
    return path, None


def _body_text(body: bytes) -> tuple[str | None, bool]:
    if not body:
        return None, False
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), True


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def http_answer(response: dict[str, Any]) -> HttpAnswer:
    """The HTTP response API Gateway would send for this Lambda proxy result."""
    headers: list[tuple[str, str]] = []
    multi = response.get("multiValueHeaders") or {}
    for name, values in multi.items():
        headers.extend((name, str(value)) for value in values)
    for name, value in (response.get("headers") or {}).items():
        if name not in multi:
            headers.append((name, str(value)))
    body = response.get("body") or ""
    raw = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode("utf-8")
    return HttpAnswer(int(response["statusCode"]), headers, raw)
