/**
 * SHA-256 of model bytes, the same code in the plugin and the page. WebCrypto's
 * digest is no use here: UXP does not document `crypto.subtle`, the webview's
 * local content may not be a secure context, and digest() cannot stream.
 * @noble/hashes: audited, dependency-free, incremental.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface Sha256 {
  update(bytes: Uint8Array): Sha256;
  /** Lower-case hex of everything passed to update(). */
  hex(): string;
}

export function sha256Stream(): Sha256 {
  const hash = sha256.create();
  const stream: Sha256 = {
    update: (bytes) => (hash.update(bytes), stream),
    hex: () => bytesToHex(hash.digest()),
  };
  return stream;
}

export const sha256Hex = (bytes: Uint8Array): string => sha256Stream().update(bytes).hex();
