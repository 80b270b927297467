/**
 * Reads the members of an .npz (a zip of .npy files). The central directory is
 * read here, so that every member is held to what it declares: its size is
 * checked before anything is inflated (a zip bomb is refused up front), the
 * inflation stops as soon as the output passes it, and the CRC-32 is checked,
 * as NumPy's zipfile does. fflate inflates, fed a slice at a time so that a
 * lying member costs at most a slice's worth of output. Stored and deflated
 * members, zip64 sizes and offsets.
 */
import { strFromU8 } from 'fflate';
import { inflateExactly } from '../deflate/deflate';
import { crc32 } from './crc32';
import { WeightsFormatError } from './errors';

/** Total uncompressed size we accept (the official weights are ~118 MB). */
export const MAX_NPZ_BYTES = 512 * 2 ** 20;
/** Far more members than any .npz we read has; bounds the work on a forged count. */
const MAX_MEMBERS = 64;
/** The end-of-central-directory record alone. */
const MIN_ZIP_BYTES = 22;
/** Deflate cannot expand more than ~1032:1, so a larger declared ratio is a lie. */
const MAX_DEFLATE_RATIO = 1032;

interface Entry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  /** Compressed size. */
  readonly size: number;
  readonly originalSize: number;
  readonly localOffset: number;
}

/** "zip member 3 ("name")" for messages; a forged name can be 64 KiB of anything. */
const member = (index: number, name: string) => `zip member ${index} (${JSON.stringify(name.slice(0, 80))})`;
const notZip = (what: string) => new WeightsFormatError(`not a valid .npz/zip file: ${what}`);

/** Member name without `.npy` → the member's bytes. */
export function readNpz(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // "PK\3\4" (a member) or "PK\5\6" (empty zip): gives a clear message for .npy, HDF5, checkpoints…
  const signature = bytes.length < 4 ? 0 : view.getUint32(0, true);
  if (signature !== 0x04034b50 && signature !== 0x06054b50) throw notZip('no zip signature at byte 0');
  if (bytes.length < MIN_ZIP_BYTES) throw notZip(`only ${bytes.length} bytes`);
  let total = 0;
  const members = new Map<string, Uint8Array>();
  centralDirectory(bytes, view).forEach((entry, i) => {
    const where = member(i, entry.name);
    if (entry.flags & 1) throw new WeightsFormatError(`${where}: encrypted members are not supported`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new WeightsFormatError(
        `${where}: unsupported compression method ${entry.method} (only stored and deflate)`,
      );
    }
    if (entry.size > bytes.length) {
      throw new WeightsFormatError(`${where}: compressed size ${entry.size} exceeds the file size ${bytes.length}`);
    }
    const maxSize = entry.method === 0 ? entry.size : entry.size * MAX_DEFLATE_RATIO;
    if (entry.originalSize > maxSize) {
      throw new WeightsFormatError(
        `${where}: declared size ${entry.originalSize} is impossible for ${entry.size} compressed bytes`,
      );
    }
    total += entry.originalSize;
    if (total > MAX_NPZ_BYTES)
      throw new WeightsFormatError(`${where}: uncompressed contents exceed the ${MAX_NPZ_BYTES}-byte limit`);
    const raw = memberData(bytes, view, entry, where);
    const data =
      entry.method === 0
        ? raw
        : inflateExactly(raw, entry.originalSize, (why) => new WeightsFormatError(`${where}: ${why}`));
    if (data.length !== entry.originalSize) {
      throw new WeightsFormatError(`${where}: extracted ${data.length} bytes, header declares ${entry.originalSize}`);
    }
    const crc = crc32(data);
    if (crc !== entry.crc) {
      const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
      throw new WeightsFormatError(
        `${where}: Bad CRC-32 (header ${hex(entry.crc)}, data ${hex(crc)}): the file is damaged`,
      );
    }
    const name = entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name;
    if (members.has(name)) throw new WeightsFormatError(`${where}: duplicate name`);
    members.set(name, data);
  });
  return members;
}

/** A little-endian 64-bit size; anything past 2^53 is beyond any file anyway. */
const u64 = (view: DataView, at: number) => view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;

function centralDirectory(bytes: Uint8Array, view: DataView): Entry[] {
  let eocd = -1;
  for (let at = bytes.length - MIN_ZIP_BYTES; at >= Math.max(0, bytes.length - MIN_ZIP_BYTES - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw notZip('no end-of-central-directory record');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50)
      throw notZip('zip64 sizes without a zip64 locator');
    const record = u64(view, locator + 8);
    if (record > bytes.length - 56 || view.getUint32(record, true) !== 0x06064b50)
      throw notZip('bad zip64 end-of-central-directory offset');
    count = u64(view, record + 32);
    offset = u64(view, record + 48);
  }
  if (count > MAX_MEMBERS) throw new WeightsFormatError(`zip has more than ${MAX_MEMBERS} members`);
  const entries: Entry[] = [];
  for (let i = 0, at = offset; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw notZip(`central directory entry ${i} is missing`);
    const flags = view.getUint16(at + 8, true);
    const [nameLength, extraLength, commentLength] = [28, 30, 32].map((k) => view.getUint16(at + k, true));
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw notZip(`central directory entry ${i} runs past the end of the file`);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = memberName(nameBytes, flags, i);
    let size = view.getUint32(at + 20, true);
    let originalSize = view.getUint32(at + 24, true);
    let localOffset = view.getUint32(at + 42, true);
    // The zip64 extra field holds, in this order, only the values whose 32-bit field is 0xFFFFFFFF.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
      const [id, length] = [view.getUint16(x, true), view.getUint16(x + 2, true)];
      if (id === 0x0001) {
        let field = x + 4;
        const next = () => {
          if (field + 8 > x + 4 + length) throw notZip(`${member(i, name)}: zip64 extra field is too short`);
          field += 8;
          return u64(view, field - 8);
        };
        if (originalSize === 0xffffffff) originalSize = next();
        if (size === 0xffffffff) size = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      x += 4 + length;
    }
    entries.push({
      name,
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      size,
      originalSize,
      localOffset,
    });
    at = end;
  }
  return entries;
}

/** Bit 11: a UTF-8 name; otherwise code page 437, read as latin-1 (NumPy writes ASCII names). */
function memberName(bytes: Uint8Array, flags: number, index: number): string {
  try {
    return strFromU8(bytes, !(flags & 0x800));
  } catch {
    throw notZip(`central directory entry ${index}: the name is not valid UTF-8`);
  }
}

/** The member's stored bytes, after its local header. */
function memberData(bytes: Uint8Array, view: DataView, entry: Entry, where: string): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50)
    throw notZip(`${where}: no local header at byte ${at}`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.size > bytes.length) throw notZip(`${where}: data runs past the end of the file`);
  return bytes.subarray(start, start + entry.size);
}
