// netral extension: where compose boxes are, what act each one is, and which buttons send.
//
// The sites change their markup often, so the rules lean on what is stable: the editing
// element itself (a textarea or a contenteditable box), its accessible label or placeholder
// ("Post your reply", "Tulis komentar…", "Ketik pesan"), and the send button's label. A few
// per-site hints (X's test ids, WhatsApp's footer) sharpen that.
/* exported netralSiteFor, netralEditorOf, netralKindOf, netralSendButton, netralSendsOnEnter,
            NETRAL_KINDS, NETRAL_SITES */
"use strict";

var NETRAL_KINDS = ["post", "comment", "share", "bio", "message"];

// host suffix -> site description. defaultKind: the act of a box no label tells more about.
// enterSends: Enter (without Shift) sends in the site's message/comment boxes.
// shareContext: markup near the box that means "share with comment" (a quoted post).
var NETRAL_SITES = [
  {id: "x.com", hosts: ["x.com", "twitter.com"], defaultKind: "post",
   send: ["[data-testid='tweetButton']", "[data-testid='tweetButtonInline']",
          "[data-testid='dmComposerSendButton']"],
   shareContext: ["[data-testid='quoteTweet']", "[data-testid='quotedTweet']"],
   messagePath: /^\/messages/},
  {id: "facebook.com", hosts: ["facebook.com"], defaultKind: "post", enterSends: "comment",
   send: [], shareContext: ["[data-netral-shared]"], messagePath: /^\/messages/},
  {id: "instagram.com", hosts: ["instagram.com"], defaultKind: "post", send: [],
   shareContext: [], messagePath: /^\/direct/},
  {id: "threads.net", hosts: ["threads.net", "threads.com"], defaultKind: "post", send: [],
   shareContext: ["[data-netral-quoted]"]},
  {id: "tiktok.com", hosts: ["tiktok.com"], defaultKind: "post", enterSends: "comment",
   send: ["[data-e2e='comment-post']"], shareContext: [], messagePath: /^\/messages/},
  {id: "youtube.com", hosts: ["youtube.com"], defaultKind: "comment",
   send: ["#submit-button"], shareContext: []},
  {id: "linkedin.com", hosts: ["linkedin.com"], defaultKind: "post",
   send: [".share-actions__primary-action", ".comments-comment-box__submit-button",
          ".msg-form__send-button"],
   shareContext: [".feed-shared-update-v2--reshare", "[data-netral-reshare]"],
   messagePath: /^\/messaging/},
  {id: "web.whatsapp.com", hosts: ["web.whatsapp.com"], defaultKind: "message",
   enterSends: "message", send: ["[data-icon='send']", "button[aria-label='Send']",
                                 "button[aria-label='Kirim']"], shareContext: []},
  {id: "web.telegram.org", hosts: ["web.telegram.org"], defaultKind: "message",
   enterSends: "message", send: [".btn-send", "button.send"], shareContext: []}
];

function netralSiteFor(hostname) {
  var host = String(hostname || "").toLowerCase();
  for (var i = 0; i < NETRAL_SITES.length; i++) {
    var s = NETRAL_SITES[i];
    for (var j = 0; j < s.hosts.length; j++) {
      var h = s.hosts[j];
      if (host === h || host.slice(-(h.length + 1)) === "." + h) { return s; }
    }
  }
  return null;
}

var SEARCH_WORDS = /\b(search|cari|telusuri|pencarian)\b/i;

function isEditableRoot(el) {
  if (!el || el.nodeType !== 1) { return false; }
  if (el.tagName === "TEXTAREA") { return !el.disabled && !el.readOnly; }
  var ce = el.getAttribute("contenteditable");
  if (ce === null || ce === "false") { return false; }
  // the outermost editable element is the box; inner editable nodes belong to it
  var parent = el.parentElement && el.parentElement.closest("[contenteditable]");
  return !(parent && parent.getAttribute("contenteditable") !== "false");
}

// The compose box an event target belongs to, or null (search fields and our own UI excluded).
function netralEditorOf(target) {
  var el = target && target.nodeType === 1 ? target : (target && target.parentElement);
  if (!el || el.closest("netral-ui")) { return null; }
  var box = null;
  if (el.tagName === "TEXTAREA") {
    box = el;
  } else {
    var ce = el.closest("[contenteditable]");
    while (ce && !isEditableRoot(ce)) {
      ce = ce.parentElement && ce.parentElement.closest("[contenteditable]");
    }
    box = ce;
  }
  if (!box || !isEditableRoot(box)) { return null; }
  if (SEARCH_WORDS.test(labelOf(box)) || box.getAttribute("role") === "searchbox") { return null; }
  return box;
}

function textOfId(id) {
  var n = id ? document.getElementById(id) : null;
  return n ? n.textContent : "";
}

// Everything that names the box: accessible name, placeholder, field name, a label element,
// the placeholder element editors such as Draft.js draw beside the box.
function labelOf(el) {
  var parts = [
    el.getAttribute("aria-label"), el.getAttribute("placeholder"),
    el.getAttribute("aria-placeholder"), el.getAttribute("data-placeholder"),
    el.getAttribute("title"), el.getAttribute("name"), el.id
  ];
  var by = el.getAttribute("aria-labelledby");
  if (by) { by.split(/\s+/).forEach(function (id) { parts.push(textOfId(id)); }); }
  if (el.id) {
    var lab = document.querySelector("label[for='" + CSS.escape(el.id) + "']");
    if (lab) { parts.push(lab.textContent); }
  }
  var p = el.parentElement;
  for (var i = 0; p && i < 3; i++, p = p.parentElement) {
    var ph = p.querySelector(".public-DraftEditorPlaceholder-root, [data-placeholder-text]");
    if (ph && !el.contains(ph)) { parts.push(ph.textContent); break; }
  }
  return parts.filter(Boolean).join(" | ").toLowerCase();
}

var KIND_RULES = [
  ["bio", /\b(bio|biografi|biography|about (me|you)|tentang saya|headline|description|deskripsi profil)\b/],
  ["share", /\b(kutip|quote|repost|bagikan|share|with your thoughts|pendapat anda)\b/],
  ["message", /\b(ketik pesan|tulis pesan|type a message|write a message|message|pesan|kirim pesan)\b/],
  ["comment", /\b(komentar|comment|balas|balasan|reply|replies|tanggapi|tanggapan|respond)\b/]
];

// The act a box is for: bio, share with comment, message, comment/reply, or the site's default.
function netralKindOf(el, site) {
  var near = el.closest("[role='dialog'], form, article, footer") || el.parentElement;
  for (var up = 0; near && up < 2 && site && site.shareContext.length; up++) {
    if (near.querySelector(site.shareContext.join(","))) { return "share"; }
    near = near.parentElement;
  }
  var label = labelOf(el);
  for (var i = 0; i < KIND_RULES.length; i++) {
    if (KIND_RULES[i][1].test(label)) { return KIND_RULES[i][0]; }
  }
  if (site && site.messagePath && site.messagePath.test(location.pathname)) { return "message"; }
  return site ? site.defaultKind : "post";
}

var SEND_WORDS = /^(post|posting|postingan|kirim|send|tweet|reply|balas|bagikan|share|publish|terbitkan|komentar|comment|simpan|save|repost|kutip|quote|unggah|done|selesai)$/i;

// The send button a click landed on, or null.
function netralSendButton(target, site) {
  var el = target && target.nodeType === 1 ? target : (target && target.parentElement);
  if (!el || el.closest("netral-ui")) { return null; }
  if (site && site.send.length) {
    var known = el.closest(site.send.join(","));
    if (known) { return known; }
  }
  var btn = el.closest("button, [role='button'], input[type='submit']");
  if (!btn) { return null; }
  var words = [btn.getAttribute("aria-label"), btn.value, btn.textContent]
    .map(function (s) { return String(s || "").trim(); });
  for (var i = 0; i < words.length; i++) {
    if (words[i] && SEND_WORDS.test(words[i])) { return btn; }
  }
  return null;
}

// Does Enter send in this box? (messages on WhatsApp/Telegram, comments on Facebook/TikTok)
function netralSendsOnEnter(site, kind, el) {
  if (!site || !site.enterSends || el.tagName === "TEXTAREA") { return false; }
  return site.enterSends === kind || (site.enterSends === "comment" && kind === "message");
}
