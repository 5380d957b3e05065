"""A captcha verifier for the siteverify protocol Turnstile, hCaptcha and reCAPTCHA share:
POST `secret`, `response` and `remoteip` as a form, read the JSON answer.

`success` alone says only that the token is one of ours and unspent. What else the answer holds
is checked wherever the provider returns it, because a token solved elsewhere is still a success:
- `hostname`: the site the challenge was solved on (all three providers). A sitekey can be used
  on several sites, or lifted onto an attacker's page; the token must come from our storefront.
- `action`: the widget's declared action (Turnstile, reCAPTCHA v3), which the providers protect
  from tampering and advise checking: a token minted for another form of the site is refused.
- `score`: reCAPTCHA v3's 0.0 (bot) to 1.0 (person), and hCaptcha Enterprise's risk score, which
  runs the other way (1.0 is the most risky). Both are held to one threshold of human-likeness.
A field the provider does not send (no score from v2, Turnstile or basic hCaptcha; no action from
v2 or hCaptcha) is not checked. An answer that is not JSON, or a field of the wrong type, fails.

Off unless CAPTCHA_VERIFY_URL and CAPTCHA_SECRET_ARN are set; the secret itself is read from
Secrets Manager at cold start. Standard library only: one request per message does not justify
an HTTP client dependency.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from contact_relay.errors import DependencyUnavailable
from contact_relay.observability import logger, tracer
from contact_relay.settings import CaptchaProviderName

TIMEOUT_SECONDS = 3


@dataclass(frozen=True, slots=True)
class CaptchaExpectations:
    """What a successful answer must also say. `hostnames` empty means any hostname (only when
    an operator said so explicitly, with CAPTCHA_EXPECTED_HOSTNAMES=*)."""

    provider: CaptchaProviderName
    hostnames: frozenset[str]
    action: str
    min_score: float

    @classmethod
    def of(
        cls,
        provider: CaptchaProviderName,
        hostnames: Collection[str],
        action: str,
        min_score: float,
    ) -> CaptchaExpectations:
        return cls(provider, frozenset(name.lower() for name in hostnames), action, min_score)


class SiteVerifyCaptcha:
    def __init__(self, verify_url: str, secret: str, expectations: CaptchaExpectations) -> None:
        self._verify_url = verify_url
        self._secret = secret
        self._expect = expectations

    def __repr__(self) -> str:
        return f"SiteVerifyCaptcha({self._verify_url!r}, secret=<hidden>, {self._expect!r})"

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
        refusal = self.refusal(answer)
        if refusal is not None:
            # The reason only: no token, no hostname or action text from the answer.
            logger.info("Captcha answer refused", extra={"captcha_refusal": refusal})
        return refusal is None

    def refusal(self, answer: Any) -> str | None:
        """Why this siteverify answer does not prove a person on our form, or None if it does."""
        if not isinstance(answer, dict) or answer.get("success") is not True:
            return "not_successful"
        if "hostname" in answer and not self._hostname_expected(answer["hostname"]):
            return "hostname"
        if "action" in answer and answer["action"] != self._expect.action:
            return "action"
        if "score" in answer and not self._score_sufficient(answer["score"]):
            return "score"
        return None

    def _hostname_expected(self, hostname: Any) -> bool:
        if not isinstance(hostname, str):
            return False
        return not self._expect.hostnames or hostname.lower() in self._expect.hostnames

    def _score_sufficient(self, score: Any) -> bool:
        if isinstance(score, bool) or not isinstance(score, int | float):
            return False
        if not math.isfinite(score):
            return False
        # hCaptcha's is a risk score (higher is more likely a bot); reCAPTCHA's the reverse.
        human_likeness = 1.0 - score if self._expect.provider == "hcaptcha" else float(score)
        return human_likeness >= self._expect.min_score
