"""The inbound reader against the standard library's own parser, on well-formed messages built
by the standard library: what each keeps and counts must agree."""

from __future__ import annotations

import email
import io
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.policy import default as default_policy

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contact_relay.inbound_mail import read_mail
from tests.support import Trickle

CHARSETS = {
    "us-ascii": "abc XYZ 0123 .,;:!?'\"()-",
    "iso-8859-1": "abc xyz éàüßñ ÆØÅ £¥ .,!?",
    "utf-8": "abc xyz é 日本語 こんにちは 🎁 ♥ Ω ж .,!?",
    "shift_jis": "abc xyz 日本語 こんにちは カタカナ .,!?",
    "iso-2022-jp": "abc xyz 日本語 こんにちは カタカナ .,!?",
}
TRANSFER_ENCODINGS = [None, "quoted-printable", "base64", "8bit"]


@st.composite
def texts(draw: st.DrawFn, charset: str) -> str:
    words = st.text(alphabet=CHARSETS[charset], min_size=1, max_size=30)
    lines = draw(st.lists(words, min_size=1, max_size=6))
    return "\n".join(lines) + "\n"


@st.composite
def text_parts(draw: st.DrawFn, subtype: str) -> EmailMessage:
    charset = draw(st.sampled_from(sorted(CHARSETS)))
    text = draw(texts(charset))
    if subtype == "html":
        text = f"<p>{text}</p>\n"
    part = EmailMessage()
    cte = draw(st.sampled_from(TRANSFER_ENCODINGS))
    if charset in ("iso-2022-jp", "us-ascii") or (cte == "8bit" and charset != "utf-8"):
        cte = None  # the library chooses: 7bit is the only right one for these
    part.set_content(text, subtype=subtype, charset=charset, cte=cte)
    disposition = draw(st.sampled_from([None, None, "inline", "attachment"]))
    if disposition:
        part["Content-Disposition"] = disposition
    if draw(st.booleans()) and draw(st.booleans()):
        part.set_param("filename", draw(filenames()), header="Content-Disposition")
    return part


def filenames() -> st.SearchStrategy[str]:
    # Non-ASCII names are written as RFC 2231 parameters by the library.
    return st.sampled_from(["notes.txt", "請求書.pdf", "photo 1.jpg", "résumé.doc"])


@st.composite
def binary_parts(draw: st.DrawFn) -> EmailMessage:
    part = EmailMessage()
    data = draw(st.binary(min_size=0, max_size=300))
    kind = draw(st.sampled_from(["pdf", "inline image", "named image", "octets"]))
    if kind == "pdf":
        part.set_content(data, "application", "pdf", filename=draw(filenames()))
    elif kind == "inline image":
        part.set_content(data, "image", "png", disposition="inline", cid="<img1@x.example>")
    elif kind == "named image":
        part.set_content(data, "image", "png", params={"name": draw(filenames())})
    else:
        part.set_content(data, "application", "octet-stream")
    return part


@st.composite
def attached_messages(draw: st.DrawFn) -> EmailMessage:
    inner = EmailMessage()
    inner["Subject"] = "forwarded"
    inner.set_content(draw(texts("utf-8")))
    part = EmailMessage()
    part.set_content(inner)
    return part


def leaves() -> st.SearchStrategy[EmailMessage]:
    return st.one_of(text_parts("plain"), text_parts("html"), binary_parts(), attached_messages())


def container(subtype: str, children: list[EmailMessage]) -> EmailMessage:
    message = EmailMessage()
    message["Content-Type"] = f"multipart/{subtype}"
    for child in children:
        message.attach(child)
    return message


def containers(children: st.SearchStrategy[EmailMessage]) -> st.SearchStrategy[EmailMessage]:
    return st.builds(
        container, st.sampled_from(SUBTYPES), st.lists(children, min_size=1, max_size=4)
    )


SUBTYPES = ["mixed", "alternative", "related", "signed"]
messages = st.recursive(leaves(), containers, max_leaves=10)


@dataclass
class Expected:
    text: str | None = None
    html: str | None = None
    attachments: int = 0


def oracle(raw: bytes) -> Expected:
    """Walk the library's parse of the same bytes with the reader's rule: the first inline
    text/plain and text/html parts are kept; every other part (message/* whole) is counted."""
    expected = Expected()

    def visit(part: Message) -> None:
        assert isinstance(part, EmailMessage)
        if part.get_content_maintype() == "multipart" and part.is_multipart():
            for child in part.iter_parts():
                visit(child)
            return
        inline = part.get_content_disposition() in (None, "inline")
        inline = inline and part.get_filename() is None
        content_type = part.get_content_type()
        if inline and content_type == "text/plain" and expected.text is None:
            expected.text = part.get_content()
        elif inline and content_type == "text/html" and expected.html is None:
            expected.html = part.get_content()
        else:
            expected.attachments += 1

    visit(email.message_from_bytes(raw, policy=default_policy))
    return expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages, st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from([None, 1, 7]))
def test_the_reader_keeps_and_counts_what_the_library_parser_finds(
    message: EmailMessage, linesep: str, step: int | None
) -> None:
    message["From"] = "Shop <cs@shop.example>"
    message["Subject"] = "Re: your order"
    try:
        raw = message.as_bytes(policy=default_policy.clone(linesep=linesep))
    except (UnicodeError, LookupError):
        assume(False)
        raise
    expected = oracle(raw)

    stream = io.BytesIO(raw) if step is None else Trickle(raw, step)
    mail = read_mail(stream, max_bytes=len(raw), max_text_chars=10**6)

    assert (mail.text, mail.html, mail.attachments) == (
        expected.text,
        expected.html,
        expected.attachments,
    )
    assert not mail.malformed
    assert not mail.truncated
    assert mail.from_address == "cs@shop.example"
