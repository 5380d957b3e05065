"""One part of an inbound message as the standard library reads it: what it is, and its text."""

from __future__ import annotations

from contact_relay.inbound_parts import decode_text


def test_a_block_that_makes_a_container_has_no_text_and_is_not_clean() -> None:
    # The walk keeps only text parts; a block the library reads as a multipart has no payload
    # of bytes to decode, and says so rather than raise.
    block = b'Content-Type: multipart/mixed; boundary="z"\r\n'
    body = b"--z\r\nContent-Type: text/plain\r\n\r\ninner\r\n--z--\r\n"

    assert decode_text(block, body) == ("", False)


def test_a_text_block_decodes_its_body_in_its_charset() -> None:
    block = b"Content-Type: text/plain; charset=iso-8859-1\r\n"

    assert decode_text(block, b"caf\xe9\r\n") == ("caf\u00e9\r\n", True)
