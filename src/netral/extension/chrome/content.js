// netral extension, content script: finds the compose boxes of the page, has the draft checked
// after a typing pause or when the person presses Post/Kirim, and shows the verdict beside the
// box with the reasons' words marked in the draft.
//
// It never edits the draft and never stops a post for good: the marks are CSS highlights (or,
// for a textarea, a see-through copy laid over it), and a "kampanye" verdict asks once, with
// "Post anyway" one click away. The draft lives only in this page's memory; it is sent to the
// configured netral server (through the extension's service worker) and nowhere else, and it is
// never written to extension storage.
"use strict";

(function () {
  if (window.__netralContent) { return; }
  window.__netralContent = true;
  var site = netralSiteFor(location.hostname);
  if (!site) { return; }

  var DEBOUNCE_MS = 500;     // typing pause before a check
  var POST_WAIT_MS = 1500;   // longest a Post click waits for a verdict not yet known
  var lang = "id";
  var enabled = true;
  var states = [];           // one per compose box that has had text
  var active = null;         // the state the panel shows
  var ui = null;
  var replaying = false;     // our own re-sent click/Enter must pass untouched

  // ------------------------------------------------------------------ settings

  function loadSettings() {
    send({type: "settings"}).then(function (s) {
      if (!s || !s.ok) { return; }
      lang = s.lang === "en" ? "en" : "id";
      var was = enabled;
      enabled = (s.disabledSites || []).indexOf(site.id) < 0;
      if (was && !enabled) { teardown(); }
      render();
    });
  }

  chrome.storage.onChanged.addListener(function () { loadSettings(); });
  chrome.runtime.onMessage.addListener(function (msg, _sender, reply) {
    if (msg && msg.type === "site-info") { reply({site: site.id, enabled: enabled}); }
  });

  function send(msg) {
    try {
      return chrome.runtime.sendMessage(msg).catch(function () { return {ok: false, error: "extension"}; });
    } catch (e) {  // the extension was reloaded under this page
      return Promise.resolve({ok: false, error: "extension"});
    }
  }

  // ------------------------------------------------------------------ states

  function stateOf(el) {
    for (var i = 0; i < states.length; i++) { if (states[i].el === el) { return states[i]; } }
    return null;
  }

  function ensure(el) {
    var st = stateOf(el);
    if (!st) {
      st = {el: el, kind: netralKindOf(el, site), kindManual: false, seq: 0, timer: null,
            pending: null, result: null, error: null, status: 0, checkedText: null,
            checkedKind: null, confirmedText: null, asking: null, ranges: [], mirror: null,
            inputAt: 0, doneAt: 0, expanded: false};
      states.push(st);
    }
    return st;
  }

  function dispose(st) {
    clearTimeout(st.timer);
    st.seq++;
    st.ranges = [];
    if (st.mirror) { st.mirror.remove(); st.mirror = null; }
    states = states.filter(function (s) { return s !== st; });
    if (active === st) { active = null; }
    paintHighlights();
  }

  function teardown() {
    states.slice().forEach(dispose);
    render();
  }

  // ------------------------------------------------------------------ checking

  function schedule(st, ms) {
    clearTimeout(st.timer);
    st.timer = setTimeout(function () { runCheck(st); }, ms);
  }

  function runCheck(st) {
    clearTimeout(st.timer);
    st.timer = null;
    if (!enabled) { return Promise.resolve(st); }
    var text = netralReadText(st.el).text;
    if (!st.kindManual) { st.kind = netralKindOf(st.el, site); }
    var kind = st.kind;
    if (!text.trim()) {
      st.seq++;
      st.pending = null;
      st.result = null; st.error = null; st.checkedText = null;
      unmark(st); render();
      return Promise.resolve(st);
    }
    if (st.checkedText === text && st.checkedKind === kind && !st.pending) {
      mark(st); render();
      return Promise.resolve(st);
    }
    if (st.pending && st.pendingText === text && st.pendingKind === kind) { return st.pending; }
    var seq = ++st.seq;
    st.pendingText = text; st.pendingKind = kind;
    render();
    st.pending = send({type: "check", text: text, kind: kind}).then(function (reply) {
      if (seq !== st.seq) { return st; }  // a newer check took over
      st.pending = null;
      st.checkedText = text; st.checkedKind = kind;
      if (reply && reply.ok) {
        st.result = reply.result; st.error = null;
        st.expanded = reply.result.verdict !== "netral";
      } else {
        st.result = null; st.error = (reply && reply.error) || "extension";
        st.status = (reply && reply.status) || 0;
      }
      st.doneAt = performance.now();
      mark(st); render();
      return st;
    });
    return st.pending;
  }

  // ------------------------------------------------------------------ marks in the draft

  function spansOf(result) {
    return (result.reasons || []).filter(function (r) {
      return typeof r.start === "number" && typeof r.end === "number" && r.end > r.start;
    });
  }

  function unmark(st) {
    st.ranges = [];
    if (st.mirror) { st.mirror.remove(); st.mirror = null; }
    paintHighlights();
  }

  function mark(st) {
    unmark(st);
    if (!enabled || !st.result || !st.el.isConnected) { return; }
    var read = netralReadText(st.el);
    if (read.text !== st.checkedText || st.result.verdict === "netral") { return; }
    var spans = spansOf(st.result);
    if (!spans.length) { return; }
    if (read.parts) {
      st.ranges = netralRangesFor(read, spans);
      paintHighlights();
    } else {
      st.mirror = buildMirror(st, read.text, spans);
      layout();
    }
  }

  function paintHighlights() {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") { return; }
    var byVerdict = {kampanye: [], tinjau: []};
    states.forEach(function (st) {
      if (st.result && byVerdict[st.result.verdict]) {
        Array.prototype.push.apply(byVerdict[st.result.verdict], st.ranges);
      }
    });
    Object.keys(byVerdict).forEach(function (v) {
      var name = "netral-" + v;
      if (byVerdict[v].length) {
        var h = new Highlight();
        byVerdict[v].forEach(function (r) { h.add(r); });
        CSS.highlights.set(name, h);
      } else {
        CSS.highlights.delete(name);
      }
    });
  }

  var MIRROR_PROPS = ["fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing",
    "lineHeight", "textTransform", "textIndent", "textAlign", "wordSpacing", "tabSize",
    "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
    "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "boxSizing", "direction"];

  // A see-through copy of a textarea, laid exactly over it, whose marked words show through:
  // a textarea cannot hold highlights of its own, and its value must not be touched.
  function buildMirror(st, text, spans) {
    var root = ensureUi();
    var m = document.createElement("div");
    m.className = "mirror v-" + st.result.verdict;
    m.setAttribute("aria-hidden", "true");
    var bounds = spans.map(function (s) {
      return [netralCpToUnits(text, s.start), netralCpToUnits(text, s.end)];
    }).sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    bounds.forEach(function (b) {
      var from = Math.max(b[0], at);
      if (b[1] <= from) { return; }
      m.appendChild(document.createTextNode(text.slice(at, from)));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(from, b[1]);
      m.appendChild(mk);
      at = b[1];
    });
    m.appendChild(document.createTextNode(text.slice(at) + "\u200b"));
    root.layer.appendChild(m);
    return m;
  }

  function placeMirror(st) {
    var m = st.mirror;
    var r = st.el.getBoundingClientRect();
    var cs = getComputedStyle(st.el);
    var s = m.style;
    MIRROR_PROPS.forEach(function (p) { s[p] = cs[p]; });
    s.left = r.left + "px"; s.top = r.top + "px";
    s.width = r.width + "px"; s.height = r.height + "px";
    s.borderStyle = "solid"; s.borderColor = "transparent";
    m.scrollTop = st.el.scrollTop;
    m.scrollLeft = st.el.scrollLeft;
  }

  // ------------------------------------------------------------------ the panel

  var CSS_TEXT = [
    ":host{all:initial}",
    ".layer{position:fixed;inset:0;pointer-events:none;z-index:2147483646}",
    ".mirror{position:fixed;overflow:hidden;white-space:pre-wrap;overflow-wrap:break-word;word-wrap:break-word;color:transparent;pointer-events:none;margin:0}",
    ".mirror mark{color:transparent;border-radius:2px}",
    ".mirror.v-kampanye mark{background:rgba(220,38,38,.28);box-shadow:inset 0 -2px #b91c1c}",
    ".mirror.v-tinjau mark{background:rgba(234,179,8,.35);box-shadow:inset 0 -2px #a16207}",
    ".panel{position:fixed;z-index:2147483647;box-sizing:border-box;max-height:60vh;overflow:auto;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2327;background:#fff;border:1px solid #c9d1d6;border-left:6px solid #5d6a73;border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.18);padding:8px 10px;pointer-events:auto}",
    ".panel[hidden]{display:none}",
    ".panel[data-verdict=kampanye]{border-left-color:#b23a48}",
    ".panel[data-verdict=tinjau]{border-left-color:#e07a1f}",
    ".panel[data-verdict=netral]{border-left-color:#3a9d5d}",
    ".head{display:flex;flex-wrap:wrap;align-items:center;gap:6px}",
    ".brand{font-weight:700;color:#14323f}",
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;color:#fff;background:#5d6a73}",
    ".badge.v-kampanye{background:#b23a48}.badge.v-tinjau{background:#b45309}.badge.v-netral{background:#2f7d4a}",
    ".score{color:#5d6a73;font-size:12px}",
    ".spacer{flex:1}",
    "button,select{font:inherit;font-size:13px;border:1px solid #c9d1d6;border-radius:6px;background:#fff;color:#1d2327;padding:2px 8px;cursor:pointer}",
    "button.primary{background:#1f6f8b;border-color:#1f6f8b;color:#fff}",
    "button.danger{background:#fff;border-color:#b23a48;color:#b23a48}",
    "label{font-size:12px;color:#5d6a73}",
    "ul{margin:6px 0;padding-left:18px}li{margin:4px 0}",
    "q{font-weight:600}.cat{color:#5d6a73;font-size:12px}",
    ".rule,.advice,.note,.summary{margin:2px 0;font-size:13px}",
    ".uncertain{color:#b45309;font-weight:600}",
    ".error{margin:4px 0;padding:4px 6px;background:#fff7e6;border-radius:4px;color:#7a4a00}",
    ".confirm{margin:6px 0;padding:8px;border:2px solid #b23a48;border-radius:6px;background:#fff5f5}",
    ".confirm h2{font-size:14px;margin:0 0 4px}.confirm p{margin:0 0 6px;font-size:13px}",
    ".confirm .actions{display:flex;gap:8px;flex-wrap:wrap}",
    ".foot{color:#5d6a73;font-size:11px;margin-top:4px}"
  ].join("\n");

  function ensureUi() {
    if (ui && ui.host.isConnected) { return ui; }
    var host = document.createElement("netral-ui");
    host.style.cssText = "all:initial;position:fixed;top:0;left:0;width:0;height:0;z-index:2147483647";
    var root = host.attachShadow({mode: "open"});
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS_TEXT);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      var st = document.createElement("style");
      st.textContent = CSS_TEXT;
      root.appendChild(st);
    }
    var layer = document.createElement("div");
    layer.className = "layer";
    var panel = document.createElement("section");
    panel.className = "panel";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "netral");
    panel.hidden = true;
    root.appendChild(layer);
    root.appendChild(panel);
    (document.body || document.documentElement).appendChild(host);
    ui = {host: host, root: root, layer: layer, panel: panel};
    return ui;
  }

  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { el.textContent = attrs[k]; } else if (k === "on") {
        Object.keys(attrs.on).forEach(function (ev) { el.addEventListener(ev, attrs.on[ev]); });
      } else { el.setAttribute(k, attrs[k]); }
    });
    (kids || []).forEach(function (c) { if (c) { el.appendChild(c); } });
    return el;
  }

  function t(key, vars) { return netralT(lang, key, vars); }

  function render() {
    var st = active;
    var showing = enabled && st && st.el.isConnected &&
      (st.result || st.error || st.pending || st.asking);
    if (!showing) {
      if (ui) { ui.panel.hidden = true; ui.panel.removeAttribute("data-verdict"); }
      return;
    }
    var u = ensureUi();
    var p = u.panel;
    p.textContent = "";
    p.hidden = false;
    var r = st.result;
    var fresh = r && st.checkedText === netralReadText(st.el).text;
    if (r && fresh) {
      p.setAttribute("data-verdict", r.verdict);
    } else {
      p.removeAttribute("data-verdict");
    }
    p.setAttribute("data-kind", st.kind);

    var kindSel = h("select", {"class": "kind", "aria-label": t("panel.kind"), on: {
      change: function (ev) { st.kind = ev.target.value; st.kindManual = true; runCheck(st); }}});
    NETRAL_KINDS.forEach(function (k) {
      var o = h("option", {value: k, text: t("kind." + k)});
      if (k === st.kind) { o.selected = true; }
      kindSel.appendChild(o);
    });
    var head = h("div", {"class": "head"}, [h("span", {"class": "brand", text: "netral"})]);
    if (st.pending && !st.asking) {
      head.appendChild(h("span", {"class": "checking", text: t("panel.checking")}));
    } else if (r && fresh) {
      head.appendChild(h("span", {"class": "badge v-" + r.verdict, text: t("verdict." + r.verdict)}));
      head.appendChild(h("span", {"class": "score", text: t("panel.score") + " " + Number(r.score).toFixed(2)}));
    }
    head.appendChild(h("span", {"class": "spacer"}));
    head.appendChild(h("label", {}, [document.createTextNode(t("panel.kind") + " "), kindSel]));
    if (r && fresh) {
      head.appendChild(h("button", {"class": "toggle", type: "button",
        "aria-expanded": String(!!st.expanded), text: st.expanded ? t("panel.hide") : t("panel.show"),
        on: {click: function () { st.expanded = !st.expanded; render(); }}}));
    }
    p.appendChild(head);

    if (st.error && !st.pending) {
      p.appendChild(h("p", {"class": "error", "data-error": st.error, role: "status",
                            text: t("error." + st.error, {status: st.status})}));
    }
    if (st.asking) {
      p.appendChild(h("div", {"class": "confirm", role: "alertdialog", "aria-label": t("confirm.title")}, [
        h("h2", {text: t("confirm.title")}),
        h("p", {text: t("confirm.body")}),
        h("div", {"class": "actions"}, [
          h("button", {"class": "primary confirm-edit", type: "button", text: t("confirm.edit"),
                       on: {click: function () { answer(st, false); }}}),
          h("button", {"class": "danger confirm-post", type: "button", text: t("confirm.post"),
                       on: {click: function () { answer(st, true); }}})
        ])
      ]));
    }
    if (r && fresh && (st.expanded || st.asking)) {
      p.appendChild(details(st, r));
    }
    if (st.doneAt && st.inputAt && st.doneAt >= st.inputAt) {
      // how long after the last keystroke the verdict came (read by the browser tests)
      u.host.setAttribute("data-latency-ms", String(Math.round(st.doneAt - st.inputAt)));
    }
    layout();
  }

  function details(st, r) {
    var box = h("div", {"class": "details"});
    var text = st.checkedText || "";
    var reasons = spansOf(r).length ? r.reasons : [];
    if (reasons.length) {
      var ul = h("ul", {"class": "reasons"});
      reasons.forEach(function (x) {
        var a = netralCpToUnits(text, x.start), b = netralCpToUnits(text, x.end);
        var rule = h("p", {"class": "rule"}, [
          h("b", {text: t("panel.rule") + ": "}),
          document.createTextNode(x.rule_ref || x.rule || "")
        ]);
        // the rule text already says "[belum pasti]" where its source does; say it once
        if (x.uncertain && String(x.rule_ref || "").indexOf("[") < 0) { rule.appendChild(h("span", {"class": "uncertain", text: " [" + t("panel.uncertain") + "]"})); }
        ul.appendChild(h("li", {"data-start": String(x.start), "data-end": String(x.end)}, [
          h("q", {text: text.slice(a, b) || x.text}),
          h("span", {"class": "cat", text: " " + String(x.category || "").replace(/_/g, " ") +
                                             (x.target ? " → " + x.target : "")}),
          rule,
          x.advice ? h("p", {"class": "advice", text: x.advice}) : null
        ]));
      });
      box.appendChild(ul);
    } else {
      box.appendChild(h("p", {"class": "summary", text: r.summary || t("panel.no_reasons")}));
    }
    if (r.advice && reasons.length) {
      box.appendChild(h("p", {"class": "advice advice-main"}, [
        h("b", {text: t("panel.advice") + ": "}), document.createTextNode(r.advice)]));
    }
    box.appendChild(h("p", {"class": "foot", text: t("panel.private") + " " + t("panel.risk")}));
    return box;
  }

  function layout() {
    if (!ui) { return; }
    states.forEach(function (st) { if (st.mirror && st.el.isConnected) { placeMirror(st); } });
    var p = ui.panel;
    if (p.hidden || !active || !active.el.isConnected) { return; }
    var r = active.el.getBoundingClientRect();
    var vw = document.documentElement.clientWidth || innerWidth;
    var vh = innerHeight;
    var w = Math.min(380, vw - 16);
    p.style.width = w + "px";
    var ph = p.offsetHeight;
    var left = Math.max(8, Math.min(r.right - w, vw - w - 8));
    var top = r.bottom + 6;
    if (top + ph > vh - 8) {
      top = r.top - ph - 6 >= 8 ? r.top - ph - 6 : Math.max(8, vh - ph - 8);
    }
    p.style.left = left + "px";
    p.style.top = top + "px";
  }

  // ------------------------------------------------------------------ asking before a post

  function stop(ev) {
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }

  function ask(st, text, go) {
    st.asking = {text: text, go: go};
    st.expanded = true;
    active = st;
    render();
    var b = ui && ui.panel.querySelector(".confirm-edit");
    if (b) { b.focus(); }
  }

  function answer(st, post) {
    var a = st.asking;
    st.asking = null;
    if (!a) { return; }
    if (post) {
      st.confirmedText = a.text;  // asked once for this draft: the next Post goes straight on
      render();
      a.go();
    } else {
      render();
      st.el.focus();
    }
  }

  // The post goes on untouched unless this exact draft is judged kampanye and the person has
  // not answered yet. A draft not yet checked holds the click at most POST_WAIT_MS; an
  // unreachable server or any error lets it through.
  function guard(ev, st, go) {
    var text = netralReadText(st.el).text;
    if (!text.trim() || st.confirmedText === text) { return; }
    if (!st.kindManual) { st.kind = netralKindOf(st.el, site); }
    if (st.checkedText === text && st.checkedKind === st.kind && !st.pending) {
      if (st.result && st.result.verdict === "kampanye") { stop(ev); ask(st, text, go); }
      return;
    }
    stop(ev);
    var settled = false;
    var timer = setTimeout(function () { if (!settled) { settled = true; go(); } }, POST_WAIT_MS);
    runCheck(st).then(function () {
      if (settled) { return; }
      settled = true;
      clearTimeout(timer);
      if (st.result && st.checkedText === text && st.result.verdict === "kampanye") {
        ask(st, text, go);
      } else {
        go();
      }
    });
  }

  function replayClick(btn) {
    replaying = true;
    try { btn.click(); } finally { replaying = false; }
  }

  function replayEnter(el) {
    replaying = true;
    try {
      el.focus();
      var init = {key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true, cancelable: true};
      var down = new KeyboardEvent("keydown", init);
      if (el.dispatchEvent(down)) {
        el.dispatchEvent(new KeyboardEvent("keypress", init));
      }
      el.dispatchEvent(new KeyboardEvent("keyup", init));
    } finally { replaying = false; }
  }

  // the tracked (or still untracked) compose box nearest to a send button
  function stateNear(btn) {
    var anc = btn.parentElement;
    for (var up = 0; anc && up < 10; up++, anc = anc.parentElement) {
      var found = null;
      anc.querySelectorAll("textarea, [contenteditable]").forEach(function (c) {
        var ed = found ? null : netralEditorOf(c);
        if (ed && netralReadText(ed).text.trim()) { found = ed; }
      });
      if (found) { return ensure(found); }
    }
    return active && active.el.isConnected ? active : null;
  }

  // ------------------------------------------------------------------ events

  document.addEventListener("input", function (ev) {
    if (!enabled) { return; }
    var ed = netralEditorOf(ev.target);
    if (!ed) { return; }
    var st = ensure(ed);
    active = st;
    st.inputAt = performance.now();
    st.confirmedText = null;
    if (st.asking) { st.asking = null; }
    unmark(st);
    schedule(st, DEBOUNCE_MS);
    render();
  }, true);

  document.addEventListener("focusin", function (ev) {
    if (!enabled) { return; }
    var ed = netralEditorOf(ev.target);
    if (!ed) { return; }
    var had = stateOf(ed);
    var st = had || (netralReadText(ed).text.trim() ? ensure(ed) : null);
    if (!st) { return; }
    active = st;
    if (!had) { schedule(st, 0); }
    render();
  }, true);

  document.addEventListener("click", function (ev) {
    if (replaying || !enabled) { return; }
    var btn = netralSendButton(ev.target, site);
    if (!btn) { return; }
    var st = stateNear(btn);
    if (st) { guard(ev, st, function () { replayClick(btn); }); }
  }, true);

  document.addEventListener("keydown", function (ev) {
    if (replaying || !enabled || ev.key !== "Enter" || ev.shiftKey || ev.isComposing ||
        ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var ed = netralEditorOf(ev.target);
    if (!ed) { return; }
    var st = ensure(ed);
    if (!st.kindManual) { st.kind = netralKindOf(ed, site); }
    if (netralSendsOnEnter(site, st.kind, ed)) { guard(ev, st, function () { replayEnter(ed); }); }
  }, true);

  var queued = false;
  function relayout() {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; layout(); });
  }
  addEventListener("scroll", relayout, true);
  addEventListener("resize", relayout);

  // Sites re-render their compose boxes (React remounts, a cleared box after posting, a
  // dialog opening): follow a box that was replaced by one holding the same text, drop boxes
  // that are gone, and pick up new boxes that already hold text (a prefilled share dialog).
  var sweepTimer = null;
  function sweep() {
    sweepTimer = null;
    if (!enabled) { return; }
    var gone = states.filter(function (st) { return !st.el.isConnected; });
    var changed = gone.length > 0;
    var fresh = [];
    document.querySelectorAll("textarea, [contenteditable]").forEach(function (c) {
      var ed = netralEditorOf(c);
      if (ed && fresh.indexOf(ed) < 0 && !stateOf(ed)) { fresh.push(ed); }
    });
    fresh.forEach(function (ed) {
      var text = netralReadText(ed).text;
      if (!text.trim()) { return; }
      changed = true;
      var heir = null;
      for (var i = 0; i < gone.length && !heir; i++) {
        if (gone[i].checkedText === text || gone[i].pendingText === text) { heir = gone[i]; }
      }
      if (heir) {
        gone.splice(gone.indexOf(heir), 1);
        if (heir.mirror) { heir.mirror.remove(); heir.mirror = null; }
        heir.el = ed;
        if (heir.pending) { heir.pending.then(function () { mark(heir); render(); }); }
        mark(heir);
      } else {
        schedule(ensure(ed), DEBOUNCE_MS);
      }
    });
    gone.forEach(dispose);
    states.forEach(function (st) {  // text nodes replaced under the marks: map them again
      if (st.ranges.some(function (r) { return !r.startContainer.isConnected || !r.endContainer.isConnected; })) {
        mark(st);
      }
    });
    if (changed) { render(); }  // never rebuild the panel under the person's hands for nothing
  }

  new MutationObserver(function () {
    if (!sweepTimer) { sweepTimer = setTimeout(sweep, 200); }  // batched: sites mutate a lot
  }).observe(document.documentElement, {childList: true, subtree: true});

  loadSettings();
  sweep();
})();
