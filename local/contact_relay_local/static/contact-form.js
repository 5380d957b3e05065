// The demo storefront form: topics from GET /topics, messages to POST /sellers/{id}/messages.
"use strict";

(function () {
  const form = document.getElementById("contact-form");
  const topicSelect = document.getElementById("topic");
  const status = document.getElementById("status");
  const sendButton = document.getElementById("send");
  const sellerId = new URLSearchParams(window.location.search).get("seller")
    || document.querySelector('meta[name="default-seller"]').content;

  // Which input shows the error for each field the API names.
  const fieldInputs = {
    topic: "topic",
    message: "message",
    "buyer.name": "buyer-name",
    "buyer.email": "buyer-email",
    buyer: "buyer-name",
    orderId: "order-id",
  };
  // One key per distinct message, so a retry after a network failure is never sent twice.
  let pending = { fingerprint: null, key: null };

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function showStatus(text, kind) {
    status.textContent = text;
    status.className = kind;
  }

  function clearFieldErrors() {
    for (const id of Object.values(fieldInputs)) {
      document.getElementById(id).removeAttribute("aria-invalid");
      document.getElementById(id + "-error").textContent = "";
    }
  }

  function showFieldError(field, issue) {
    const id = fieldInputs[field];
    if (!id) return false;
    const label = document.querySelector('label[for="' + id + '"]').textContent;
    document.getElementById(id).setAttribute("aria-invalid", "true");
    document.getElementById(id + "-error").textContent = label + " " + issue + ".";
    return true;
  }

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
      buyer: { name: data.get("buyer.name"), email: data.get("buyer.email") },
    };
    const orderId = (data.get("orderId") || "").trim();
    if (orderId) body.orderId = orderId;
    const website = data.get("website");
    if (website) body.website = website;
    return body;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors();
    const body = payload();
    const fingerprint = JSON.stringify(body);
    if (pending.fingerprint !== fingerprint) pending = { fingerprint, key: newKey() };

    sendButton.disabled = true;
    showStatus("Sending…", "");
    try {
      const response = await fetch("/sellers/" + encodeURIComponent(sellerId) + "/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": pending.key },
        body: fingerprint,
      });
      const answer = await response.json();
      if (response.ok) {
        showStatus(answer.confirmation, "success");
        form.reset();
        pending = { fingerprint: null, key: null };
        return;
      }
      const error = answer.error || { message: "The message could not be sent." };
      let shownInline = false;
      for (const detail of error.details || []) {
        shownInline = showFieldError(detail.field, detail.issue) || shownInline;
      }
      const retryAfter = response.headers.get("Retry-After");
      const retry = retryAfter ? " Please try again in " + retryAfter + " seconds." : "";
      showStatus(error.message + retry, "failure");
      if (!shownInline && error.details && error.details.length) {
        status.textContent += " " + error.details.map((d) => d.field + " " + d.issue).join("; ");
      }
    } catch (error) {
      showStatus("The message could not be sent: check your connection and try again.", "failure");
    } finally {
      sendButton.disabled = false;
    }
  });

  loadTopics();
})();
