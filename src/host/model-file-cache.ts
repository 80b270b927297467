/**
 * Converted models in the plugin's data folder (`localFileSystem.getDataFolder()`):
 * `NAME` holds the ONNX bytes, `NAME.sha256` their size and SHA-256. Each is
 * written under a temporary name and renamed (Entry.moveTo) once whole, the
 * model first, and an old checksum is removed before a new model is written, so
 * a crash at any point leaves either a matching pair or something get() refuses.
 * get() checks size and checksum on every read: a damaged or half-written entry
 * is deleted and reported as absent, never used.
 *
 * Written against the part of UXP's storage API it uses (below), so Node can run
 * it over a real folder (bench/fs-folder.ts); the plugin passes UXP's own.
 */
import { sha256Hex } from '../protocol/checksum';

/** UXP's File, as far as the cache uses it (storage.File fits). */
export interface StoredFile {
  readonly isFile: boolean;
  read(options: { format: symbol }): Promise<string | ArrayBuffer>;
  write(data: string | ArrayBuffer, options: { format: symbol }): Promise<number>;
  delete(): Promise<void>;
  moveTo(folder: StoredFolder, options: { newName: string; overwrite: boolean }): Promise<void>;
}

/** UXP's Folder, as far as the cache uses it (storage.Folder fits). */
export interface StoredFolder {
  getEntry(name: string): Promise<{ readonly isFile: boolean }>;
  createFile(name: string, options: { overwrite: boolean }): Promise<StoredFile>;
}

/** Where the cache lives, and UXP's `storage.formats`. */
export interface FileStore {
  folder(): Promise<StoredFolder>;
  readonly formats: { readonly utf8: symbol; readonly binary: symbol };
}

const PARTIAL = '.partial';
const CHECKSUM = '.sha256';

export interface CachedModel {
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/** Why get() found nothing usable: absent, or there and damaged (then deleted). */
export type CacheMiss = 'absent' | 'damaged';

/** An entry as Diagnostics sees it; `sha256` only when size and SHA-256 match the recorded ones. */
export type CacheEntryState =
  { readonly present: false } | { readonly present: true; readonly bytes: number; readonly sha256?: string };

async function entry(folder: StoredFolder, name: string): Promise<StoredFile | undefined> {
  try {
    const found = await folder.getEntry(name);
    return found.isFile ? (found as StoredFile) : undefined;
  } catch {
    return undefined; // getEntry rejects for a missing entry
  }
}

async function remove(folder: StoredFolder, name: string): Promise<void> {
  await (await entry(folder, name))?.delete().catch(() => undefined);
}

export class ModelFileCache {
  constructor(private readonly store: FileStore) {}

  async get(name: string): Promise<CachedModel | CacheMiss> {
    const found = await this.read(name);
    if (found === 'absent') return 'absent';
    if (found.sha256 !== undefined) return { bytes: found.bytes!, sha256: found.sha256 };
    await this.delete(name);
    return 'damaged';
  }

  /** What is stored under `name`, for Diagnostics: read only, a damaged entry is left as it is. */
  async inspect(name: string): Promise<CacheEntryState> {
    const found = await this.read(name);
    if (found === 'absent') return { present: false };
    return { present: true, bytes: found.bytes?.length ?? 0, sha256: found.sha256 };
  }

  /** The model and, when its size and SHA-256 are the recorded ones, that SHA-256. */
  private async read(name: string): Promise<{ bytes?: Uint8Array; sha256?: string } | 'absent'> {
    const { formats } = this.store;
    const folder = await this.store.folder();
    const [model, checksum] = await Promise.all([entry(folder, name), entry(folder, name + CHECKSUM)]);
    if (!model && !checksum) return 'absent';
    let stored: { bytes?: unknown; sha256?: unknown } = {};
    try {
      stored = JSON.parse(String(await checksum?.read({ format: formats.utf8 })));
    } catch {
      stored = {}; // no checksum, or not ours: the model cannot be trusted
    }
    const bytes = model ? new Uint8Array((await model.read({ format: formats.binary })) as ArrayBuffer) : undefined;
    const ok = bytes && bytes.length === stored.bytes && sha256Hex(bytes) === stored.sha256;
    return { bytes, sha256: ok ? (stored.sha256 as string) : undefined };
  }

  async put(name: string, bytes: Uint8Array, sha256 = sha256Hex(bytes)): Promise<void> {
    const { formats } = this.store;
    const folder = await this.store.folder();
    await remove(folder, name + CHECKSUM);
    await writeWhole(folder, name, bytes, formats.binary);
    await writeWhole(folder, name + CHECKSUM, JSON.stringify({ bytes: bytes.length, sha256 }), formats.utf8);
  }

  async delete(name: string): Promise<void> {
    const folder = await this.store.folder();
    for (const file of [name + CHECKSUM, name, name + PARTIAL, name + CHECKSUM + PARTIAL]) await remove(folder, file);
  }
}

/** Writes `NAME.partial`, then renames it to NAME: a reader never sees a half-written NAME. */
async function writeWhole(
  folder: StoredFolder,
  name: string,
  data: Uint8Array | string,
  format: symbol,
): Promise<void> {
  const partial = await folder.createFile(name + PARTIAL, { overwrite: true });
  try {
    await partial.write(typeof data === 'string' ? data : ownBuffer(data), { format });
    await partial.moveTo(folder, { newName: name, overwrite: true });
  } catch (e) {
    await partial.delete().catch(() => undefined);
    throw e;
  }
}

/** UXP's binary write takes an ArrayBuffer: the array's own when it spans it whole (no 120 MB copy). */
const ownBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : bytes.slice().buffer;
