// netral installable app: service worker.
//
// Keeps only the offline page and the static files (style, script, icons). Pages are always
// fetched from the server and never stored: a check page holds a draft and its verdict, and
// signed-in pages hold agency data. Without a connection, a page request gets the offline
// page, which says that checking needs the server.
"use strict";

var SHELL = "netral-shell-v1";
var ASSETS = ["/offline", "/static/app.css", "/static/app.js", "/static/favicon.svg",
              "/static/icons/icon-192.png", "/static/icons/icon-512.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (c) {
    // fetched without cookies: the cached copies are the same for everyone
    return Promise.all(ASSETS.map(function (url) {
      return fetch(url, {credentials: "omit", cache: "no-store"}).then(function (r) {
        if (!r.ok) { throw new Error(url + " " + r.status); }
        return c.put(url, r);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate") {
    // the page (also the share target's POST) from the network; offline: the offline page
    event.respondWith(fetch(req).catch(function () {
      return caches.match("/offline").then(function (r) {
        return r || new Response("offline", {status: 503, headers: {"Content-Type": "text/plain"}});
      });
    }));
    return;
  }
  if (req.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    // static files: the network first (a new version wins), the kept copy when offline
    event.respondWith(fetch(req).then(function (r) {
      if (r.ok && ASSETS.indexOf(url.pathname) >= 0) {
        var copy = r.clone();
        caches.open(SHELL).then(function (c) { c.put(url.pathname, copy); });
      }
      return r;
    }).catch(function () {
      return caches.match(url.pathname).then(function (r) { return r || Response.error(); });
    }));
  }
  // everything else (the API, downloads): straight to the network, never stored
});
