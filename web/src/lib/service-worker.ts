// The service worker (public/sw.js) that lets the pass open offline once it has been opened online. Production
// builds only: in development it would serve stale modules over Vite's own.

/** Registers the worker where the browser has one, and hands it the assets this first visit loaded before it
 *  controlled the page, so the app starts from its cache when the network is gone. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  const sendLoaded = (worker: ServiceWorker | null | undefined) =>
    worker?.postMessage({
      type: "cache",
      urls: [
        ...performance.getEntriesByType("resource").map((entry) => entry.name),
        ...[...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>("script[src], link[href]")].map(
          (element) => ("src" in element ? element.src : element.href),
        ),
      ],
    });
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register(new URL("sw.js", document.baseURI), { scope: "./" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => sendLoaded(registration.active))
      .catch(() => undefined); // No worker (private mode, a refusing browser): the app works online as before.
    // Chunks loaded between `ready` and the worker taking control were fetched past it: sent once more.
    navigator.serviceWorker.addEventListener("controllerchange", () => sendLoaded(navigator.serviceWorker.controller));
  });
}
