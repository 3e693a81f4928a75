// Overseer dashboard glue: only what htmx does not do itself.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: the system's by default, or the one the user picked.
  var saved = localStorage.getItem("overseer-theme");
  if (saved) root.setAttribute("data-theme", saved);
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#theme-toggle")) {
      var dark = root.getAttribute("data-theme") ? root.getAttribute("data-theme") === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
      var next = dark ? "light" : "dark";
      root.setAttribute("data-theme", next);
      localStorage.setItem("overseer-theme", next);
    }
    if (e.target.closest && e.target.closest("#jump")) {
      scrollToEnd();
    }
    var jump = e.target.closest && e.target.closest("a[data-jump]");
    if (jump && jumpTo(jump)) e.preventDefault();
    var copy = e.target.closest && e.target.closest("[data-copy]");
    if (copy) copyFrom(copy);
    var accept = e.target.closest && e.target.closest("[data-accept-suggestion]");
    if (accept) takeSuggestion(accept, true);
    var discard = e.target.closest && e.target.closest("[data-discard-suggestion]");
    if (discard) takeSuggestion(discard, false);
  });

  // A prompt optimiser's suggestion: Accept puts it in the form's prompt, Discard drops it. Only
  // the browser's form changes; the person still sends it.
  function takeSuggestion(button, accepted) {
    var panel = button.closest("[data-suggestion]");
    if (!panel) return;
    var form = panel.closest("form");
    var prompt = form && form.querySelector("textarea[name=prompt]");
    if (accepted && prompt) {
      prompt.value = panel.querySelector(".suggested-text").value;
      prompt.dispatchEvent(new Event("input", { bubbles: true }));
    }
    panel.remove();
    if (prompt) prompt.focus();
  }

  // A token shown once: its Copy button puts it on the clipboard (or selects it where there is no clipboard API).
  function copyFrom(button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { /* left selected to copy by hand */ });
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }

  // "Answer" in the answer bar, and a transcript line's link, go to the pending item's form.
  function jumpTo(link) {
    var item = link.getAttribute("data-jump") === "pending"
      ? document.querySelector("#pending .item:not(.resolved)")
      : document.getElementById(link.getAttribute("href").slice(1));
    if (!item) return false;
    item.scrollIntoView({ block: "start" });
    // The sticky header's height depends on the screen and on what it holds (the answer bar):
    // move the item out from under it rather than trust a fixed margin.
    var header = document.querySelector("header.top");
    var covered = header ? header.getBoundingClientRect().bottom + 8 : 0;
    var top = item.getBoundingClientRect().top;
    if (top < covered) window.scrollBy(0, top - covered);
    var field = item.querySelector("input:not([type=hidden]), textarea, select, button:not([disabled])");
    if (field) field.focus({ preventScroll: true });
    return true;
  }

  // What waits for a person, where they look when the tab is not in front: the title and the
  // installed app's badge follow the navigation's inbox count.
  function syncCount() {
    var badge = document.getElementById("inbox-count");
    if (!badge) return;
    var text = badge.textContent.trim();
    var n = parseInt(text, 10) || 0;
    document.title = (n > 0 ? "(" + text + ") " : "") + document.title.replace(/^\(\d+\+?\) /, "");
    if (navigator.setAppBadge) {
      (n > 0 ? navigator.setAppBadge(n) : navigator.clearAppBadge()).catch(function () { /* not installed */ });
    }
  }
  syncCount();

  // A RED approval's Approve waits for the phrase typed exactly (the server checks it again).
  document.addEventListener("input", function (e) {
    var phrase = e.target.getAttribute && e.target.getAttribute("data-confirm-phrase");
    if (phrase === null || !e.target.form) return;
    var approve = e.target.form.querySelector("button[data-action=approve]");
    if (approve) approve.disabled = e.target.value.trim() !== phrase;
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the app works without it */ });
  }

  // The session page opens at its latest output.
  var transcript = document.getElementById("transcript");
  function nearEnd() { return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120; }
  function scrollToEnd() {
    window.scrollTo(0, document.documentElement.scrollHeight);
    var jump = document.getElementById("jump");
    if (jump) jump.hidden = true;
  }
  if (transcript) scrollToEnd();

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.form && e.target.tagName === "TEXTAREA") {
      e.preventDefault();
      var send = e.target.form.querySelector("button[type=submit]");
      if (!send || !send.disabled) e.target.form.requestSubmit();
    }
  });

  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form && form.hasAttribute("data-autosubmit")) form.submit();
  });

  // Relative times stay true while the page is open.
  function ago(t) {
    var s = (Date.now() - Date.parse(t)) / 1000;
    if (s < 45) return "just now";
    if (s < 3600) return Math.max(1, Math.round(s / 60)) + " min ago";
    if (s < 86400) return Math.floor(s / 3600) + " h ago";
    return Math.floor(s / 86400) + " d ago";
  }
  setInterval(function () {
    document.querySelectorAll("time.ago").forEach(function (el) { el.textContent = ago(el.getAttribute("datetime")); });
  }, 30000);

  if (!window.htmx) return; // the sign-in page has no htmx

  // Errors come back as a message for the toast area (the server retargets them): swap those too.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "[45]..", swap: true, error: true }
  ];

  // The live stream resumes after the last event this page has shown. The browser's own
  // reconnect sends Last-Event-ID; when the extension has to open a new connection, the
  // position goes in the URL instead.
  var lastSeq = null;
  var createEventSource = htmx.createEventSource;
  htmx.createEventSource = function (url) {
    if (lastSeq !== null) url = url.replace(/([?&]after=)\d+/, "$1" + lastSeq);
    return createEventSource ? createEventSource(url) : new EventSource(url, { withCredentials: true });
  };

  var wasNearEnd = false;
  document.body.addEventListener("htmx:sseBeforeMessage", function (e) {
    wasNearEnd = nearEnd();
    if (e.detail && e.detail.lastEventId) lastSeq = e.detail.lastEventId;
  });
  document.body.addEventListener("htmx:sseMessage", function () {
    syncCount();
    if (!transcript) return;
    if (wasNearEnd) scrollToEnd();
    else { var jump = document.getElementById("jump"); if (jump) jump.hidden = false; }
  });
  // Offline: a banner once the stream has been down a moment (a reconnect blip does not flash it).
  var offlineTimer = null;
  function setOffline(offline) {
    document.body.classList.toggle("offline", offline);
    var banner = document.getElementById("offline-banner");
    if (banner) banner.hidden = !offline;
  }
  document.body.addEventListener("htmx:sseOpen", function () {
    clearTimeout(offlineTimer);
    offlineTimer = null;
    setOffline(false);
  });
  // A stream that keeps failing may mean the sign-in ran out: if the page itself now redirects
  // to sign-in, go there instead of retrying for ever.
  var checking = false;
  document.body.addEventListener("htmx:sseError", function () {
    if (offlineTimer === null && !document.body.classList.contains("offline")) {
      offlineTimer = setTimeout(function () { offlineTimer = null; setOffline(true); }, 1500);
    }
    if (checking) return;
    checking = true;
    fetch("/ui/session", { redirect: "manual", credentials: "same-origin" })
      .then(function (r) { if (r.type === "opaqueredirect" || r.status === 401) location.reload(); })
      .catch(function () { /* the server is unreachable: keep retrying */ })
      .finally(function () { setTimeout(function () { checking = false; }, 5000); });
  });

  // Older events load above what the user is reading: keep their place.
  var heightBefore = 0;
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "older") heightBefore = document.documentElement.scrollHeight;
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (heightBefore && e.detail.target && e.detail.target.id === "older") {
      window.scrollBy(0, document.documentElement.scrollHeight - heightBefore);
      heightBefore = 0;
    }
  });
  window.addEventListener("scroll", function () {
    if (nearEnd()) { var jump = document.getElementById("jump"); if (jump) jump.hidden = true; }
  }, { passive: true });

  // What follows a successful action: the form is emptied and an earlier error goes. Bound to
  // the request, not to htmx:afterRequest: a live update may replace the form (or the item)
  // before the response comes, and an event on a detached element reaches nobody.
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var xhr = e.detail.xhr;
    var form = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("form");
    if (!xhr) return;
    xhr.addEventListener("load", function () {
      if (xhr.status >= 400) return;
      document.querySelectorAll("#toasts .toast").forEach(function (t) { t.remove(); });
      if (form && !form.isConnected && form.id) form = document.getElementById(form.id);
      if (form && form.hasAttribute("data-reset")) form.reset();
    });
  });

  // Toasts go away by themselves.
  document.body.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("#toasts .toast:not([data-timer])").forEach(function (t) {
      t.setAttribute("data-timer", "1");
      setTimeout(function () { t.remove(); }, 8000);
    });
  });
})();
