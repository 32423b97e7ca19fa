// netral extension options: server address, personal token, language, account and employment.
// Stored in chrome.storage.local (this browser only); drafts are never stored.
"use strict";

(function () {
  function $(id) { return document.getElementById(id); }
  var lang = "id";
  function t(k, v) { return netralT(lang, k, v); }

  function say(text, ok) {
    $("status").textContent = text;
    $("status").className = "status " + (ok ? "ok" : "bad");
  }

  function fill(s) {
    lang = s.lang === "en" ? "en" : "id";
    document.documentElement.lang = lang;
    [["title", "options.title"], ["server-label", "options.server"], ["server-help", "options.server_help"],
     ["token-label", "options.token"], ["token-help", "options.token_help"], ["lang-label", "options.lang"],
     ["account-label", "options.account"], ["employee-label", "options.employee"],
     ["sites-label", "options.sites"], ["save", "options.save"], ["test", "options.test"],
     ["privacy", "options.privacy"]].forEach(function (p) { $(p[0]).textContent = t(p[1]); });
    function opts(sel, prefix, values, current) {
      sel.textContent = "";
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = t(prefix + v); o.selected = v === current;
        sel.appendChild(o);
      });
    }
    opts($("account"), "options.account.", ["personal", "official"], s.account);
    opts($("employee"), "options.employee.", ["pns", "pppk", "pejabat", "non_asn"], s.employee);
    $("lang").value = lang;
    $("sites").textContent = (s.disabledSites || []).length ? s.disabledSites.join(", ") : t("options.sites_none");
  }

  function load() {
    return Promise.all([chrome.runtime.sendMessage({type: "settings"}), chrome.storage.local.get(null)])
      .then(function (v) {
        var s = Object.assign({}, v[0], v[1]);
        fill(s);
        $("server").value = v[0].server || "";
        $("token").value = v[1].token || "";
      });
  }

  function save() {
    var server = $("server").value.trim().replace(/\/+$/, "");
    if (!/^https?:\/\/[^\s/?#]+$/i.test(server)) {
      say(t("options.bad_server"), false);
      return Promise.resolve(false);
    }
    return chrome.storage.local.set({
      server: server, token: $("token").value.trim(), lang: $("lang").value,
      account: $("account").value, employee: $("employee").value
    }).then(function () { return load(); }).then(function () { say(t("options.saved"), true); return true; });
  }

  $("form").addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
  $("test").addEventListener("click", function () {
    save().then(function (ok) {
      if (!ok) { return; }
      // a neutral sentence, checked like a draft: proves address, token and CORS at once
      return chrome.runtime.sendMessage({type: "check", text: "Selamat pagi, tes koneksi netral.", kind: "post"})
        .then(function (r) {
          if (r && r.ok) { say(t("options.test_ok"), true); } else { say(t("error." + ((r && r.error) || "server"), {status: r && r.status}), false); }
        });
    });
  });
  load();
})();
