// A stand-in for a social site's compose box, for the extension's browser tests: the box
// appears late (as in a single-page app), a send button or Enter posts what is in the box and
// remounts an empty box (as sites do after posting), and window.__rerender() remounts the box
// with the same text (as a React re-render does). Posts are recorded in window.__posted.
"use strict";
(function () {
  window.__posted = [];
  var tpl = document.getElementById("composer");
  var mount = document.getElementById("mount");

  function editorIn(root) {
    return root.querySelector("textarea, [contenteditable='true'], [contenteditable='']");
  }
  function textOf(ed) {
    return ed.tagName === "TEXTAREA" ? ed.value : ed.innerText.replace(/\n+$/, "");
  }
  function post(root) {
    var ed = editorIn(root);
    var text = textOf(ed);
    if (!text.trim()) { return; }
    window.__posted.push(text);
    document.body.setAttribute("data-posted", String(window.__posted.length));
    render("");
  }
  function render(text) {
    var node = tpl.content.cloneNode(true);
    var root = node.firstElementChild;
    var ed = editorIn(root);
    if (text) {
      if (ed.tagName === "TEXTAREA") {
        ed.value = text;
      } else {
        // the same text in fresh nodes, split in two runs as rich editors do
        var block = ed.querySelector("p, .public-DraftStyleDefault-block") || ed;
        block.textContent = "";
        var cut = Math.floor(text.length / 3);
        var a = document.createElement("span"); a.textContent = text.slice(0, cut);
        var b = document.createElement("span"); b.textContent = text.slice(cut);
        block.appendChild(a); block.appendChild(b);
      }
    }
    root.querySelectorAll("[data-fake-send]").forEach(function (btn) {
      btn.addEventListener("click", function () { post(root); });
    });
    if (ed.hasAttribute("data-fake-enter-sends")) {
      ed.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); post(root); }
      });
    }
    var ph = root.querySelector(".public-DraftEditorPlaceholder-root");
    if (ph) {
      var sync = function () { ph.hidden = !!textOf(ed).trim(); };
      ed.addEventListener("input", sync);
      sync();
    }
    mount.textContent = "";
    mount.appendChild(node);
    return editorIn(mount);
  }
  window.__rerender = function () {
    var ed = editorIn(mount);
    var fresh = render(textOf(ed));
    fresh.focus();
    return true;
  };
  setTimeout(function () { render(""); document.body.setAttribute("data-ready", "1"); }, 150);
})();
