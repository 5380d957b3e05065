"""How each email the relay sends is written: checked ASCII header lines, the encoded body, and
its footer's stop line and safety advice. Written once, so the seller's email and a relayed reply
cannot drift apart in what they promise or how they encode it.
"""

from __future__ import annotations

import base64
from email.quoprimime import body_encode as quoted_printable

CRLF = "\r\n"
# RFC 2045: encoded body lines of at most 76 characters.
_BODY_LINE_LENGTH = 76

_SAFETY_ADVICE = (
    "{what} hold plain text only: links and markup are removed before delivery.\n"
    "Do not follow links or open attachments in an email that claims to come from {marketplace}."
)


# One wording for every email of a conversation: the seller's first email and each relayed one.
STOP_LINE = "To stop this conversation for good (no more replies either way): {link}"


def safety_advice(what: str, marketplace: str) -> str:
    """The footer's advice; `what` names the messages it vouches for ("Messages from buyers")."""
    return _SAFETY_ADVICE.format(what=what, marketplace=marketplace)


def ascii_header(name: str, value: str) -> str:
    """`Name: value` and CRLF. The values are validated long before here; this is the last line
    of defence for headers written without the library."""
    if not (value.isascii() and value.isprintable()):
        raise ValueError(f"{name} must be one line of printable ASCII")
    return f"{name}: {value}{CRLF}"


def encoded_body(text: str) -> tuple[str, str]:
    """The Content-Transfer-Encoding and the body in the shorter of quoted-printable and base64,
    with CRLF line ends: mostly ASCII text stays readable, Japanese is not tripled. Both
    encodings are the library's."""
    data = b"\r\n".join(text.encode("utf-8").splitlines()) + b"\r\n"
    quoted = quoted_printable(data.decode("latin-1"), maxlinelen=_BODY_LINE_LENGTH, eol=CRLF)
    encoded = base64.encodebytes(data).decode("ascii").replace("\n", CRLF)
    if len(quoted) <= len(encoded):
        # The data ends in CRLF, and the library keeps a body's last line end: so does `quoted`.
        return "quoted-printable", quoted
    return "base64", encoded
