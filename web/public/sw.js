// The dApp's service worker: the pass opens with no connection once it has been opened online. Pages (the one
// HTML document) go to the network first and fall back to the copy kept here; Vite's hashed /assets/* never change
// under a name, so they are served from the cache first. Chain reads (other origins, POSTs) are never touched:
// the pass page shows what the chain last confirmed from its own store when they fail.
const CACHE = "earnest-v1";
const SHELL = ["./", "./manifest.json", "./earnest.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .catch(() => undefined)
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

// The page sends the assets it loaded before this worker controlled it (the first visit's main chunk, its CSS):
// without them the shell kept here could not start offline.
self.addEventListener("message", (event) => {
  const urls = event.data && event.data.type === "cache" && Array.isArray(event.data.urls) ? event.data.urls : [];
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          urls
            .filter((url) => isAsset(new URL(url, self.location.href)))
            .map((url) => cache.match(url).then((hit) => hit || cache.add(url).catch(() => undefined))),
        ),
      ),
  );
});

/** A built file of this app: same origin, under the worker's own assets/ folder (its name carries its hash). */
function isAsset(url) {
  return (
    url.origin === self.location.origin && url.pathname.startsWith(new URL("assets/", self.location.href).pathname)
  );
}

async function networkFirst(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(fallbackUrl || request, response.clone());
    return response;
  } catch (error) {
    const kept = (await cache.match(fallbackUrl || request, { ignoreSearch: true })) || (await cache.match("./"));
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Every route is a hash of the one document: the document is kept under "./".
  if (request.mode === "navigate") event.respondWith(networkFirst(request, new URL("./", self.location.href).href));
  else if (isAsset(url)) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request));
});
