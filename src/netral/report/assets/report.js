/* netral self-audit report: group, filter and search the finding cards inside the page.
   No network, no storage, no eval: the page's own nodes are moved, copied, shown or hidden,
   and user text is only read (textContent), never parsed as HTML. Without this script the
   report still shows every card, grouped by what to do. */
(function () {
  "use strict";
  var tools = document.getElementById("tools");
  var box = document.getElementById("groups");
  if (!tools || !box) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var T = tools.dataset;
  var jump = $("jump"), status = $("status"), printed = $("printed-filters");
  var q = $("f-q"), by = $("f-by");
  var sel = { verdict: $("f-verdict"), action: $("f-action"), platform: $("f-platform"), target: $("f-target") };
  var cards = Array.prototype.slice.call(box.querySelectorAll("article.card"));
  var info = new WeakMap();  // card or copy -> {orig, hay, n, per: findings per platform}
  cards.forEach(function (c) {
    var per = {};
    each(c.querySelectorAll("li.place"), function (li) {
      per[li.dataset.platform] = (per[li.dataset.platform] || 0) + 1;
    });
    info.set(c, { orig: c, hay: c.textContent.toLowerCase(), n: +c.dataset.n, per: per });
  });
  var intros = {};
  each(box.querySelectorAll("section.group"), function (g) {
    var p = g.querySelector(".intro");
    if (p) { intros[g.dataset.key] = p; }
  });
  function options(select) {
    var f = { label: {}, order: [] };
    each(select.options, function (o) {
      if (o.value) { f.label[o.value] = o.dataset.label; f.order.push(o.value); }
    });
    return f;
  }
  var facet = { action: options(sel.action), platform: options(sel.platform), target: options(sel.target) };
  var groups = [];

  function fmt(template, values) {
    return template.replace(/\{(\w)\}/g, function (_, k) { return values[k]; });
  }
  function keysOf(card, how) {
    if (how === "action") { return [card.dataset.action]; }
    if (how === "platform") { return card.dataset.platforms.split(" "); }
    return card.dataset.targets.split("|");
  }
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  /* Rebuild the groups for "group by" (what to do, target or platform). A card that belongs to
     several groups (a text on three platforms) is shown in each, as a copy. */
  function regroup() {
    var how = by.value, f = facet[how], byKey = {};
    groups = f.order.map(function (key, i) {
      var s = make("section", "group");
      s.id = how === "action" ? "g-action-" + key : "g-" + how + "-" + i;
      s.dataset.key = key;
      var h = make("h3"), count = make("span", "n");
      h.appendChild(make("span", "", f.label[key]));
      h.appendChild(count);
      s.appendChild(h);
      if (how === "action" && intros[key]) { s.appendChild(intros[key]); }
      var g = { key: key, label: f.label[key], section: s, count: count, cards: [] };
      byKey[key] = g;
      return g;
    });
    cards.forEach(function (c) {
      keysOf(c, how).forEach(function (key, i) {
        var g = byKey[key];
        if (!g) { return; }
        var node = c;
        if (i > 0) {
          node = c.cloneNode(true);
          info.set(node, info.get(c));
          arranged.set(node, arranged.get(c) || "");
        }
        g.cards.push(node);
      });
    });
    var frag = document.createDocumentFragment();
    groups.forEach(function (g) {
      g.cards.forEach(function (n) { g.section.appendChild(n); });
      frag.appendChild(g.section);
    });
    box.textContent = "";
    box.appendChild(frag);
    apply();
    onResize();
  }

  function wanted() {
    return {
      verdict: sel.verdict.value, action: sel.action.value, platform: sel.platform.value,
      target: sel.target.value, terms: q.value.toLowerCase().split(/\s+/).filter(Boolean)
    };
  }
  function matches(c, v, hay) {
    if (v.verdict && c.dataset.verdicts.split(" ").indexOf(v.verdict) < 0) { return false; }
    if (v.action && c.dataset.action !== v.action) { return false; }
    if (v.platform && c.dataset.platforms.split(" ").indexOf(v.platform) < 0) { return false; }
    if (v.target && c.dataset.targets.split("|").indexOf(v.target) < 0) { return false; }
    for (var i = 0; i < v.terms.length; i++) {
      if (hay.indexOf(v.terms[i]) < 0) { return false; }
    }
    return true;
  }

  /* The places on the platform in focus come first and the others are dimmed; the folded
     list holds the rest. */
  var arranged = new WeakMap();  // card or copy -> platform its places are arranged for
  function arrange(card, platform) {
    if ((arranged.get(card) || "") === platform) { return; }
    arranged.set(card, platform);
    var lists = card.querySelectorAll(".places ul");
    var lis = Array.prototype.slice.call(card.querySelectorAll("li.place"));
    lis.sort(function (a, b) { return a.dataset.i - b.dataset.i; });
    var on = lis.filter(function (li) { return !platform || li.dataset.platform === platform; });
    var off = lis.filter(function (li) { return platform && li.dataset.platform !== platform; });
    var ordered = on.concat(off);
    var shown = +card.dataset.shown;
    var keep = lists.length < 2 ? ordered.length : platform ? Math.max(shown, on.length) : shown;
    ordered.forEach(function (li, i) {
      li.classList.toggle("dim", off.indexOf(li) >= 0);
      lists[i < keep ? 0 : 1].appendChild(li);
    });
    if (lists.length > 1) {
      var details = lists[1].parentNode, rest = ordered.length - keep;
      details.hidden = rest === 0;
      details.querySelector("summary span").textContent = String(rest);
    }
  }

  /* Show the cards that pass the filters; count findings per group, in total and in the jump
     links; dim the places on other platforms when one platform is chosen. */
  function apply() {
    var v = wanted(), how = by.value, seen = new Set(), total = 0, totalCards = 0;
    jump.textContent = "";
    jump.appendChild(make("b", "", T.tJump + ":"));
    groups.forEach(function (g) {
      var nf = 0, nc = 0;
      g.cards.forEach(function (c) {
        var inf = info.get(c), ok = matches(c, v, inf.hay);
        if (c.hidden === ok) { c.hidden = !ok; }
        if (!ok) { return; }
        var p = (how === "platform" ? g.key : v.platform) || "";
        nf += p ? (inf.per[p] || 0) : inf.n;
        nc += 1;
        arrange(c, p);
        if (!seen.has(inf.orig)) {
          seen.add(inf.orig);
          totalCards += 1;
          total += v.platform ? (inf.per[v.platform] || 0) : inf.n;
        }
      });
      g.section.hidden = nc === 0;
      g.count.textContent = fmt(T.tInCards, { f: nf, c: nc });
      if (nc) {
        var a = make("a", "", g.label);
        a.href = "#" + g.section.id;
        a.appendChild(make("span", "", String(nf)));
        jump.appendChild(a);
      }
    });
    status.textContent = totalCards ? fmt(T.tShown, { f: total, F: T.total, c: totalCards }) : T.tNone;
    var active = [];
    if (v.terms.length) { active.push(T.tSearch + ": " + q.value.trim()); }
    Object.keys(sel).forEach(function (k) {
      var o = sel[k].options[sel[k].selectedIndex];
      if (sel[k].value) { active.push(sel[k].dataset.name + ": " + o.dataset.label); }
    });
    printed.textContent = active.length ? T.tPrinted + ": " + active.join("; ") + ". " + status.textContent : "";
  }

  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  Object.keys(sel).forEach(function (k) { sel[k].addEventListener("change", apply); });
  by.addEventListener("change", regroup);
  var compact = $("f-compact");
  compact.addEventListener("change", function () { box.classList.toggle("compact", compact.checked); });
  tools.addEventListener("submit", function (e) { e.preventDefault(); });
  $("f-reset").addEventListener("click", function () {
    q.value = "";
    Object.keys(sel).forEach(function (k) { sel[k].value = ""; });
    by.value = "action";
    compact.checked = false;
    box.classList.remove("compact");
    regroup();
  });

  /* Printing shows what is filtered, with every folded list of places opened. */
  var closed = [];
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details"), function (d) {
      if (!d.open) { d.open = true; closed.push(d); }
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  /* Where the filter bar stays on screen (wide windows), anchors land below it; where it
     scrolls away (phones), a button leads back to it. */
  var bar = $("bar"), toTop = document.querySelector(".totop");
  function onScroll() {
    var r = bar.getBoundingClientRect();
    if (toTop) { toTop.hidden = r.bottom > 0; }
  }
  function onResize() {
    var sticky = getComputedStyle(bar).position === "sticky";
    document.documentElement.style.scrollPaddingTop = sticky ? (bar.offsetHeight + 8) + "px" : "8px";
    onScroll();
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onResize);

  tools.hidden = false;
  regroup();
  onResize();
})();
