/* Service worker of Syros Agora.
 * - Navigations: network first; when the network is down, the offline page.
 * - Hashed build files (/assets/…) and the app's own static files: cache first,
 *   in a cache named by version, old versions deleted on activate.
 * - Never touches the websocket (/_event), uploads, the API, login, the
 *   gov.gr stand-in, or any non-GET request.
 * - Shows Web Push notifications and opens the notice on click.
 */
const VERSION = "agora-2026-12-01-1";
const STATIC_CACHE = `static-${VERSION}`;
// Pages visited before, readable offline: their HTML carries the text (consultation,
// vote, notice previews, see api/route_preload.py). Public pages only; the newest 40.
const PAGES_CACHE = `pages-${VERSION}`;
const PAGES_KEPT = 40;
const PRIVATE_PAGES = ["/account", "/my-votes", "/staff"];
const OFFLINE_URL = "/offline.html";
const PRECACHE = [OFFLINE_URL, "/agora.css", "/agora.js", "/icons/mark.svg", "/icons/icon-192.png", "/manifest.webmanifest"];
const NEVER = ["/_event", "/_upload", "/api/", "/auth/", "/govgr-stand-in/", "/open311/", "/_health", "/ping"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => (k.startsWith("static-") && k !== STATIC_CACHE) ||
                                                  (k.startsWith("pages-") && k !== PAGES_CACHE)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function isNeverIntercepted(url) {
  return NEVER.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix));
}

function isCacheableStatic(url) {
  return url.pathname.startsWith("/assets/") || url.pathname.startsWith("/icons/") || url.pathname === "/agora.css" ||
    url.pathname === "/agora.js" || url.pathname.startsWith("/css/");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isNeverIntercepted(url)) return;

  if (request.mode === "navigate") {
    const keep = !PRIVATE_PAGES.some((p) => url.pathname === p || url.pathname.startsWith(p + "/"));
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (keep && response.ok && response.type === "basic") {
            const copy = response.clone();
            event.waitUntil(caches.open(PAGES_CACHE).then((cache) =>
              cache.put(url.pathname, copy).then(() => cache.keys()).then((keys) =>
                Promise.all(keys.slice(0, Math.max(0, keys.length - PAGES_KEPT)).map((k) => cache.delete(k))))));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname, { cacheName: PAGES_CACHE })
          .then((hit) => hit || caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE })))
    );
    return;
  }
  if (isCacheableStatic(url)) {
    event.respondWith(
      caches.open(STATIC_CACHE).then((cache) =>
        cache.match(request).then((hit) =>
          hit || fetch(request).then((response) => {
            if (response.ok) cache.put(request, response.clone());
            return response;
          })
        )
      )
    );
  }
});

// Only this app's pages are opened from a notification: a foreign, protocol-relative,
// javascript: or malformed address opens the home page instead. Checked when a push
// is shown and again on click (a notification may come from an older worker version).
function ownUrl(raw) {
  try {
    const url = new URL(raw || "/", self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (e) {
    // not a URL at all
  }
  return self.location.origin + "/";
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { title: "Αγορά Σύρου", body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "Αγορά Σύρου";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      icon: data.icon || "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      tag: data.tag || undefined,
      renotify: Boolean(data.tag && data.urgent),
      lang: data.lang || "el",
      data: { url: ownUrl(data.url) },
      requireInteraction: Boolean(data.urgent),
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = ownUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      // an open window of the app: bring it to the notice; otherwise open one
      const ours = windows.find((client) => new URL(client.url).origin === self.location.origin && "navigate" in client);
      if (ours) return ours.navigate(target).then((client) => (client || ours).focus());
      return self.clients.openWindow(target);
    })
  );
});
