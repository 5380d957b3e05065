"""The demo page in headless Chromium: a buyer fills the form, the seller gets plain text."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.local_stack import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a sandboxed root user on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it with apt-get")
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def test_a_buyer_sends_a_message_from_the_demo_page(stack: RunningStack, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    before = len(stack.outbox())

    # Given the storefront's contact form for a seller
    page.goto(f"{stack.url}/?seller=tokyo-tea")
    expect(page.get_by_label("Topic")).to_contain_text("Returns Policy")

    # When a buyer fills it in, with markup and a link in the message, and sends it
    page.get_by_label("Topic").select_option(label="Returns Policy")
    page.get_by_label("Your name").fill("Hanako Yamada")
    page.get_by_label("Your email").fill("hanako@example.com")
    page.get_by_label("Order ID (optional)").fill("503-1234567-1234567")
    page.get_by_label("Message").fill(
        "Can I <b>return</b> the tea set? Photos: https://phish.example/x"
    )
    page.get_by_role("button", name="Send message").click()

    # Then the page confirms, and the seller's email holds only the reduced text
    expect(page.locator("#status")).to_have_text(
        "Your message was sent to 東京ティーハウス. The seller will contact you shortly."
    )
    outbox = stack.outbox()
    assert len(outbox) == before + 1
    email = outbox[-1]
    assert email["to"] == ["support@tokyo-tea.example"]
    assert email["replyTo"] == ["hanako@example.com"]
    assert email["subject"] == "Return policy inquiry from Amazon customer"
    assert "Can I return the tea set? Photos: [link removed]" in email["body"]
    assert "phish" not in email["body"] and "<b>" not in email["body"]
    page.close()


def test_the_page_shows_the_apis_error_next_to_the_field(
    stack: RunningStack, browser: object
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    before = len(stack.outbox())
    page.goto(stack.url + "/")
    expect(page.get_by_label("Topic")).to_contain_text("Shipping")

    page.get_by_label("Topic").select_option("shipping")
    page.get_by_label("Your name").fill("Hanako")
    page.get_by_label("Your email").fill("not-an-address")
    page.get_by_label("Message").fill("Where is my parcel?")
    page.get_by_role("button", name="Send message").click()

    expect(page.locator("#status")).to_have_text("The request has invalid fields.")
    expect(page.locator("#buyer-email-error")).to_contain_text(
        "Your email is not a valid email address"
    )
    expect(page.get_by_label("Your email")).to_have_attribute("aria-invalid", "true")
    assert len(stack.outbox()) == before
    page.close()
