/**
 * A folder on disk with the part of UXP's storage API the model cache uses
 * (src/host/model-file-cache.ts), so provisioning can run in Node with real
 * files: what is written leaves the JavaScript heap, as in UXP.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileStore, StoredFile, StoredFolder } from '../src/host/model-file-cache';

const formats = { utf8: Symbol('utf8'), binary: Symbol('binary') };

class DiskFolder implements StoredFolder {
  constructor(readonly dir: string) {}

  async getEntry(name: string): Promise<StoredFile> {
    if (!statSync(path.join(this.dir, name)).isFile()) throw new Error(`${name} is not a file`);
    return this.file(name);
  }

  async createFile(name: string): Promise<StoredFile> {
    return this.file(name);
  }

  private file(name: string): StoredFile {
    const where = path.join(this.dir, name);
    return {
      isFile: true,
      read: async ({ format }) => {
        const bytes = readFileSync(where);
        if (format === formats.utf8) return bytes.toString('utf8');
        // A large file's Buffer owns its ArrayBuffer: hand that over, as UXP's read does, without a copy.
        const whole = bytes.byteOffset === 0 && bytes.length === bytes.buffer.byteLength;
        return whole
          ? (bytes.buffer as ArrayBuffer)
          : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      },
      write: async (data) => {
        writeFileSync(where, typeof data === 'string' ? data : new Uint8Array(data));
        return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      },
      delete: async () => rmSync(where),
      moveTo: async (folder, { newName }) => renameSync(where, path.join((folder as DiskFolder).dir, newName)),
    };
  }
}

export function diskStore(dir: string): FileStore {
  mkdirSync(dir, { recursive: true });
  const folder = new DiskFolder(dir);
  return { folder: async () => folder, formats };
}
