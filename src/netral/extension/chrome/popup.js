// netral extension popup: the per-site on/off switch and where drafts are checked.
"use strict";

(function () {
  function $(id) { return document.getElementById(id); }

  chrome.runtime.sendMessage({type: "settings"}).then(function (s) {
    var lang = s.lang === "en" ? "en" : "id";
    var t = function (k) { return netralT(lang, k); };
    document.documentElement.lang = lang;
    $("site-on-label").textContent = t("popup.on");
    $("server-label").textContent = t("popup.server");
    $("server").textContent = s.server;
    $("token-label").textContent = t("popup.token");
    $("token").textContent = s.hasToken ? t("popup.token_set") : t("popup.token_unset");
    $("open-options").textContent = t("popup.options");
    $("open-options").addEventListener("click", function () { chrome.runtime.openOptionsPage(); });

    chrome.tabs.query({active: true, currentWindow: true}).then(function (tabs) {
      var tab = tabs && tabs[0];
      if (!tab) { throw new Error("no tab"); }
      return chrome.tabs.sendMessage(tab.id, {type: "site-info"});
    }).then(function (info) {
      if (!info || !info.site) { throw new Error("not here"); }
      $("site-name").textContent = t("popup.site") + ": " + info.site;
      var box = $("site-on");
      box.checked = info.enabled;
      box.addEventListener("change", function () {
        chrome.storage.local.get("disabledSites").then(function (v) {
          var off = (v.disabledSites || []).filter(function (x) { return x !== info.site; });
          if (!box.checked) { off.push(info.site); }
          return chrome.storage.local.set({disabledSites: off});
        });
      });
    }).catch(function () {
      $("site-box").hidden = true;
      $("not-here").hidden = false;
      $("not-here").textContent = t("popup.not_here");
    });
  });
})();
