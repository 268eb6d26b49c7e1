// The dApp's service worker: the pass opens with no connection once it has been opened online. Pages (the one
// HTML document) go to the network first and fall back to the copy kept here; Vite's hashed /assets/* never change
// under a name, so they are served from the cache first. Chain reads (other origins, POSTs) are never touched:
// the pass page shows what the chain last confirmed from its own store when they fail.
const CACHE = "earnest-v2";
// A server that allows cross-origin reads (Safe's web interface fetching the manifest) answers with `Vary: Origin`,
// and the browser sends an Origin with module imports but not with a plain fetch: matched by URL alone, or a file
// kept by one would be missed by the other. Built files never change under a name, so Vary has nothing to add.
const MATCH = { ignoreVary: true };
const SHELL = ["./", "./manifest.json", "./earnest.svg"];
/** What the page handed over for wording push notices (src/lib/push.ts, PushContext); kept across updates. */
const PUSH_CACHE = "earnest-push";
const PUSH_CONTEXT = "./push-context.json";

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
      .then((keys) =>
        Promise.all(keys.filter((key) => key !== CACHE && key !== PUSH_CACHE).map((key) => caches.delete(key))),
      )
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
            .map((url) => cache.match(url, MATCH).then((hit) => hit || cache.add(url).catch(() => undefined))),
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
    const kept =
      (await cache.match(fallbackUrl || request, { ...MATCH, ignoreSearch: true })) || (await cache.match("./", MATCH));
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, MATCH);
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

// Web Push from the notifier (services/notifier/push.ts). The payload says what happened in ids and amounts; the
// words and the pass to open come from the context the page last handed over, in the language it was using.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "push-context") return;
  const body = JSON.stringify(event.data);
  event.waitUntil(
    caches
      .open(PUSH_CACHE)
      .then((cache) =>
        cache.put(PUSH_CONTEXT, new self.Response(body, { headers: { "content-type": "application/json" } })),
      ),
  );
});

async function pushContext() {
  try {
    const cache = await caches.open(PUSH_CACHE);
    const kept = await cache.match(PUSH_CONTEXT);
    return kept ? await kept.json() : undefined;
  } catch {
    return undefined;
  }
}

function fill(text, values) {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key) => (key in values ? String(values[key]) : ""));
}

/** The notification for `notice`: its words in the page's language, and where a tap leads. */
function notificationOf(notice, context) {
  const key = notice.bookingId && `${notice.chainId}:${String(notice.escrow).toLowerCase()}:${notice.bookingId}`;
  const booking = (key && context && context.bookings && context.bookings[key]) || {};
  const text = context && context.texts && context.texts[notice.kind];
  // {{share}}: the refund's share, or a loyalty reward's discount (kind "reward").
  const bps = typeof notice.refundBps === "number" ? notice.refundBps : notice.discountBps;
  const share =
    typeof bps === "number"
      ? new Intl.NumberFormat(context ? context.locale : undefined, {
          style: "percent",
          maximumFractionDigits: 2,
        }).format(bps / 10000)
      : "";
  const values = { name: booking.name || (context && context.unnamed) || "", share };
  return {
    // Without a context (the page never handed one over) the title is the app's name: a push must show something.
    title: text ? fill(text.title, values) : "Earnest",
    options: {
      body: text ? fill(text.body, values) : "",
      icon: "./earnest.svg",
      lang: context ? context.locale : undefined,
      // One notice per booking and kind (per coupon for a reward): a repeat replaces the first instead of piling up.
      tag: `${notice.kind}:${key || notice.salt || notice.token || ""}`,
      data: { url: booking.pass || new URL(notice.url || "./", self.registration.scope).href },
    },
  };
}

self.addEventListener("push", (event) => {
  let notice;
  try {
    notice = event.data ? event.data.json() : undefined;
  } catch {
    notice = undefined;
  }
  if (!notice || typeof notice.kind !== "string") return;
  event.waitUntil(
    pushContext().then((context) => {
      const { title, options } = notificationOf(notice, context);
      return self.registration.showNotification(title, options);
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || self.registration.scope;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      // A window of the dApp this worker controls goes to the pass; else a new one opens there.
      const open = windows.find((w) => w.url.startsWith(self.registration.scope));
      if (!open) return self.clients.openWindow(url);
      return open
        .navigate(url)
        .then((w) => (w || open).focus())
        .catch(() => self.clients.openWindow(url));
    }),
  );
});
