// netral: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Phones: fold the navigation (a <details>, open by default so it works without JS).
  var menu = document.querySelector("details.menu");
  if (menu && !window.matchMedia("(min-width: 760px)").matches) { menu.open = false; }

  // "Select all" checkbox in the review queue, and how many rows are selected.
  var counter = document.getElementById("selected-count");
  function countSelected() {
    if (!counter) { return; }
    var n = document.querySelectorAll('input[type="checkbox"][name="ids"]:checked').length;
    counter.textContent = n ? (counter.getAttribute("data-label") || "{n}").replace("{n}", n) : "";
  }
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var name = box.getAttribute("data-select-all");
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
      countSelected();
    });
  });
  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.name === "ids") { countSelected(); }
  });

  // "Undo" after a review action: offered for a short window, then withdrawn.
  var undo = document.getElementById("undo-form");
  if (undo) {
    var until = Date.now() + parseFloat(undo.getAttribute("data-left") || "0") * 1000;
    var note = document.getElementById("undo-note");
    var template = note ? note.textContent.replace(/\d+/, "{s}") : "";
    var tick = function () {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) { undo.hidden = true; return; }
      if (note) { note.textContent = template.replace("{s}", left); }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  // The installable app (issue 16): the service worker keeps the offline page and the static
  // files only (see /sw.js); pages, drafts and verdicts are never stored on the device.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }

  // A draft shared to the installed app: show its verdict first.
  var shared = document.querySelector("[data-scroll-to]");
  if (shared) { shared.scrollIntoView(); }

  // Copy a freshly made token to the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var src = document.getElementById(btn.getAttribute("data-copy"));
      if (src && navigator.clipboard) { navigator.clipboard.writeText(src.textContent.trim()); }
    });
  });

  // Confirm irreversible steps.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
})();
