// Overseer's service worker: keeps the app shell (styles, scripts, icons) for fast starts and
// says so plainly when the server cannot be reached. Pages, actions and streams are never cached:
// they are live and private.
const CACHE = "overseer-shell-v1";
const SHELL = ["/static/app.css", "/static/app.js", "/static/lib/htmx.min.js", "/static/lib/sse.min.js", "/static/icon.svg", "/static/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => new Response(
      "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>Offline · Overseer</title>" +
      "<link rel=stylesheet href=/static/app.css><main class=login-box><h1>Overseer is unreachable</h1>" +
      "<p>The server could not be reached. Check your connection; this page will work again once it is back.</p></main>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } })));
  }
});

// Notifications pushed by the server (Web Push): the title, the text, and up to two actions.
// A one-tap action (approve an ORANGE call, deny, pick an answer) POSTs its signed, single-use
// link; one that needs more (a RED call's phrase) and a tap on the notification itself open a page.
self.overseerShowPush = function (payload) {
  return self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    data: payload,
    requireInteraction: payload.actions.length > 0,
    actions: payload.actions.map((a) => ({ action: a.action, title: a.title })),
  });
};

self.overseerNotificationAction = async function (notification, action) {
  const payload = notification.data || {};
  const chosen = (payload.actions || []).find((a) => a.action === action);
  notification.close();
  if (chosen && chosen.oneTap) {
    const response = await fetch(chosen.url, { method: "POST", credentials: "omit" });
    const done = response.ok ? chosen.title + ": done" : chosen.title + ": not done (" + response.status + ")";
    await self.registration.showNotification(done, { body: payload.title, tag: payload.tag + "-done" });
    return response.status;
  }
  const url = chosen ? chosen.url : payload.url;
  if (url) await self.clients.openWindow(url);
  return 0;
};

self.addEventListener("push", (event) => {
  if (!event.data) return;
  event.waitUntil(self.overseerShowPush(event.data.json()));
});

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(self.overseerNotificationAction(event.notification, event.action));
});
