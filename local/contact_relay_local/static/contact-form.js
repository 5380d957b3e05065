// The demo storefront form: the seller from GET /sellers/{id}, topics from GET /topics,
// messages to POST /sellers/{id}/messages, and where a sent message is from GET /messages/{id}.
// A reference a storefront can copy: it says whom the buyer writes to and whether that seller
// can receive messages before anything is typed, checks what it can before sending, words every
// error and every delivery status for people, moves focus to what the buyer must read or fix,
// and reads the message limit from the API's own OpenAPI document rather than repeating it.
"use strict";

(function () {
  const form = document.getElementById("contact-form");
  const topicSelect = document.getElementById("topic");
  const messageInput = document.getElementById("message");
  const messageCount = document.getElementById("message-count");
  const messageCountAnnounced = document.getElementById("message-count-announced");
  const status = document.getElementById("status");
  const sendButton = document.getElementById("send");
  const heading = document.getElementById("heading");
  const sellerNotice = document.getElementById("seller-notice");
  const delivery = document.getElementById("delivery");
  const sellerId = new URLSearchParams(window.location.search).get("seller")
    || document.querySelector('meta[name="default-seller"]').content;
  const apiDocument = document.querySelector('meta[name="api-document"]').content;

  // The inputs in the order they appear, by the name the API gives each field.
  const fieldInputs = {
    topic: "topic",
    "buyer.name": "buyer-name",
    "buyer.email": "buyer-email",
    orderId: "order-id",
    message: "message",
  };
  const ORDER_ID = /^[0-9A-Za-z-]{1,40}$/;
  // What the browser's own type="email" check accepts, plus a dot in the domain, as mail needs.
  const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
  // From the API's document (MAX_MESSAGE_CHARS); null until read, and if it cannot be read
  // (the API still enforces it).
  let maxMessageChars = null;
  let announceTimer = null;
  // One key per distinct message, so a retry after a network failure is never sent twice.
  let pending = { fingerprint: null, key: null };
  let sending = false;
  // The seller's display name once GET /sellers/{id} has given it.
  let sellerName = null;

  // After sending, the message's status is asked for every POLL_EVERY_MS until it is final or
  // POLL_FOR_MS have passed: long enough for the usual delivery report, short enough that a
  // page left open does not ask forever.
  const POLL_EVERY_MS = 1500;
  const POLL_FOR_MS = 20000;
  const FINAL_STATUSES = ["delivered", "bounced", "complained", "failed"];
  // The watch of the latest message: a new send (or a new attempt) stops the one before.
  let watch = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function showStatus(text, kind) {
    status.textContent = text;
    status.className = kind;
  }

  // Focused, and wholly on screen: it may have grown since it last took focus.
  function focusStatus() {
    status.focus({ preventScroll: true });
    status.scrollIntoView({ block: "nearest" });
  }

  // ---- The character count -------------------------------------------------------------

  // The browser's maxlength counts UTF-16 code units, so the count does too: the two always
  // agree, and both stay within the API's limit (which counts characters, never more units).
  function updateCount(announce) {
    const used = messageInput.value.length;
    messageCount.textContent = maxMessageChars === null
      ? used + (used === 1 ? " character" : " characters")
      : used + " of " + maxMessageChars + " characters";
    clearTimeout(announceTimer);
    if (!announce || maxMessageChars === null) return;
    const left = maxMessageChars - used;
    if (left > maxMessageChars / 10) {
      messageCountAnnounced.textContent = "";
      return;
    }
    announceTimer = setTimeout(() => {
      messageCountAnnounced.textContent =
        left === 0 ? "No characters left" : left === 1 ? "1 character left" : left + " characters left";
    }, 1000);
  }

  async function loadMessageLimit() {
    try {
      const response = await fetch(apiDocument, { headers: { Accept: "application/json" } });
      const document_ = await response.json();
      const body = document_.paths["/sellers/{sellerId}/messages"].post.requestBody;
      let schema = body.content["application/json"].schema;
      if (schema.$ref) schema = document_.components.schemas[schema.$ref.split("/").pop()];
      const limit = schema.properties.message.maxLength;
      if (Number.isInteger(limit) && limit > 0) {
        maxMessageChars = limit;
        messageInput.maxLength = limit;
      }
    } catch (error) {
      // No limit shown; the API refuses a message over its limit with a field error.
    }
    updateCount(false);
  }

  // ---- Errors, worded for people ---------------------------------------------------------

  function clearFieldErrors() {
    for (const id of Object.values(fieldInputs)) {
      document.getElementById(id).removeAttribute("aria-invalid");
      document.getElementById(id + "-error").textContent = "";
    }
  }

  function showFieldError(field, text) {
    const id = fieldInputs[field];
    if (!id) return false;
    document.getElementById(id).setAttribute("aria-invalid", "true");
    document.getElementById(id + "-error").textContent = text;
    return true;
  }

  // The first invalid input, in the order of the form: focused, and scrolled so its label and
  // its error are both on screen (on a phone the keyboard's own scroll can hide the label).
  function focusFirstInvalid() {
    const first = form.querySelector('[aria-invalid="true"]');
    if (!first) return false;
    first.focus({ preventScroll: true });
    first.closest(".field").scrollIntoView({ block: "center" });
    return true;
  }

  // What the page can tell before sending: the same rules as the API, in the buyer's words.
  function checkFields(body) {
    const problems = {};
    if (!body.topic) problems.topic = "Choose a topic";
    if (!body.buyer.name.trim()) problems["buyer.name"] = "Enter your name";
    if (!body.buyer.email.trim()) problems["buyer.email"] = "Enter your email address";
    else if (!EMAIL.test(body.buyer.email.trim())) {
      problems["buyer.email"] = "Enter an email address like name@example.com";
    }
    if (body.orderId !== undefined && !ORDER_ID.test(body.orderId)) {
      problems.orderId = body.orderId.length > 40
        ? "Order ID must be 40 characters or fewer"
        : "Order ID may only contain letters, digits and hyphens";
    }
    if (!body.message.trim()) problems.message = "Write a message";
    else if (maxMessageChars !== null && body.message.length > maxMessageChars) {
      problems.message = "Message must be " + maxMessageChars + " characters or fewer";
    }
    return problems;
  }

  // The API's field errors, worded as the page words its own. `issue` is the API's wording,
  // kept where the page has nothing better to say.
  function fieldText(field, issue, code) {
    if (code === "links_not_allowed") {
      return field === "buyer.name"
        ? "Remove the link from your name: links are not accepted"
        : "Remove the link from your message: links are not accepted";
    }
    if (code === "message_empty") {
      return "Write a message: nothing was left once links and formatting were removed";
    }
    switch (field) {
      case "topic":
        return "Choose a topic";
      case "buyer.email":
        return "Enter an email address like name@example.com";
      case "orderId":
        return "Order ID may only contain letters, digits and hyphens";
      case "buyer.name":
        return /links or markup/.test(issue)
          ? "Enter your name in words: links and formatting are removed"
          : "Enter your name, on one line, in 100 characters or fewer";
      case "message":
        return maxMessageChars === null
          ? "Message " + issue
          : "Write a message of " + maxMessageChars + " characters or fewer";
      default:
        return null;
    }
  }

  // Seconds from a Retry-After header, in words a buyer can act on.
  function inWords(seconds) {
    if (!(seconds > 0)) return "later";
    if (seconds <= 90) return "in about a minute";
    const minutes = Math.round(seconds / 60);
    if (minutes >= 50) return "in about an hour";
    const rounded = minutes < 10 ? minutes : Math.round(minutes / 5) * 5;
    return "in about " + rounded + " minutes";
  }

  // What the answer's `removed` says was taken out, for the buyer who wrote it.
  function removedNote(removed) {
    if (!removed) return "";
    const links = removed.links || 0;
    const what = links === 1 ? "1 link" : links + " links";
    if (links && removed.markup) {
      return what + " and some formatting were removed; the seller received plain text.";
    }
    if (links) {
      return what + (links === 1 ? " was" : " were") + " removed; the seller received plain text.";
    }
    if (removed.markup) return "Formatting was removed; the seller received plain text.";
    return "";
  }

  function failureText(response, error) {
    const retryAfter = parseInt(response.headers.get("Retry-After") || "", 10);
    const when = inWords(retryAfter);
    switch (error.code) {
      case "rate_limited":
        if ((error.details || []).some((detail) => detail.field === "buyer.email")) {
          return "Nothing was sent: this email address has sent the most messages allowed in "
            + "an hour. Try again " + when + ".";
        }
        return "Nothing was sent: too many messages have been sent from your network this "
          + "hour. Try again " + when + ".";
      case "service_unavailable":
        return "Nothing was sent: the service is busy. Try again " + when + ".";
      case "request_in_progress":
        return "Your message is still being sent. Wait a moment, then send it again.";
      case "seller_not_found":
        return "Nothing was sent: this seller could not be found or is not accepting messages.";
      case "seller_unavailable":
        return "Nothing was sent: " + (sellerName || "this seller") + " cannot receive messages"
          + " at the moment. Your message is still in the form, so you can try again later.";
      case "delivery_failed":
        return "The message could not be delivered to the seller. Nothing was sent.";
      default:
        return (error.message || "The message could not be sent.") + " Nothing was sent.";
    }
  }

  function fieldsNeedingAttention(count) {
    return count === 1
      ? "Nothing was sent: 1 field needs correcting."
      : "Nothing was sent: " + count + " fields need correcting.";
  }

  // ---- The seller, before the buyer types ------------------------------------------------

  // Every control turned off (still shown, and read out as unavailable), and the reason where
  // focus lands, so it is read at once; a control that had focus loses it when disabled anyway.
  function closeForm(text) {
    for (const element of form.elements) element.disabled = true;
    form.classList.add("closed");
    sellerNotice.textContent = text;
    sellerNotice.hidden = false;
    sellerNotice.focus();
  }

  async function loadSeller() {
    let response;
    let seller;
    try {
      response = await fetch("/sellers/" + encodeURIComponent(sellerId), {
        headers: { Accept: "application/json" },
      });
      seller = await response.json();
    } catch (error) {
      return; // Not known now; a send will say what the API says.
    }
    if (response.status === 404) {
      closeForm("This seller could not be found or is not accepting messages, so this form is"
        + " turned off. Check the link that brought you here.");
      return;
    }
    if (!response.ok || typeof seller.displayName !== "string") return;
    sellerName = seller.displayName;
    heading.textContent = "Contact " + sellerName;
    document.title = "Contact " + sellerName;
    if (seller.accepting === false) {
      closeForm(sellerName + " is not accepting messages at the moment, so this form is turned"
        + " off. Please try again later.");
    }
  }

  // ---- Where a sent message is -----------------------------------------------------------

  function deliveryText(status) {
    switch (status) {
      case "sent":
        return "On its way to the seller's inbox.";
      case "unconfirmed":
        return "Checking whether it reached the seller's inbox.";
      case "delayed":
        return "Delivery is taking longer than usual; it is still being tried.";
      case "delivered":
        return "Delivered to the seller's inbox.";
      case "bounced":
        return "The seller's address bounced; the seller will not get this message.";
      case "complained":
        return "The seller's mail system reported this message as unwanted; the seller may not"
          + " read it.";
      case "failed":
        return "The message could not be delivered to the seller.";
      default:
        return null;
    }
  }

  // What is said when the page stops asking before a final status.
  function stoppedText(status) {
    return status === "delayed"
      ? "Delivery is taking longer than usual; it is still being tried, but this page has"
        + " stopped checking."
      : "Delivery has not been confirmed yet; this page has stopped checking.";
  }

  // Only a change is written: the same words written again could be read out again.
  function showDelivery(text, kind) {
    if (delivery.textContent !== text) delivery.textContent = text;
    delivery.className = kind || "";
  }

  function deliveryKind(status) {
    if (status === "delivered") return "success";
    return FINAL_STATUSES.includes(status) ? "failure" : "";
  }

  function stopWatching() {
    if (watch) clearInterval(watch.timer);
    watch = null;
  }

  // The status asked for on a fixed beat (at most one request at a time), until it is final or
  // the time is up. An answer that comes after the watch has stopped changes nothing.
  function watchDelivery(messageId, status) {
    stopWatching();
    showDelivery(deliveryText(status) || "", deliveryKind(status));
    if (FINAL_STATUSES.includes(status)) return;
    const current = { status, started: Date.now(), asking: false, timer: null };
    watch = current;
    current.timer = setInterval(async () => {
      if (Date.now() - current.started >= POLL_FOR_MS) {
        stopWatching();
        showDelivery(stoppedText(current.status), "");
        return;
      }
      if (current.asking) return;
      current.asking = true;
      let answer = null;
      let gone = false;
      try {
        const response = await fetch("/messages/" + encodeURIComponent(messageId), {
          headers: { Accept: "application/json" },
        });
        gone = response.status === 404;
        if (response.ok) answer = await response.json();
      } catch (error) {
        // Asked again at the next beat.
      }
      current.asking = false;
      if (watch !== current) return;
      if (gone) {
        // Nothing is known of it (its record was never written): nothing to say.
        stopWatching();
        showDelivery("", "");
        return;
      }
      const text = answer && deliveryText(answer.status);
      if (!text) return;
      current.status = answer.status;
      showDelivery(text, deliveryKind(answer.status));
      if (FINAL_STATUSES.includes(answer.status)) stopWatching();
    }, POLL_EVERY_MS);
  }

  // ---- Loading and sending ---------------------------------------------------------------

  async function loadTopics() {
    try {
      const response = await fetch("/topics", { headers: { Accept: "application/json" } });
      const { topics } = await response.json();
      topicSelect.replaceChildren(new Option("Choose a topic", ""));
      for (const topic of topics) topicSelect.add(new Option(topic.label, topic.id));
    } catch (error) {
      showStatus("Topics could not be loaded. Reload the page to try again.", "failure");
    }
  }

  function payload() {
    const data = new FormData(form);
    const body = {
      topic: data.get("topic"),
      message: data.get("message"),
      buyer: { name: data.get("buyer.name"), email: data.get("buyer.email").trim() },
    };
    const orderId = (data.get("orderId") || "").trim();
    if (orderId) body.orderId = orderId;
    const website = data.get("website");
    if (website) body.website = website;
    return body;
  }

  async function send() {
    stopWatching();
    showDelivery("", "");
    clearFieldErrors();
    const body = payload();
    const problems = checkFields(body);
    const fields = Object.keys(problems);
    if (fields.length) {
      for (const field of fields) showFieldError(field, problems[field]);
      showStatus(fieldsNeedingAttention(fields.length), "failure");
      focusFirstInvalid();
      return;
    }
    const fingerprint = JSON.stringify(body);
    if (pending.fingerprint !== fingerprint) pending = { fingerprint, key: newKey() };

    // Focus leaves the button before it is disabled: a disabled button drops focus to nowhere.
    showStatus("Sending…", "");
    focusStatus();
    sendButton.disabled = true;
    try {
      const response = await fetch("/sellers/" + encodeURIComponent(sellerId) + "/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": pending.key },
        body: fingerprint,
      });
      const answer = await response.json();
      if (response.ok) {
        const note = removedNote(answer.removed);
        showStatus(answer.confirmation + (note ? " " + note : ""), "success");
        form.reset();
        updateCount(false);
        pending = { fingerprint: null, key: null };
        focusStatus();
        if (answer.messageId) watchDelivery(answer.messageId, answer.status);
        return;
      }
      const error = answer.error || {};
      let inline = 0;
      if (error.code !== "rate_limited") {
        for (const detail of error.details || []) {
          const text = fieldText(detail.field, detail.issue || "", error.code);
          if (text && showFieldError(detail.field, text)) inline += 1;
        }
      }
      if (inline) {
        showStatus(fieldsNeedingAttention(inline), "failure");
        focusFirstInvalid();
      } else {
        showStatus(failureText(response, error), "failure");
        focusStatus();
      }
    } catch (error) {
      showStatus("The message could not be sent: check your connection and try again.", "failure");
      focusStatus();
    } finally {
      sendButton.disabled = false;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    try {
      await send();
    } finally {
      sending = false;
    }
  });
  messageInput.addEventListener("input", () => updateCount(true));

  updateCount(false);
  loadSeller();
  loadTopics();
  loadMessageLimit();
})();
