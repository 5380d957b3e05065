"""Compose a relayed reply: what one party wrote to an alias, as the other party receives it.

One text/plain UTF-8 part, written like the seller's email (`mail_format`): From (the writer's
alias, with a display name) and Subject folded and encoded by the library, the rest checked
ASCII. The writer's own address, Message-ID and mail host never reach the other side: the
subject is cleaned to one line (`clean_subject`), threading names only our own Message-IDs
(`our_references`), and the text arrives already reduced to plain text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.errors import MessageError
from email.headerregistry import Address, AddressHeader
from email.message import EmailMessage
from email.parser import HeaderParser
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime

from contact_relay.links.shadow import LINK_PLACEHOLDER
from contact_relay.mail_format import CRLF, STOP_LINE, ascii_header, encoded_body, safety_advice
from contact_relay.plaintext import reduce_to_plain_text
from contact_relay.text_rules import has_forbidden_single_line_character, one_line

MAX_SUBJECT_CHARS = 200
# The library folds a long non-ASCII name in time quadratic in its length (a 300-character
# Japanese name took 1.5 s, 64 characters 30-60 ms); no one's name needs more.
MAX_DISPLAY_NAME_CHARS = 64
# A hostile subject is cut before it is reduced, so its cost is bounded whatever its length.
_SUBJECT_INPUT_CHARS = 1000
_SUBJECT_ROUNDS = 4
MAX_REFERENCES = 20
# RFC 5322 lines end by 998 characters; an id stands alone on its folded line.
_MAX_ID_LENGTH = 250
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = f"{_ATEXT}(?:\\.{_ATEXT})*"
_DOMAIN = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_MESSAGE_ID = re.compile(f"<({_DOT_ATOM})@({_DOMAIN})>")
_ID_LEFT = re.compile(_DOT_ATOM)
_HOST = re.compile(_DOMAIN)
# Our own stop link: one token of printable ASCII, on a line of its own in the footer.
_LINK = re.compile(r"https?://[!-~]+")
# What would need quoting in a display name, and what opens or closes an RFC 2047 encoded word
# (a name that reads as one would decode to other text): a name the library cannot write so
# that it reads back the same loses them.
_SPECIALS = re.compile(r"[\"\\()<>\[\]:;@,.]|=\?|\?=")


@dataclass(frozen=True, slots=True)
class RelayedEmail:
    message_id: str
    marketplace: str
    # The seller's display name, or the buyer's name as reduced: one line, outside text.
    writer_display_name: str
    # The writer's alias address, which the reader replies to.
    from_alias: str
    # The reader's real address: the one place a real address stands.
    to_address: str
    # Already cleaned (`clean_subject`) and reduced (`plaintext`).
    subject: str
    text: str
    attachments_left_out: int
    stop_link: str
    reply_domain: str
    # Already filtered to our own Message-IDs (`our_references`).
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()


def compose_relayed(email: RelayedEmail, *, sent_at: datetime) -> bytes:
    """Return the relayed email as RFC 5322 bytes with CRLF line ends, for SES Content.Raw."""
    if not (_ID_LEFT.fullmatch(email.message_id) and _HOST.fullmatch(email.reply_domain)):
        raise ValueError("the Message-ID must be an id at our reply domain")
    content_transfer_encoding, body = encoded_body(body_text(email))
    headers = [
        _from_and_subject(email),
        ascii_header("To", email.to_address),
        ascii_header("Message-ID", f"<{email.message_id}@{email.reply_domain}>"),
        *_id_list("In-Reply-To", email.in_reply_to),
        *_id_list("References", email.references),
        ascii_header("Date", format_datetime(sent_at)),
        # No Auto-Submitted: a person wrote this message, and RFC 3834 (and the IANA registry of
        # its keywords) reads the field's absence as "no", "created by a human". auto-generated
        # would be false and makes some clients file the reply as bulk; auto-replied says "an
        # automatic response to another message", which is no truer. Auto-responders of the
        # reader may answer, then; what they send the alias is dropped as an automatic message.
        # So we ask them not to (an Exchange header, honoured by Outlook and Exchange): the
        # out-of-office note, the read receipt or the report would only be dropped at our end.
        "X-Auto-Response-Suppress: All" + CRLF,
        'Content-Type: text/plain; charset="utf-8"' + CRLF,
        f"Content-Transfer-Encoding: {content_transfer_encoding}" + CRLF,
        "MIME-Version: 1.0" + CRLF,
    ]
    return ("".join(headers) + CRLF + body).encode("ascii")


def body_text(email: RelayedEmail) -> str:
    if not _LINK.fullmatch(email.stop_link):
        raise ValueError("the stop link must be one http(s) URL of printable ASCII")
    lines = [email.text.strip("\n"), ""]
    if email.attachments_left_out:
        lines += [_left_out(email.attachments_left_out), ""]
    lines += [
        "--",
        STOP_LINE.format(link=email.stop_link),
        safety_advice("Relayed messages", email.marketplace),
        "",
    ]
    return "\n".join(lines)


def _left_out(count: int) -> str:
    if count == 1:
        return "1 attachment was not forwarded: the relay forwards plain text only."
    return f"{count} attachments were not forwarded: the relay forwards plain text only."


def _from_and_subject(email: RelayedEmail) -> str:
    """From and Subject, folded and encoded by the library, then read back: the header must
    name exactly the alias, with exactly the display name, or a plainer name is tried."""
    for field in (email.writer_display_name, email.subject, email.marketplace):
        if has_forbidden_single_line_character(field) or not field.strip():
            raise ValueError("the display name, subject and marketplace must each be one line")
    written = email.writer_display_name[:MAX_DISPLAY_NAME_CHARS].rstrip()
    plainer = " ".join(_SPECIALS.sub(" ", written).split())
    for name in (written, plainer or email.marketplace):
        display_name = f"{name} via {email.marketplace}"
        message = EmailMessage(policy=SMTP)
        message["From"] = Address(display_name=display_name, addr_spec=email.from_alias)
        message["Subject"] = email.subject
        rendered = message.as_string().removesuffix(CRLF)
        if _reads_back(rendered, display_name, email):
            return rendered
    raise ValueError("the From header cannot be written for this display name")


def _reads_back(rendered: str, display_name: str, email: RelayedEmail) -> bool:
    """Whether a reader finds what we wrote: one line of printable ASCII per header line, the
    two headers and no other, one address, the alias, the display name and the subject (spaces
    aside: the library's reader puts one between the encoded words its writer splits a long
    name into)."""
    if not (rendered.isascii() and all(line.isprintable() for line in rendered.split(CRLF))):
        return False
    # The library's own reader unfolds the lines, however its writer folded them (a long word
    # goes to a line of its own: "Subject:" CRLF " 0000...").
    headers = HeaderParser(policy=default_policy).parsestr(rendered + CRLF + CRLF)
    try:
        sender, subject = headers["From"], headers["Subject"]
    except (MessageError, LookupError, ValueError, TypeError, AttributeError):
        # The library's header reader raises on some names its writer wrote (an IndexError for
        # an encoded word of CR LF): not read back, so a plainer name is tried.
        return False
    if headers.keys() != ["From", "Subject"] or not isinstance(sender, AddressHeader):
        return False
    return (
        len(sender.addresses) == 1
        and sender.addresses[0].addr_spec == email.from_alias
        and _unspaced(sender.addresses[0].display_name) == _unspaced(display_name)
        and _unspaced(str(subject)) == _unspaced(email.subject)
    )


def _unspaced(text: str) -> str:
    return "".join(text.split())


def _id_list(name: str, ids: tuple[str, ...]) -> list[str]:
    """An In-Reply-To or References header, one id a line: ids are never folded inside."""
    if not ids:
        return []
    for message_id in ids:
        if len(message_id) > _MAX_ID_LENGTH or not _MESSAGE_ID.fullmatch(message_id):
            raise ValueError(f"{name} must hold well-formed Message-IDs only")
    return [f"{name}: {ids[0]}{CRLF}", *(f" {message_id}{CRLF}" for message_id in ids[1:])]


def clean_subject(raw: str, *, fallback: str) -> str:
    """The subject as the reader sees it: one line of at most 200 characters, reduced like a
    message (no markup, no links: it reaches a person), or `fallback` when nothing is left."""
    text = one_line(raw[:_SUBJECT_INPUT_CHARS])
    for _ in range(_SUBJECT_ROUNDS):
        # Reduction can decode a line break (`&#10;`); cutting can make a link of what was not
        # one (`example.comx` cut after `.com`): each round reads the result again.
        again = one_line(reduce_to_plain_text(text).text)
        # An encoded word written as text (`=?utf-8?q?a=0D=0A?=`) would be decoded by every
        # reader of the ASCII header the library writes: other text, line breaks included.
        again = again.replace("=?", "= ?")[:MAX_SUBJECT_CHARS].rstrip()
        if again == text:
            break
        text = again
    else:
        return fallback
    if not text.replace(LINK_PLACEHOLDER, "").strip():
        return fallback
    return text


def our_references(ids: Iterable[str], our_domains: Collection[str]) -> tuple[str, ...]:
    """The Message-IDs among `ids` that we wrote (their domain is one of ours), well-formed,
    de-duplicated, in order: the first (the thread's root) and the latest, at most 20 in all.
    A writer's own Message-ID names their mail host; it must not reach the other side."""
    domains = {domain.lower() for domain in our_domains}
    kept: dict[str, None] = {}
    for message_id in ids:
        if len(message_id) > _MAX_ID_LENGTH:
            continue
        match = _MESSAGE_ID.fullmatch(message_id)
        if match and match.group(2).lower() in domains:
            kept.setdefault(message_id)
    ordered = list(kept)
    if len(ordered) > MAX_REFERENCES:
        ordered = ordered[:1] + ordered[-(MAX_REFERENCES - 1) :]
    return tuple(ordered)
