/**
 * Persistent storage for provisioned models, keyed by {@link cacheKey}. An
 * entry is written once, whole, after the model passed every check, so a
 * failed or partial download never leaves one behind.
 */
export interface ModelCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** A cache that lasts as long as the process: Node wiring and tests. */
export function memoryCache(): ModelCache {
  const entries = new Map<string, Uint8Array>();
  return {
    get: async (key) => entries.get(key),
    put: async (key, bytes) => void entries.set(key, bytes.slice()),
    delete: async (key) => void entries.delete(key),
    keys: async () => [...entries.keys()],
  };
}
