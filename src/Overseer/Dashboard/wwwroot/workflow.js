// Overseer dashboard: keyboard shortcuts, tool calls' running time, and links to a transcript line.
(function () {
  "use strict";

  // ---- Tool calls between call and result: how long they have run (or waited for a decision).
  function sessionStatus() {
    var el = document.getElementById("session-status");
    return el ? el.textContent.trim() : "";
  }
  function elapsed(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    return s < 60 ? s + " s" : Math.floor(s / 60) + " min " + (s % 60) + " s";
  }
  function tickTools() {
    var status = sessionStatus();
    document.querySelectorAll(".tool-running[data-since]").forEach(function (el) {
      var ms = Date.now() - Date.parse(el.getAttribute("data-since"));
      if (status === "running" || status === "starting") el.textContent = "running… " + elapsed(ms);
      else if (status === "waiting") el.textContent = "waiting for a decision… " + elapsed(ms);
      // The session stopped without this call's result: say so instead of ticking for ever.
      else { el.textContent = "no result"; el.removeAttribute("data-since"); el.classList.add("ended"); }
    });
  }
  tickTools();
  setInterval(tickTools, 1000);
  document.addEventListener("htmx:afterSettle", tickTools);

  // ---- A search result links to its line: #seq-N shows that event when it is on the page.
  function showLinkedEvent() {
    var m = /^#seq-(\d+)$/.exec(location.hash);
    var el = m && document.querySelector('#transcript [data-seq="' + m[1] + '"]');
    if (!el) return;
    el.classList.add("kbd-focus");
    el.scrollIntoView({ block: "center" });
  }
  window.addEventListener("load", function () { setTimeout(showLinkedEvent, 0); });

  // ---- Keyboard shortcuts. Ignored while typing, and with Ctrl, Alt or Cmd held.
  var overlay = null, confirmBar = null, focused = null, pendingAction = null;

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("#pending article.item[data-kind], #inbox-list article.item[data-kind]"));
  }
  function focusItem(step) {
    var list = items();
    if (list.length === 0) {
      if (step > 0 && !document.getElementById("inbox-list")) location.href = "/inbox";
      return;
    }
    var at = focused ? list.indexOf(focused) : -1;
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
    if (focused) focused.classList.remove("kbd-focus");
    focused = list[next];
    focused.classList.add("kbd-focus");
    focused.setAttribute("tabindex", "-1");
    focused.focus({ preventScroll: true });
    focused.scrollIntoView({ block: "center" });
  }
  function describe(item) {
    var tier = item.querySelector(".tier");
    var tool = item.querySelector("header strong");
    var cmd = item.querySelector(".cmd");
    return (tier ? tier.textContent.trim() + " " : "") + (tool ? tool.textContent.trim() : "this item") + (cmd ? " " + cmd.textContent.trim() : "");
  }
  function ask(action) {
    if (!focused || !document.body.contains(focused)) { focused = null; focusItem(1); }
    if (!focused) return;
    if (focused.getAttribute("data-kind") !== "approval") {
      showConfirm("Only approvals are decided from the keyboard: answer this " + focused.getAttribute("data-kind") + " in its form.", null);
      return;
    }
    var phrase = focused.querySelector("[data-confirm-phrase]");
    if (action === "approve" && phrase) {
      // RED: the phrase is the confirmation, typed by the person; the key only takes them there.
      showConfirm("Type the phrase to approve this RED call, then press Approve.", null);
      phrase.focus();
      return;
    }
    var button = focused.querySelector('button[data-action="' + action + '"]');
    if (!button) return;
    pendingAction = button;
    showConfirm((action === "approve" ? "Approve " : "Deny ") + describe(focused) + "?", action);
  }
  function showConfirm(text, action) {
    if (!confirmBar) {
      confirmBar = document.createElement("div");
      confirmBar.className = "kbd-confirm";
      confirmBar.id = "kbd-confirm";
      confirmBar.setAttribute("role", "alertdialog");
      confirmBar.setAttribute("aria-live", "assertive");
      document.body.appendChild(confirmBar);
    }
    confirmBar.textContent = text + " ";
    var hint = document.createElement("span");
    hint.className = "small muted";
    hint.innerHTML = action ? "<kbd>y</kbd> or <kbd>Enter</kbd> to " + action + ", <kbd>Esc</kbd> to cancel" : "<kbd>Esc</kbd> to close";
    confirmBar.appendChild(hint);
    confirmBar.hidden = false;
    if (!action) pendingAction = null;
  }
  function closeConfirm() {
    pendingAction = null;
    if (confirmBar) confirmBar.hidden = true;
  }
  function toggleOverlay(show) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.className = "shortcut-overlay";
      overlay.id = "shortcut-help";
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-label", "Keyboard shortcuts");
      overlay.innerHTML = '<div class="panel"><strong>Keyboard shortcuts</strong><dl>' +
        "<dt>j / n</dt><dd>Next waiting item (the inbox when none is on the page)</dd>" +
        "<dt>k</dt><dd>Previous waiting item</dd>" +
        "<dt>a</dt><dd>Approve the focused approval (asks first)</dd>" +
        "<dt>d</dt><dd>Deny the focused approval (asks first)</dd>" +
        "<dt>c</dt><dd>Write a follow-up (the composer)</dd>" +
        "<dt>/</dt><dd>Search</dd>" +
        "<dt>?</dt><dd>This list</dd>" +
        "<dt>Esc</dt><dd>Close, cancel</dd></dl></div>";
      overlay.hidden = true;
      overlay.addEventListener("click", function (e) { if (e.target === overlay) toggleOverlay(false); });
      document.body.appendChild(overlay);
    }
    overlay.hidden = show === undefined ? !overlay.hidden : !show;
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      if (overlay && !overlay.hidden) { toggleOverlay(false); e.preventDefault(); }
      if (confirmBar && !confirmBar.hidden) { closeConfirm(); e.preventDefault(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (pendingAction) {
      // Only an explicit yes decides; any other key cancels.
      e.preventDefault();
      var button = pendingAction;
      closeConfirm();
      if ((e.key === "y" || e.key === "Enter") && document.body.contains(button)) button.click();
      return;
    }
    var handled = true;
    switch (e.key) {
      case "j": case "n": focusItem(1); break;
      case "k": focusItem(-1); break;
      case "a": ask("approve"); break;
      case "d": ask("deny"); break;
      case "c": {
        var composer = document.querySelector("#composer textarea");
        if (composer) { composer.focus(); composer.scrollIntoView({ block: "center" }); } else handled = false;
        break;
      }
      case "/": {
        var search = document.getElementById("search-box") || document.getElementById("search-query");
        if (search) { search.focus(); search.select(); } else handled = false;
        break;
      }
      case "?": toggleOverlay(); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
})();
