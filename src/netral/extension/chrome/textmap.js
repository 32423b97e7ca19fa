// netral extension: the draft's text, and the way back from the server's offsets to the page.
//
// The server's Result gives each reason's start/end in *code points* of the text it was sent
// (Python string indices). JavaScript strings count UTF-16 units, so an emoji before a span
// (🤟 is two units) would shift every mark; netralCpToUnits converts. In a contenteditable box
// the text is spread over many text nodes (one per styled run in Draft.js, Lexical, Quill…);
// netralReadText keeps where each node starts so a span becomes a DOM Range without touching
// the box (the marks are CSS highlights, never markup inserted into the editor).
/* exported netralReadText, netralCpToUnits, netralRangesFor */
"use strict";

var NETRAL_BLOCKS = {
  DIV: 1, P: 1, LI: 1, UL: 1, OL: 1, BLOCKQUOTE: 1, PRE: 1, H1: 1, H2: 1, H3: 1, H4: 1, H5: 1,
  H6: 1, SECTION: 1, ARTICLE: 1, TABLE: 1, TR: 1
};

// -> {text, parts: [{node, start}]} ; parts is null for a textarea (its value is the text)
function netralReadText(el) {
  if (el.tagName === "TEXTAREA" || el.tagName === "INPUT") {
    return {text: el.value, parts: null};
  }
  var parts = [];
  var text = "";
  function walk(node) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        parts.push({node: c, start: text.length});
        text += c.data;
      } else if (c.nodeType === 1) {
        if (c.tagName === "BR") { text += "\n"; continue; }
        if (c.tagName === "STYLE" || c.tagName === "SCRIPT" || c.getAttribute("aria-hidden") === "true" &&
            c.getAttribute("contenteditable") === "false") { continue; }
        var block = NETRAL_BLOCKS[c.tagName] === 1;
        if (block && text.length && text.charAt(text.length - 1) !== "\n") { text += "\n"; }
        walk(c);
      }
    }
  }
  walk(el);
  // trailing line breaks (an editor's empty last line) are not part of what gets posted; the
  // spans of the text before them are unchanged
  return {text: text.replace(/\n+$/, ""), parts: parts};
}

// code point offset -> UTF-16 offset in ``text``
function netralCpToUnits(text, cp) {
  var i = 0;
  for (var n = 0; n < cp && i < text.length; n++) {
    var c = text.charCodeAt(i);
    i += (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) ? 2 : 1;
  }
  return i;
}

function locate(parts, unit, preferEnd) {
  // the text node holding ``unit``; offsets that fall on a line break we added move to the
  // neighbouring node (forward for a start, backward for an end)
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i];
    var len = p.node.data.length;
    var inside = preferEnd ? (unit > p.start && unit <= p.start + len)
      : (unit >= p.start && unit < p.start + len);
    if (inside) { return {node: p.node, offset: unit - p.start}; }
    if (!preferEnd && p.start > unit) { return {node: p.node, offset: 0}; }
  }
  if (preferEnd) {
    for (var j = parts.length - 1; j >= 0; j--) {
      if (parts[j].start < unit) {
        return {node: parts[j].node, offset: Math.min(parts[j].node.data.length, unit - parts[j].start)};
      }
    }
  }
  return null;
}

// spans: [{start, end}] in code points of ``read.text`` -> DOM Ranges over the box's text nodes
function netralRangesFor(read, spans) {
  var out = [];
  if (!read.parts) { return out; }
  spans.forEach(function (s) {
    var a = netralCpToUnits(read.text, s.start);
    var b = netralCpToUnits(read.text, s.end);
    if (b <= a) { return; }
    var from = locate(read.parts, a, false);
    var to = locate(read.parts, b, true);
    if (!from || !to) { return; }
    try {
      var r = document.createRange();
      r.setStart(from.node, from.offset);
      r.setEnd(to.node, to.offset);
      if (!r.collapsed) { out.push(r); }
    } catch (e) { /* a node went away while we mapped: the next check maps again */ }
  });
  return out;
}
