/**
 * {@link ModelCache} on IndexedDB: unlike Cache Storage it does not need a
 * secure context, and the webview's plugin:/ origin may not count as one.
 * Each entry is one record written in one transaction, with its byte count,
 * so a record is either whole or absent; one whose size disagrees is dropped.
 */
import type { ModelCache } from './model-cache';

export const MODEL_DB = 'hdr-reconstruct-models';
export const MODEL_STORE = 'models';

interface Entry {
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly savedAt: string;
}

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

function open(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(MODEL_DB, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(MODEL_STORE);
  return done(request);
}

async function withStore<T>(factory: IDBFactory, mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open(factory);
  try {
    const tx = db.transaction(MODEL_STORE, mode);
    // A write counts once its transaction commits, not when its request succeeds.
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    const [result] = await Promise.all([done(use(tx.objectStore(MODEL_STORE))), committed]);
    return result;
  } finally {
    db.close();
  }
}

export function idbModelCache(factory: IDBFactory = indexedDB): ModelCache {
  const cache: ModelCache = {
    async get(key) {
      const entry = (await withStore(factory, 'readonly', (s) => s.get(key))) as Entry | undefined;
      if (!entry) return undefined;
      if (entry.bytes?.byteLength === entry.size) return entry.bytes;
      await cache.delete(key);
      return undefined;
    },
    async put(key, bytes) {
      // Structured clone copies a view's whole buffer: store only the model's bytes.
      const own = bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      const entry: Entry = { bytes: own, size: own.byteLength, savedAt: new Date().toISOString() };
      await withStore(factory, 'readwrite', (s) => s.put(entry, key));
    },
    async delete(key) {
      await withStore(factory, 'readwrite', (s) => s.delete(key));
    },
    async keys() {
      return (await withStore(factory, 'readonly', (s) => s.getAllKeys())).map(String);
    },
  };
  return cache;
}
