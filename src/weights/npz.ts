/**
 * Reads the members of an .npz (a zip of .npy files) with fflate. Stored and
 * deflated members; zip64 sizes are handled by fflate. Declared sizes are
 * checked before anything is inflated, so a zip bomb is refused up front.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { WeightsFormatError } from './errors';

/** Total uncompressed size we accept (the official weights are ~118 MB). */
export const MAX_NPZ_BYTES = 512 * 2 ** 20;
/** Far more members than any .npz we read has; bounds the work on a forged count. */
const MAX_MEMBERS = 64;
/** The end-of-central-directory record alone; fflate misbehaves (slowly) on less. */
const MIN_ZIP_BYTES = 22;
/** Deflate cannot expand more than ~1032:1, so a larger declared ratio is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/** "zip member 3 ("name")" for messages; a forged name can be 64 KiB of anything. */
const member = (index: number, name: string) => `zip member ${index} (${JSON.stringify(name.slice(0, 80))})`;

/** Member name without `.npy` → the member's bytes. */
export function readNpz(bytes: Uint8Array): Map<string, Uint8Array> {
  // "PK\3\4" (a member) or "PK\5\6" (empty zip): gives a clear message for .npy, HDF5, checkpoints…
  const signature = bytes.length < 4 ? 0 : new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  if (signature !== 0x04034b50 && signature !== 0x06054b50) {
    throw new WeightsFormatError('not a valid .npz/zip file: no zip signature at byte 0');
  }
  if (bytes.length < MIN_ZIP_BYTES) throw new WeightsFormatError(`not a valid .npz/zip file: only ${bytes.length} bytes`);
  const declared: UnzipFileInfo[] = [];
  let total = 0;
  const filter = (info: UnzipFileInfo): boolean => {
    if (declared.length >= MAX_MEMBERS) throw new WeightsFormatError(`zip has more than ${MAX_MEMBERS} members`);
    const where = member(declared.length, info.name);
    if (info.compression !== 0 && info.compression !== 8) {
      throw new WeightsFormatError(`${where}: unsupported compression method ${info.compression} (only stored and deflate)`);
    }
    if (info.size > bytes.length) {
      throw new WeightsFormatError(`${where}: compressed size ${info.size} exceeds the file size ${bytes.length}`);
    }
    const maxSize = info.compression === 0 ? info.size : info.size * MAX_DEFLATE_RATIO;
    if (info.originalSize > maxSize) {
      throw new WeightsFormatError(`${where}: declared size ${info.originalSize} is impossible for ${info.size} compressed bytes`);
    }
    total += info.originalSize;
    if (total > MAX_NPZ_BYTES) {
      throw new WeightsFormatError(`${where}: uncompressed contents exceed the ${MAX_NPZ_BYTES}-byte limit`);
    }
    declared.push(info);
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter });
  } catch (e) {
    if (e instanceof WeightsFormatError) throw e;
    throw new WeightsFormatError(`not a valid .npz/zip file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const members = new Map<string, Uint8Array>();
  declared.forEach((info, i) => {
    // fflate collects members in a plain object: a name like "__proto__" would not land as own property.
    const data = Object.hasOwn(files, info.name) ? files[info.name] : undefined;
    if (data === undefined || data.length !== info.originalSize) {
      throw new WeightsFormatError(`${member(i, info.name)}: extracted ${data?.length ?? 0} bytes, header declares ${info.originalSize}`);
    }
    const name = info.name.endsWith('.npy') ? info.name.slice(0, -4) : info.name;
    if (members.has(name)) throw new WeightsFormatError(`${member(i, info.name)}: duplicate name`);
    members.set(name, data);
  });
  return members;
}
