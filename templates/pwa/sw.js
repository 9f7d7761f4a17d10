{% load static %}// coachapp's service worker (docs/architecture.md#the-phone-offline).
// - The static app shell (styles, scripts, icons), so the app opens quickly on a weak signal.
// - The signed-in athlete's own pages, for when the signal goes: only responses the server marks
//   with X-Coachapp-Offline (the athlete's home and their sessions of today and the next 7 days),
//   fetched from the network first and served from here only when the network fails. Never a
//   coach's page; one athlete's copies at a time; all of them forgotten when someone signs in or out.
// - Background Sync: the queue of writes made without signal (static/js/offline.js) is sent again.
const CACHE = "coachapp-shell-{{ version }}";
const PAGES = "coachapp-pages";
const SHELL = [
  "{% static 'css/app.css' %}",
  "{% static 'js/app.js' %}",
  "{% static 'js/offline.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'icons/icon.svg' %}",
  "{% static 'icons/icon-192.png' %}",
  "{% static 'icons/icon-512.png' %}",
];
const KEEP_DAYS = 8; // a copy older than this is not shown: it may hold a session long gone
const SIGNING_IN_OR_OUT = ["{% url 'login' %}", "{% url 'login_code' %}", "{% url 'admin_login' %}", "{% url 'logout' %}"];
const ATHLETE_PAGES = "{% url 'athlete_home' %}";

importScripts("{% static 'js/offline.js' %}"); // the queue (self.coachappQueue), for Background Sync

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE && key !== PAGES).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function forgetPages() {
  return caches.delete(PAGES);
}

async function keepPage(url, response) {
  const user = response.headers.get("X-Coachapp-User");
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    const kept = await cache.match(request);
    if (!kept || kept.headers.get("X-Coachapp-User") !== user) await cache.delete(request); // another person's
  }
  const headers = new Headers(response.headers);
  headers.set("X-Coachapp-Saved-At", String(Date.now()));
  await cache.put(url, new Response(await response.blob(), { status: response.status, headers }));
}

const NOT_SAVED = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
  + "<title>No connection · coachapp</title><main><h1>No connection</h1><p>This page was not saved on this phone. "
  + "Open it again when you have signal; sessions you opened before are kept for when the signal goes.</p>"
  + "<p><a href=\"" + ATHLETE_PAGES + "\">My sessions</a></p></main></html>";

async function athletePage(event) {
  const url = event.request.url;
  try {
    const response = await fetch(event.request);
    if (response.ok && !response.redirected && response.headers.get("X-Coachapp-Offline") === "athlete") {
      event.waitUntil(keepPage(url, response.clone()));
    } else if (response.ok) {
      event.waitUntil(caches.open(PAGES).then((cache) => cache.delete(url))); // no longer one to keep
    }
    return response;
  } catch (error) {
    const kept = await caches.open(PAGES).then((cache) => cache.match(url));
    if (kept && Date.now() - Number(kept.headers.get("X-Coachapp-Saved-At")) < KEEP_DAYS * 86400000) return kept;
    return new Response(NOT_SAVED, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && SIGNING_IN_OR_OUT.includes(url.pathname)) {
    event.waitUntil(forgetPages()); // whoever signs in next never meets these copies
    return;
  }
  if (request.method !== "GET") return; // writes go to the network, untouched
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate" && url.pathname.startsWith(ATHLETE_PAGES)) {
    event.respondWith(athletePage(event));
  }
  // everything else goes to the network, untouched and uncached
});

// Background Sync: an open page sends the queue itself (it then shows the answers and reloads);
// with no page open, the worker sends it.
self.addEventListener("sync", (event) => {
  if (event.tag !== self.coachappQueue.SYNC_TAG) return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((windows) => {
    windows.forEach((client) => client.postMessage({ type: self.coachappQueue.SYNC_TAG }));
    return windows.length ? null : self.coachappQueue.replay();
  }));
});
{% include "pwa/sw_push.js" %}
