// The escrow's logs kept in this browser (IndexedDB), so that the merchant console and the auditor read only the
// blocks since their last visit. The sdk checks a cached range against the chain's block hash before using it.
// Without IndexedDB (private modes, tests) nothing is cached.
import type { CacheData, LogCache } from "@earnest/sdk";

const DATABASE = "earnest-logs";
const STORE = "logs";

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const open = indexedDB.open(DATABASE, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await settle(open);
  try {
    return await settle(use(db.transaction(STORE, mode).objectStore(STORE)));
  } finally {
    db.close();
  }
}

/** The cache record named `key`; undefined where the browser has no IndexedDB (everything is then read). */
export function browserLogCache(key: string): LogCache | undefined {
  if (typeof indexedDB === "undefined") return undefined;
  return {
    // A cache that cannot be read or written (private mode, quota) only makes reading slower, never wrong.
    load: () => withStore("readonly", (s) => s.get(key) as IDBRequest<CacheData | undefined>).catch(() => undefined),
    save: (data) =>
      withStore("readwrite", (s) => s.put(data, key)).then(
        () => undefined,
        () => undefined,
      ),
  };
}
