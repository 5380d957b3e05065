"""The demo page in headless Chromium: a buyer fills the form, the seller gets plain text.

The page is a reference a storefront copies, so it is held to what a well-kept form does: used
with the keyboard alone on a 375 px screen, focus always where the buyer must read or act, errors
and delivery statuses worded for people, whom the buyer writes to (and whether that seller can
receive messages) said before anything is typed, the message limit read from the API, and no
serious or critical violation found by axe-core (4.12.1, vendored in the pinned
axe-playwright-python wheel: no network).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
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
# What the page says of each status GET /messages/{messageId} can give.
DELIVERY_WORDS = {
    "sent": "On its way to the seller's inbox.",
    "unconfirmed": "Checking whether it reached the seller's inbox.",
    "delayed": "Delivery is taking longer than usual; it is still being tried.",
    "delivered": "Delivered to the seller's inbox.",
    "bounced": "The seller's address bounced; the seller will not get this message.",
    "complained": "The seller's mail system reported this message as unwanted; the seller may"
    " not read it.",
    "failed": "The message could not be delivered to the seller.",
}
# The page's beat (contact-form.js): asked every 1.5 s, for 20 s at most.
POLL_EVERY_MS = 1500
POLL_FOR_MS = 20_000
FORM_CONTROLS = ["topic", "buyer-name", "buyer-email", "order-id", "message", "send"]


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
    [reply_to] = email["replyTo"]
    assert reply_to.endswith("@reply.localhost") and "hanako" not in reply_to
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


def fill_and_send(page: Any, email: str) -> None:
    """Sends a message; each test its own buyer, so the session stack's hourly limit per buyer
    (20) is never what a test meets."""
    page.get_by_label("Topic").select_option("shipping")
    page.get_by_label("Your name").fill("Hanako")
    page.get_by_label("Your email").fill(email)
    page.get_by_label("Message").fill("Where is my parcel?")
    page.get_by_role("button", name="Send message").click()


def is_send(response: Any) -> bool:
    return bool(response.request.method == "POST" and response.url.endswith("/messages"))


# ---- The seller, before the buyer types ---------------------------------------------------


def test_the_heading_names_the_seller(stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    open_form(phone, f"{stack.url}/?seller=tokyo-tea")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Contact 東京ティーハウス")
    expect(phone).to_have_title("Contact 東京ティーハウス")
    expect(phone.locator("#seller-notice")).to_be_hidden()
    for control in FORM_CONTROLS:
        expect(phone.locator(f"#{control}")).to_be_enabled()


def test_a_seller_not_accepting_messages_is_said_before_anything_is_typed(
    stack: RunningStack, phone: Any
) -> None:
    from playwright.sync_api import expect

    before = len(stack.outbox())

    # Given a seller whose reply-to address is not verified yet (a demo seller of the stack)
    assert stack.request("GET", "/sellers/pending-store").json()["accepting"] is False
    open_form(phone, f"{stack.url}/?seller=pending-store")

    # Then the page names the seller, says why nothing can be sent, with focus on that notice
    # (so it is read out at once), and turns every control off
    expect(phone.get_by_role("heading", level=1)).to_have_text("Contact Pending Store")
    notice = phone.locator("#seller-notice")
    expect(notice).to_have_text(
        "Pending Store is not accepting messages at the moment, so this form is turned off."
        " Please try again later."
    )
    assert focused_id(phone) == "seller-notice"
    assert in_view(phone, "#seller-notice")
    for control in FORM_CONTROLS:
        expect(phone.locator(f"#{control}")).to_be_disabled()

    # And the keyboard reaches no control, so nothing can be typed or sent
    for _ in range(3):
        phone.keyboard.press("Tab")
        assert focused_id(phone) not in FORM_CONTROLS
    phone.keyboard.type("Hello")
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("Message")).to_have_value("")
    assert serious_violations(phone) == []
    assert len(stack.outbox()) == before


@pytest.mark.parametrize("seller", ["no-such-store", "closed-shop"])
def test_a_seller_not_found_is_said_before_anything_is_typed(
    stack: RunningStack, phone: Any, seller: str
) -> None:
    from playwright.sync_api import expect

    # An unknown seller, or a suspended one: the API tells them apart from no one
    open_form(phone, f"{stack.url}/?seller={seller}")

    expect(phone.locator("#seller-notice")).to_have_text(
        "This seller could not be found or is not accepting messages, so this form is turned"
        " off. Check the link that brought you here."
    )
    expect(phone.get_by_role("heading", level=1)).to_have_text("Contact the seller")
    assert focused_id(phone) == "seller-notice"
    expect(phone.get_by_role("button", name="Send message")).to_be_disabled()
    assert serious_violations(phone) == []


def test_a_seller_that_stops_accepting_before_the_send_is_said_in_words(
    stack: RunningStack, phone: Any
) -> None:
    from playwright.sync_api import expect

    before = len(stack.outbox())
    # Given a page that was told the seller accepts messages, as it did when the page loaded,
    # for a seller that no longer does (the real API answers the send)
    phone.route(
        "**/sellers/pending-store",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {"sellerId": "pending-store", "displayName": "Pending Store", "accepting": True}
            ),
        ),
    )
    open_form(phone, f"{stack.url}/?seller=pending-store")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Contact Pending Store")
    fill_and_send(phone, "unavailable@example.com")

    # Then the API's 409 is said for people, the buyer's text is kept and nothing was sent
    expect(phone.locator("#status")).to_have_text(
        "Nothing was sent: Pending Store cannot receive messages at the moment. Your message is"
        " still in the form, so you can try again later."
    )
    assert focused_id(phone) == "status"
    expect(phone.get_by_label("Message")).to_have_value("Where is my parcel?")
    expect(phone.locator("#delivery")).to_have_text("")
    assert len(stack.outbox()) == before


# ---- Where a sent message is --------------------------------------------------------------


def is_status(response: Any) -> bool:
    return bool(response.request.method == "GET" and "/messages/" in response.url)


def test_after_sending_the_page_shows_the_status_the_stack_gives(
    stack: RunningStack, phone: Any
) -> None:
    from playwright.sync_api import expect

    open_form(phone, stack.url + "/")
    delivery = phone.locator("#delivery")
    with phone.expect_response(is_send) as sent, phone.expect_response(is_status) as asked:
        fill_and_send(phone, "status-now@example.com")

        # At once, the status of the send's own answer, in words, announced politely
        expect(phone.locator("#status")).to_contain_text("Your message was sent to Example Store")
        expect(delivery).to_have_text(DELIVERY_WORDS["sent"])
        expect(delivery).to_have_attribute("role", "status")

    # Then whatever the stack says when the page asks: sent, or delivered once SES's events
    # (emulated by the stack) have moved it
    assert asked.value.url.endswith("/messages/" + sent.value.json()["messageId"])
    status = asked.value.json()["status"]
    assert status in DELIVERY_WORDS
    expect(delivery).to_have_text(DELIVERY_WORDS[status])
    assert focused_id(phone) == "status"
    assert serious_violations(phone) == []


def status_answers(page: Any, statuses: list[str]) -> list[str]:
    """Answers GET /messages/{id} with `statuses` in turn (the last one again after them);
    returns the list of message ids asked for, which grows as the page asks."""
    asked: list[str] = []

    def answer(route: Any) -> None:
        message_id = route.request.url.rsplit("/", 1)[-1]
        status = statuses[min(len(asked), len(statuses) - 1)]
        asked.append(message_id)
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {
                    "messageId": message_id,
                    "status": status,
                    "topic": "shipping",
                    "createdAt": "2026-12-04T12:00:00Z",
                    "updatedAt": "2026-12-04T12:00:01Z",
                }
            ),
        )

    page.route("**/messages/*", answer)
    return asked


def paused_clock(page: Any) -> Callable[[int], None]:
    """Time in the page stands still but for the milliseconds the returned function runs."""
    start = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(seconds=1))
    run_for: Callable[[int], None] = page.clock.run_for
    return run_for


def asks_no_more(page: Any) -> None:
    """Runs the page's clock far past any beat, then gives a request it would make (its fetch
    starts in the timer itself) a moment to reach the route: no new request can be proven only
    by waiting a little."""
    page.clock.run_for(10 * POLL_FOR_MS)
    time.sleep(0.3)
    page.evaluate("() => 0")


def test_the_status_is_shown_as_it_changes_and_asking_stops_when_it_is_final(
    stack: RunningStack, phone: Any
) -> None:
    from playwright.sync_api import expect

    advance = paused_clock(phone)
    asked = status_answers(phone, ["delayed", "delivered"])
    open_form(phone, stack.url + "/")
    with phone.expect_response(is_send) as sent:
        fill_and_send(phone, "status-changes@example.com")
    message_id = sent.value.json()["messageId"]
    delivery = phone.locator("#delivery")
    expect(delivery).to_have_text(DELIVERY_WORDS["sent"])
    assert asked == []

    advance(POLL_EVERY_MS)
    expect(delivery).to_have_text(DELIVERY_WORDS["delayed"])
    advance(POLL_EVERY_MS)
    expect(delivery).to_have_text(DELIVERY_WORDS["delivered"])
    expect(delivery).to_have_class("success")
    assert asked == [message_id, message_id]

    # A final status: the page asks no more, however long it stays open
    asks_no_more(phone)
    assert asked == [message_id, message_id]
    expect(delivery).to_have_text(DELIVERY_WORDS["delivered"])


@pytest.mark.parametrize("final", ["bounced", "complained", "failed"])
def test_a_final_failure_is_said_for_people(stack: RunningStack, phone: Any, final: str) -> None:
    from playwright.sync_api import expect

    advance = paused_clock(phone)
    status_answers(phone, [final])
    open_form(phone, stack.url + "/")
    fill_and_send(phone, f"{final}@example.com")
    expect(phone.locator("#delivery")).to_have_text(DELIVERY_WORDS["sent"])

    advance(POLL_EVERY_MS)
    expect(phone.locator("#delivery")).to_have_text(DELIVERY_WORDS[final])
    expect(phone.locator("#delivery")).to_have_class("failure")
    phone.clock.resume()  # axe-core waits on timers of its own
    assert serious_violations(phone) == []


def test_the_page_stops_asking_when_the_time_is_up(stack: RunningStack, phone: Any) -> None:
    from playwright.sync_api import expect

    advance = paused_clock(phone)
    asked = status_answers(phone, ["sent"])
    open_form(phone, stack.url + "/")
    fill_and_send(phone, "status-time-up@example.com")
    delivery = phone.locator("#delivery")
    expect(delivery).to_have_text(DELIVERY_WORDS["sent"])

    advance(POLL_FOR_MS + POLL_EVERY_MS)
    expect(delivery).to_have_text(
        "Delivery has not been confirmed yet; this page has stopped checking."
    )
    count = len(asked)
    assert 1 <= count <= POLL_FOR_MS // POLL_EVERY_MS
    asks_no_more(phone)
    assert len(asked) == count


def test_the_bounce_loop_as_a_buyer_sees_it(browser: Any) -> None:
    """The demo seller whose address is SES's bounce simulator, on a stack of its own (marking
    it bouncing must not touch the other tests' sellers): the first message bounces, and the
    next buyer is told before typing that the seller accepts no messages."""
    from playwright.sync_api import expect

    bouncing = RunningStack()
    page = browser.new_page(viewport=PHONE)
    try:
        open_form(page, f"{bouncing.url}/?seller=bouncing-store")
        expect(page.get_by_role("heading", level=1)).to_have_text("Contact Bouncing Store")
        fill_and_send(page, "bounce-loop@example.com")
        expect(page.locator("#status")).to_contain_text("Your message was sent to Bouncing Store")

        # The stack's emulated SES reports the bounce; the page's next question finds it
        expect(page.locator("#delivery")).to_have_text(DELIVERY_WORDS["bounced"])
        expect(page.locator("#delivery")).to_have_class("failure")

        page.reload()
        expect(page.locator("#seller-notice")).to_have_text(
            "Bouncing Store is not accepting messages at the moment, so this form is turned off."
            " Please try again later."
        )
        assert focused_id(page) == "seller-notice"
        expect(page.get_by_role("button", name="Send message")).to_be_disabled()
        assert serious_violations(page) == []
    finally:
        page.close()
        assert bouncing.stop() == 0
