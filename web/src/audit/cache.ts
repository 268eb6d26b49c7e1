// The audit's log cache in IndexedDB, so that auditing the same escrow again reads only the new blocks (as the
// CLI's .audit-cache/ does). `audit()` checks a cached range against the chain's block hash before using it.
import type { Address } from "viem";
import type { CacheData, LogCache } from "../../../sdk/audit/index.js";

const DATABASE = "earnest-audit";
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

/** A cache per RPC URL and escrow; undefined where the browser has no IndexedDB (the audit then reads everything). */
export function browserLogCache(rpcUrl: string, escrow: Address): LogCache | undefined {
  if (typeof indexedDB === "undefined") return undefined;
  const key = `${rpcUrl} ${escrow.toLowerCase()}`;
  return {
    // A cache that cannot be read or written (private mode, quota) only makes the audit slower, never wrong.
    load: () => withStore("readonly", (s) => s.get(key) as IDBRequest<CacheData | undefined>).catch(() => undefined),
    save: (data) =>
      withStore("readwrite", (s) => s.put(data, key)).then(
        () => undefined,
        () => undefined,
      ),
  };
}
