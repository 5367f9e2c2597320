// BloomWatch's service worker: keeps the app shell for offline use. Network first for
// everything (the server's HTML and the /pkg files must match, and /pkg names are not
// hashed), the cache only as a fallback. Never touches /rpc or /api: live data and writes
// always go to the server. Pages are never cached: they are personal (names, spaces), so
// an offline navigation gets the offline page instead.

const CACHE = "bloomwatch-shell-v5";
const OFFLINE_PAGE = "/offline.html";
const SHELL = [
  OFFLINE_PAGE,
  "/pkg/bloomwatch.css",
  "/pkg/bloomwatch.js",
  "/pkg/bloomwatch.wasm",
  "/charts.js",
  "/manifest.webmanifest",
  "/icons/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // One missing file must not cost the whole shell.
      .then((cache) => Promise.all(SHELL.map((url) => cache.add(url).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function isShellAsset(url) {
  return SHELL.includes(url.pathname);
}

function isLiveData(url) {
  return url.pathname.startsWith("/rpc") || url.pathname.startsWith("/api");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || isLiveData(url)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() => caches.match(OFFLINE_PAGE)),
    );
    return;
  }
  if (isShellAsset(url)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request)),
    );
  }
});
