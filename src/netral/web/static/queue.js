// netral review queue: keyboard shortcuts (self-hosted, no dependencies).
//   j / k  next / previous finding        c  confirm (asks for the reason first)
//   d      dismiss (asks for the reason)   e  escalate
//   x      select for a bulk action        o / Enter  open the finding
//   ?      help                            Esc  cancel / close
// Every decision is an ordinary form post: the page works the same without JavaScript.
(function () {
  "use strict";
  var list = document.getElementById("queue-list");
  if (!list) { return; }
  var rows = Array.prototype.slice.call(list.querySelectorAll("li.finding"));
  var help = document.getElementById("kbd-help");
  var helpButton = document.getElementById("kbd-help-open");
  var hint = document.getElementById("kbd-hint");
  var status = document.getElementById("kbd-status");
  var reasonMsg = document.getElementById("msg-reason");
  var current = -1;

  function say(text) { if (status) { status.textContent = text; } }

  function setCurrent(i, focus) {
    if (!rows.length) { return; }
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0 && rows[current]) {
      rows[current].classList.remove("current");
      rows[current].removeAttribute("aria-current");
    }
    current = i;
    var row = rows[current];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    if (focus !== false) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function rowForm(row) { return row && row.querySelector("form.row-actions"); }

  function submitRow(row, action) {
    var form = rowForm(row);
    if (!form) { return false; }
    var button = form.querySelector('button[value="' + action + '"]');
    if (!button) { return false; }
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    return true;
  }

  // c / d: a decision needs a reason. With one written, decide at once; otherwise put the
  // cursor in the row's reason field and decide on Enter.
  function decide(row, action) {
    var form = rowForm(row);
    if (!form) { return; }
    var reason = form.querySelector("input.reason");
    if (reason && reason.value.trim()) { submitRow(row, action); return; }
    form.setAttribute("data-pending", action);
    rows.forEach(function (r) { r.classList.remove("pending"); });
    row.classList.add("pending");
    if (hint) { hint.hidden = false; }
    if (reasonMsg) { say(reasonMsg.textContent); }
    if (reason) { reason.focus(); }
  }

  function cancelPending() {
    rows.forEach(function (r) {
      r.classList.remove("pending");
      var f = rowForm(r);
      if (f) { f.removeAttribute("data-pending"); }
    });
    if (hint) { hint.hidden = true; }
  }

  // Enter in a reason field submits the pending decision (confirm unless d/e was chosen).
  rows.forEach(function (row, i) {
    var form = rowForm(row);
    if (!form) { return; }
    var reason = form.querySelector("input.reason");
    if (!reason) { return; }
    reason.addEventListener("focus", function () { setCurrent(i, false); });
    reason.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        ev.preventDefault();
        if (!reason.value.trim()) { if (reasonMsg) { say(reasonMsg.textContent); } return; }
        submitRow(row, form.getAttribute("data-pending") || "confirm");
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        cancelPending();
        setCurrent(i);
      }
    });
    // a click on Confirm/Dismiss with an empty reason: ask for it instead of a round trip
    form.addEventListener("submit", function (ev) {
      var action = ev.submitter && ev.submitter.value;
      if ((action === "confirm" || action === "dismiss") && !reason.value.trim()) {
        ev.preventDefault();
        decide(row, action);
      }
    });
  });
  rows.forEach(function (row, i) {
    row.addEventListener("click", function (ev) {
      if (ev.target.closest("a, button, input, select, textarea, label")) { return; }
      setCurrent(i);
    });
  });

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" ||
                  el.tagName === "SELECT" || el.isContentEditable);
  }

  function toggleHelp() {
    if (!help || !help.showModal) { return; }
    if (help.open) { help.close(); } else { help.showModal(); }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (help && help.open) { return; }  // the dialog handles its own keys (Esc closes it)
    if (typing(ev.target)) { return; }
    var row = rows[current];
    switch (ev.key) {
      case "j": setCurrent(current + 1); break;
      case "k": setCurrent(current < 0 ? 0 : current - 1); break;
      case "x": {
        var box = row && row.querySelector('input[type="checkbox"][name="ids"]');
        if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
        break;
      }
      case "c": decide(row, "confirm"); break;
      case "d": decide(row, "dismiss"); break;
      case "e": if (!submitRow(row, "escalate")) { return; } break;
      case "o": case "Enter": {
        if (ev.target !== row && ev.target !== document.body && ev.key === "Enter") { return; }
        var link = row && row.querySelector("a.open");
        if (link) { window.location.href = link.href; }
        break;
      }
      case "?": toggleHelp(); break;
      case "Escape": cancelPending(); break;
      default: return;
    }
    ev.preventDefault();
  });

  if (helpButton && help && help.showModal) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", toggleHelp);
  }

  // After a decision the server sends us back with ?focus=<next finding>: continue there.
  var focusId = list.getAttribute("data-focus");
  var start = 0;
  if (focusId) {
    rows.forEach(function (r, i) { if (r.getAttribute("data-id") === focusId) { start = i; } });
  }
  if (rows.length) { setCurrent(start, Boolean(focusId)); }
})();
