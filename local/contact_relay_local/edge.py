"""What the local stack refuses before a request reaches a function or the outbox.

- Where it listens: loopback only, unless the operator opts in, because `/_local/outbox` holds
  every buyer's name, address and message.
- To whom a request is addressed: the Host header must name this server (a web page that rebinds
  its own DNS name to 127.0.0.1 still sends its own name), so no other site can read the outbox
  through a visitor's browser.
- How much it reads: a body of a declared length, at most the relay's limit plus a margin, so the
  relay's own 413 is what a client sees near the limit and nothing large is ever read.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from email.message import Message
from typing import Any

from contact_relay.handlers.api_models import (
    MAX_BODY_BYTES,
    ErrorDetail,
    ErrorInfo,
    ErrorResponse,
)

# Up to this, a body is read and the relay judges it (413 above MAX_BODY_BYTES); above, the
# local server answers the same 413 itself without reading it.
BODY_CEILING = MAX_BODY_BYTES + 8 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    message: str


def error_envelope(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """An error the local stack answers itself, in the relay's own error body (DESIGN.md)."""
    details = [ErrorDetail(field=field, issue=message)] if field is not None else None
    return ErrorResponse(error=ErrorInfo(code=code, message=message, details=details)).to_body()


def is_loopback(host: str) -> bool:
    """Whether every address `host` stands for is a loopback address."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ValueError(f"--host {host}: {exc.strerror}") from exc
    return bool(host) and all(_loopback_address(str(info[4][0])) for info in infos)


def _loopback_address(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _literal(address: str) -> str:
    """An address as a Host header writes it (IPv6 in brackets)."""
    return f"[{address}]" if ":" in address else address


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class HostCheck:
    """The Host header values this server answers: the loopback names and the host it listens
    on, with its port; on a wildcard address (`0.0.0.0`, `::`), any IP address with its port too
    (a page whose origin is an IP address cannot rebind it)."""

    def __init__(self, host: str, port: int) -> None:
        self._port = port
        listening = _ip(host)
        self._any_address = not host or (listening is not None and listening.is_unspecified)
        names = {*LOOPBACK_NAMES}
        if not self._any_address:
            names.add(_literal(host).lower())
            names.update(
                _literal(str(info[4][0]).split("%", 1)[0])
                for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            )
        self._names = frozenset(names)

    def allows(self, value: str) -> bool:
        name, port = _split_host(value.strip().lower())
        if port != self._port:
            return False
        if name in self._names:
            return True
        address = _ip(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
        return self._any_address and address is not None and _literal(str(address)) == name

    def describe(self) -> str:
        names = sorted(self._names)
        listed = ", ".join(f"{name}:{self._port}" for name in names)
        return listed + (" or any IP address" if self._any_address else "")


def _split_host(value: str) -> tuple[str, int | None]:
    """`name[:port]` (`[v6]:port` for IPv6); no port means 80, as in an `http://` URL."""
    colon = value.rfind(":")
    if colon <= value.rfind("]"):
        return value, 80
    name, port = value[:colon], value[colon + 1 :]
    if not (port.isascii() and port.isdigit() and len(port) <= 5):
        return name, None
    return name, int(port)


def host_refusal(headers: Message, check: HostCheck) -> Refusal | None:
    values = headers.get_all("Host") or []
    if len(values) != 1:
        return Refusal(400, "bad_request", "A request needs exactly one Host header.")
    if not check.allows(values[0]):
        return Refusal(
            421,
            "misdirected_request",
            f"This server answers requests addressed to {check.describe()} only.",
        )
    return None


def body_length(
    headers: Message, limit: int = MAX_BODY_BYTES, ceiling: int = BODY_CEILING
) -> int | Refusal:
    """The body's length as declared, or why it will not be read: above `ceiling`, a 413 that
    names `limit` (the relay's own, judged by the relay up to the ceiling; a local route's)."""
    if headers.get_all("Transfer-Encoding"):
        return Refusal(411, "length_required", "Send the body with a Content-Length.")
    values = headers.get_all("Content-Length") or []
    if not values:
        return 0
    text = values[0].strip()
    if len(values) > 1 or not (text.isascii() and text.isdigit()):
        return Refusal(400, "bad_request", "Content-Length must be one number of bytes.")
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(ceiling)) or int(digits) > ceiling:
        return Refusal(413, "payload_too_large", f"The body must be at most {limit} bytes.")
    return int(digits)
