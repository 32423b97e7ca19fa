// netral extension, service worker: the only part that talks to the netral server.
//
// Content scripts hand it a draft and the act; it sends them to <server>/api/v1/check with
// the person's token, the language, account type, employment and today's date, and hands the
// Result back. The token never reaches the web page. The request is made with
// cache: "no-store" and without cookies; nothing of the draft is kept here.
"use strict";

var DEFAULTS = {server: "http://127.0.0.1:8000", lang: "id", token: "", account: "personal",
                employee: "pns", disabledSites: []};
var TIMEOUT_MS = 8000;

var packaged = null;  // config.json of the download: the agency server's address

function packagedConfig() {
  if (!packaged) {
    packaged = fetch(chrome.runtime.getURL("config.json"))
      .then(function (r) { return r.json(); })
      .catch(function () { return {}; });
  }
  return packaged;
}

function settings() {
  return Promise.all([packagedConfig(), chrome.storage.local.get(null)]).then(function (v) {
    var s = Object.assign({}, DEFAULTS, v[0] || {});
    Object.keys(DEFAULTS).forEach(function (k) {
      if (v[1][k] !== undefined && v[1][k] !== "") { s[k] = v[1][k]; }
    });
    if (v[1].token !== undefined) { s.token = v[1].token; }
    return s;
  });
}

function today() {
  var d = new Date();
  function two(n) { return (n < 10 ? "0" : "") + n; }
  return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
}

function check(msg) {
  return settings().then(function (s) {
    var url = String(s.server || "").replace(/\/+$/, "") + "/api/v1/check";
    var headers = {"Content-Type": "application/json"};
    if (s.token) { headers.Authorization = "Bearer " + s.token; }
    var body = JSON.stringify({text: String(msg.text || ""), kind: msg.kind || "post",
                               lang: s.lang === "en" ? "en" : "id", account: s.account,
                               employee: s.employee, when: today()});
    var ctrl = new AbortController();
    var timer = setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS);
    return fetch(url, {method: "POST", headers: headers, body: body, signal: ctrl.signal,
                       cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer"})
      .then(function (r) {
        if (r.status === 200) {
          return r.json().then(function (result) { return {ok: true, result: result}; });
        }
        return r.json().catch(function () { return {}; }).then(function (j) {
          var detail = j && j.detail;
          if (r.status === 401) {
            return {ok: false, error: detail === "token_required" ? "token_required" : "token", status: 401};
          }
          if (r.status === 429) { return {ok: false, error: "rate", status: 429}; }
          if (r.status === 403) { return {ok: false, error: "origin", status: 403}; }
          return {ok: false, error: "server", status: r.status};
        });
      })
      .catch(function () { return {ok: false, error: "unreachable", status: 0}; })
      .finally(function () { clearTimeout(timer); });
  });
}

chrome.runtime.onMessage.addListener(function (msg, _sender, reply) {
  var work;
  if (msg && msg.type === "check") {
    work = check(msg);
  } else if (msg && msg.type === "settings") {
    // what pages need to know: never the token
    work = settings().then(function (s) {
      return {ok: true, lang: s.lang, disabledSites: s.disabledSites || [], server: s.server,
              hasToken: !!s.token};
    });
  } else {
    return false;
  }
  work.then(reply, function () { reply({ok: false, error: "extension"}); });
  return true;  // the answer comes asynchronously
});
