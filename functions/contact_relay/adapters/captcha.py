"""A captcha verifier for the siteverify protocol Turnstile, hCaptcha and reCAPTCHA share:
POST `secret`, `response` and `remoteip` as a form, read `success` from the JSON answer.

Off unless CAPTCHA_VERIFY_URL and CAPTCHA_SECRET are set. Standard library only: one request
per message does not justify an HTTP client dependency.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from contact_relay.errors import DependencyUnavailable
from contact_relay.observability import tracer

TIMEOUT_SECONDS = 3


class SiteVerifyCaptcha:
    def __init__(self, verify_url: str, secret: str) -> None:
        self._verify_url = verify_url
        self._secret = secret

    @tracer.capture_method(capture_response=False)
    def verify(self, token: str, source_ip: str | None) -> bool:
        form = {"secret": self._secret, "response": token}
        if source_ip:
            form["remoteip"] = source_ip
        request = urllib.request.Request(  # noqa: S310 (the URL is validated as https at cold start)
            self._verify_url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read(64 * 1024))
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise DependencyUnavailable("captcha", type(exc).__name__) from exc
        return isinstance(answer, dict) and answer.get("success") is True
