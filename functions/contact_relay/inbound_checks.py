"""The checks of an inbound message that cost nothing: what SES's receipt says of it.

SES receiving scans each message and gives its verdicts, the envelope's reverse-path and the
headers in the event that invokes the inbound function, so spam, viruses, unauthenticated senders
and automatic mail are dropped before the alias is looked up or the message is read. A verdict
other than PASS drops the message (GRAY, PROCESSING_FAILED and DISABLED included): no one is
told, so the relay errs on the side of not relaying what it cannot clear. The sender is
authenticated when DMARC passes, or when the sender's domain publishes no DMARC policy (GRAY) and
both SPF and DKIM pass, SPF for the From domain or a subdomain of it.

Automatic mail (RFC 3834's `Auto-Submitted` other than `no`, `Precedence: bulk|junk|list`, a
null reverse-path as bounces have) is never relayed: two auto-responders writing to each other's
alias would otherwise loop through the relay for ever.

Pure: no Lambda, no boto3. Knows the header values only as the event gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Literal

from contact_relay.email_address import InvalidEmailAddress, normalise_email_address

PASS = "PASS"  # noqa: S105 (a verdict)
GRAY = "GRAY"
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list"})
_NULL_REVERSE_PATHS = frozenset({"", "<>"})
# RFC 5322: a line is at most 998 characters; a From longer than two is not a person's.
_MAX_FROM_CHARS = 2000

EnvelopeRefusal = Literal["spam", "virus", "unauthenticated", "auto_reply"]


@dataclass(frozen=True, slots=True)
class Verdicts:
    """SES's verdicts, each `PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED` or `DISABLED`."""

    spam: str
    virus: str
    spf: str
    dkim: str
    dmarc: str

    def authenticate(self, reverse_path: str, header_from: Iterable[str]) -> bool:
        if self.dmarc == PASS:
            return True
        # SES's SPF verdict is for the envelope's domain and its DKIM verdict for any signature:
        # without the From domain's alignment, anyone passing both for a domain of their own
        # could write as a buyer whose domain publishes no DMARC policy.
        return (
            self.dmarc == GRAY
            and self.spf == PASS
            and self.dkim == PASS
            and _spf_aligned(reverse_path, header_from)
        )


@dataclass(frozen=True, slots=True)
class InboundEnvelope:
    """What the SES receiving event says of one message, as the relay reads it."""

    # SES's id of the received message: the key of its raw object in the inbound bucket.
    ses_message_id: str
    # The envelope recipients this receipt rule matched (RCPT TO), in order.
    recipients: tuple[str, ...]
    verdicts: Verdicts
    # The envelope's MAIL FROM: empty (or `<>`) for bounces and other delivery reports.
    reverse_path: str
    # The header From as the event gives it (each value may hold a display name).
    header_from: tuple[str, ...] = ()
    auto_submitted: tuple[str, ...] = ()
    precedence: tuple[str, ...] = ()


def envelope_refusal(envelope: InboundEnvelope) -> EnvelopeRefusal | None:
    """Why the message must be dropped whoever it is for, or None: cheapest reason first."""
    verdicts = envelope.verdicts
    if verdicts.spam != PASS:
        return "spam"
    if verdicts.virus != PASS:
        return "virus"
    if not verdicts.authenticate(envelope.reverse_path, envelope.header_from):
        return "unauthenticated"
    if is_automatic(envelope.auto_submitted, envelope.precedence):
        return "auto_reply"
    if envelope.reverse_path.strip() in _NULL_REVERSE_PATHS:
        return "auto_reply"
    return None


def is_automatic(auto_submitted: Iterable[str], precedence: Iterable[str]) -> bool:
    """True for mail a program sent on its own (RFC 3834), or a list's or bulk mailer's."""
    for value in auto_submitted:
        # `auto-replied; owner-email=...`: the keyword before any parameters counts.
        if value.split(";", 1)[0].strip().lower() != "no":
            return True
    # `bulk (list)`, `junk;`: the word before any comment or parameter counts, as above.
    return any(
        re.split(r"[;(]", value, maxsplit=1)[0].strip().lower() in _AUTOMATIC_PRECEDENCE
        for value in precedence
    )


def sole_sender(header_from: Iterable[str]) -> str | None:
    """The header From's one address, normalised; None when there is none, more than one, or
    one the relay would not write to."""
    values = list(header_from)
    if any(len(value) > _MAX_FROM_CHARS for value in values):
        return None
    try:
        parsed = getaddresses(values)
    except RecursionError:
        # getaddresses reads nested comments by recursion: a thousand "(" exhaust the stack
        # (the SES event's From as well as the message's). No person's From nests comments.
        return None
    addresses = [address for _name, address in parsed if address]
    if len(addresses) != 1:
        return None
    try:
        return normalise_email_address(addresses[0])
    except InvalidEmailAddress:
        return None


def _spf_aligned(reverse_path: str, header_from: Iterable[str]) -> bool:
    """The envelope's domain is the From's domain or one of its subdomains (DMARC's relaxed
    alignment, without a public-suffix list: a From domain's subdomains are its own)."""
    sender = sole_sender(header_from)
    envelope_domain = reverse_path.strip().strip("<>").rpartition("@")[2].lower()
    if sender is None or not envelope_domain:
        return False
    from_domain = sender.rpartition("@")[2].lower()
    return envelope_domain == from_domain or envelope_domain.endswith(f".{from_domain}")


def same_address(one: str, other: str) -> bool:
    """Two normalised addresses name one mailbox, in any letter case.

    RFC 5321 leaves a local part's case to its own server, but the relay already treats a
    buyer's address as one in every case (`conversations.conversation_id_for`, the idempotency
    identity): a buyer who typed `Hanako@` in the form and replies as `hanako@` is the same
    buyer. It lets no one else in: a case variant at the same domain passes DMARC only for
    whoever controls that domain's mail, who could send as the exact address anyway."""
    return one.lower() == other.lower()
