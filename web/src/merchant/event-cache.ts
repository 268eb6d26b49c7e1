// The escrow's logs kept in this browser (IndexedDB), one record per chain and escrow, so reopening the console
// reads only the blocks since the last visit. Without IndexedDB (private modes, tests) nothing is cached.
import type { CacheData, LogCache } from "../../../sdk/audit/index.js";

const DB = "earnest-merchant";
const STORE = "escrow-logs";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB did not open"));
  });
}

function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then((db) =>
    new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
    }).finally(() => db.close()),
  );
}

export function browserLogCache(chainId: number, escrow: string): LogCache | undefined {
  if (typeof indexedDB === "undefined") return undefined;
  const key = `${chainId}:${escrow.toLowerCase()}`;
  return {
    // A broken cache must never break the console: it only costs a full read.
    load: () =>
      run<CacheData | undefined>("readonly", (store) => store.get(key) as IDBRequest<CacheData | undefined>).catch(
        () => undefined,
      ),
    save: (data) =>
      run("readwrite", (store) => store.put(data, key)).then(
        () => undefined,
        () => undefined,
      ),
  };
}
