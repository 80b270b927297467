/**
 * FNV-1a (32-bit) over bytes, as 8 hex digits: enough to tell a damaged or replaced copy of the
 * chosen weights file from the one that was copied (not a security check). Host-free.
 */
export function checksum(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
