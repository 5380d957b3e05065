"""The demo page in headless Chromium: a buyer fills the form, the seller gets plain text.

The page is a reference a storefront copies, so it is held to what a well-kept form does: used
with the keyboard alone on a 375 px screen, focus always where the buyer must read or act, errors
worded for people, the message limit read from the API, and no serious or critical violation
found by axe-core (4.12.1, vendored in the pinned axe-playwright-python wheel: no network).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from contact_relay_local.running_stack import RunningStack

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
PHONE = {"width": 375, "height": 667}
# The limits of the stack that tests them: a buyer's second message and a third from the same
# address are refused; the message limit is one no page would hard-code.
LIMITS = {
    "RATE_LIMIT_BUYER_PER_HOUR": "1",
    "RATE_LIMIT_SOURCE_IP_PER_HOUR": "2",
    "MAX_MESSAGE_CHARS": "120",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
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


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page on a 375 px wide screen, as on a phone."""
    page = browser.new_page(viewport=PHONE)
    yield page
    page.close()


@pytest.fixture(scope="module")
def limited_stack() -> Iterator[RunningStack]:
    running = RunningStack(LIMITS)
    yield running
    assert running.stop() == 0


def open_form(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("#topic option")).to_have_count(5)


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is wholly inside the viewport (to the pixel: layout is fractional)."""
    return bool(
        page.evaluate(
            """(selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.top >= -1 && box.left >= -1
                    && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1;
            }""",
            selector,
        )
    )


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_a_buyer_sends_a_message_from_the_demo_page(stack: RunningStack, browser: Any) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    before = len(stack.outbox())

    # Given the storefront's contact form for a seller
    open_form(page, f"{stack.url}/?seller=tokyo-tea")

    # When a buyer fills it in, with markup and a link in the message, and sends it
    page.get_by_label("Topic").select_option(label="Returns Policy")
    page.get_by_label("Your name").fill("Hanako Yamada")
    page.get_by_label("Your email").fill("hanako@example.com")
    page.get_by_label("Order ID (optional)").fill("503-1234567-1234567")
    page.get_by_label("Message").fill(
        "Can I <b>return</b> the tea set? Photos: https://phish.example/x"
    )
    page.get_by_role("button", name="Send message").click()

    # Then the page confirms, says what was taken out, and the seller's email holds only the
    # reduced text
    expect(page.locator("#status")).to_have_text(
        "Your message was sent to 東京ティーハウス. The seller will contact you shortly."
        " 1 link and some formatting were removed; the seller received plain text."
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


def test_keyboard_alone_on_a_phone_screen(stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    before = len(stack.outbox())
    open_form(phone, stack.url + "/")
    keyboard = phone.keyboard

    # Given a buyer who tabs through the form, leaving the topic unchosen, a space in the order
    # id and nothing but spaces for a message
    keyboard.press("Tab")
    assert focused_id(phone) == "topic"
    keyboard.press("Tab")
    keyboard.type("Hanako Yamada")
    keyboard.press("Tab")
    keyboard.type("hanako@example.com")
    keyboard.press("Tab")
    keyboard.type("503 1234567")
    keyboard.press("Tab")
    keyboard.type("   ")
    keyboard.press("Tab")
    assert focused_id(phone) == "send"  # the honeypot is never reached

    # When they send it
    keyboard.press("Enter")

    # Then each problem is named in words, by its field, and the first invalid field has focus,
    # scrolled back into view on the small screen
    expect(phone.locator("#topic-error")).to_have_text("Choose a topic")
    expect(phone.locator("#order-id-error")).to_have_text(
        "Order ID may only contain letters, digits and hyphens"
    )
    expect(phone.locator("#message-error")).to_have_text("Write a message")
    expect(phone.locator("#buyer-name-error")).to_have_text("")
    expect(phone.locator("#status")).to_have_text("Nothing was sent: 3 fields need correcting.")
    assert focused_id(phone) == "topic"
    assert in_view(phone, "#topic") and in_view(phone, "label[for=topic]")
    assert serious_violations(phone) == []

    # When they fix each, still by keyboard, and send again
    keyboard.press("ArrowDown")
    expect(phone.get_by_label("Topic")).to_have_value("product-details")
    for _ in range(3):
        keyboard.press("Tab")
    assert focused_id(phone) == "order-id"
    keyboard.press("Control+A")
    keyboard.type("503-1234567")
    keyboard.press("Tab")
    keyboard.press("Control+A")
    keyboard.type("Is it <i>blue</i>? See www.phish.example or http://phish.example/x")
    keyboard.press("Tab")
    keyboard.press("Enter")

    # Then focus moves to the confirmation, which says what was taken out of the text
    expect(phone.locator("#status")).to_have_text(
        "Your message was sent to Example Store. The seller will contact you shortly."
        " 2 links and some formatting were removed; the seller received plain text."
    )
    assert focused_id(phone) == "status"
    assert in_view(phone, "#status")
    assert serious_violations(phone) == []
    assert len(stack.outbox()) == before + 1


def test_the_button_never_holds_focus_while_disabled(stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    open_form(phone, stack.url + "/")
    phone.get_by_label("Topic").select_option("shipping")
    phone.get_by_label("Your name").fill("Hanako")
    phone.get_by_label("Your email").fill("hanako@example.com")
    phone.get_by_label("Message").fill("Where is my parcel?")
    # Record what has focus each time the button's disabled state changes.
    phone.evaluate(
        """() => {
            const button = document.getElementById("send");
            window.focusWhileDisabled = [];
            new MutationObserver(() => {
                if (button.disabled) window.focusWhileDisabled.push(document.activeElement.id);
            }).observe(button, { attributes: true, attributeFilter: ["disabled"] });
        }"""
    )

    phone.get_by_role("button", name="Send message").focus()
    phone.keyboard.press("Enter")

    expect(phone.locator("#status")).to_contain_text("Your message was sent")
    assert phone.evaluate("window.focusWhileDisabled") == ["status"]


def test_a_refusal_by_the_api_is_shown_at_its_field_in_words(
    stack: RunningStack, phone: Any
) -> None:
    from playwright.sync_api import expect

    before = len(stack.outbox())
    open_form(phone, stack.url + "/")

    # Given a form the page finds nothing wrong with, but whose name is only a link
    phone.get_by_label("Topic").select_option("shipping")
    phone.get_by_label("Your name").fill("https://phish.example/login")
    phone.get_by_label("Your email").fill("hanako@example.com")
    phone.get_by_label("Message").fill("Where is my parcel?")
    phone.get_by_role("button", name="Send message").click()

    expect(phone.locator("#buyer-name-error")).to_have_text(
        "Enter your name in words: links and formatting are removed"
    )
    expect(phone.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#status")).to_have_text("Nothing was sent: 1 field needs correcting.")
    assert focused_id(phone) == "buyer-name"
    assert len(stack.outbox()) == before


def test_the_message_limit_comes_from_the_api(limited_stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    open_form(phone, limited_stack.url + "/")
    message = phone.get_by_label("Message")
    expect(message).to_have_attribute("maxlength", "120")
    expect(phone.locator("#message-count")).to_have_text("0 of 120 characters")

    message.press_sequentially("Hello there")
    expect(phone.locator("#message-count")).to_have_text("11 of 120 characters")
    # Past the limit, the field takes no more.
    message.fill("x" * 119)
    message.press_sequentially("yz")
    expect(phone.locator("#message-count")).to_have_text("120 of 120 characters")
    expect(message).to_have_value("x" * 119 + "y")
    expect(phone.locator("#message-count-announced")).to_have_text("No characters left")


def test_a_rate_limit_says_which_and_when_in_words(limited_stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    open_form(phone, limited_stack.url + "/")
    status = phone.locator("#status")
    when = r"Try again in about (a minute|\d+ minutes|an hour)\.$"

    def send(email: str) -> None:
        phone.get_by_label("Topic").select_option("shipping")
        phone.get_by_label("Your name").fill("Hanako")
        phone.get_by_label("Your email").fill(email)
        phone.get_by_label("Message").fill("Where is my parcel?")
        phone.get_by_role("button", name="Send message").click()

    send("hanako@example.com")
    expect(status).to_contain_text("Your message was sent")

    # The buyer's own limit: another address would be let through
    send("hanako@example.com")
    expect(status).to_have_text(
        re.compile(
            r"^Nothing was sent: this email address has sent the most messages allowed in an"
            r" hour\. " + when
        )
    )
    assert focused_id(phone) == "status"

    # The network's limit: any address from here is refused
    send("taro@example.com")
    expect(status).to_have_text(
        re.compile(
            r"^Nothing was sent: too many messages have been sent from your network this hour\. "
            + when
        )
    )


@pytest.mark.parametrize(
    ("retry_after", "words"),
    [
        ("3599", "in about an hour"),
        ("3000", "in about an hour"),
        ("1490", "in about 25 minutes"),
        ("420", "in about 7 minutes"),
        ("91", "in about 2 minutes"),
        ("45", "in about a minute"),
    ],
)
def test_retry_after_is_told_in_words(
    stack: RunningStack, phone: Any, retry_after: str, words: str
) -> None:
    from playwright.sync_api import expect

    # The API's 429 as the contract states it, whatever the clock: only the header varies.
    phone.route(
        "**/sellers/*/messages",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": retry_after},
            content_type="application/json",
            body='{"error": {"code": "rate_limited", "message": "Too many messages.",'
            ' "details": [{"field": "buyer.email", "issue": "has sent the most messages"}]}}',
        ),
    )
    open_form(phone, stack.url + "/")
    phone.get_by_label("Topic").select_option("shipping")
    phone.get_by_label("Your name").fill("Hanako")
    phone.get_by_label("Your email").fill("hanako@example.com")
    phone.get_by_label("Message").fill("Where is my parcel?")
    phone.get_by_role("button", name="Send message").click()

    expect(phone.locator("#status")).to_contain_text(f"Try again {words}.")
