{% load static %}// coachapp's service worker. It keeps only the static app shell (styles, scripts, icons) so the
// app opens quickly on a weak signal. Pages are never cached: they hold health data, and must
// always come fresh from the server.
const CACHE = "coachapp-shell-{{ version }}";
const SHELL = [
  "{% static 'css/app.css' %}",
  "{% static 'js/app.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'icons/icon.svg' %}",
  "{% static 'icons/icon-192.png' %}",
  "{% static 'icons/icon-512.png' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return; // everything else goes to the network, untouched and uncached
  }
  event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
});
{% include "pwa/sw_push.js" %}
