/**
 * Pixel payloads for the webview bridge, which carries JSON-safe values only:
 * float32 samples as base64 of their little-endian bytes (base64-js: small,
 * maintained, and the same code in UXP, the webview and Node). 4/3 the size of
 * the raw bytes, no precision lost.
 */
import { fromByteArray, toByteArray } from 'base64-js';
import { ProtocolError } from './errors';

export interface EncodedFloat32 {
  readonly encoding: 'base64-f32le';
  /** Number of float32 samples. */
  readonly length: number;
  readonly data: string;
}

export function encodeFloat32(values: Float32Array): EncodedFloat32 {
  // Typed arrays are little-endian on every platform Photoshop and browsers run on.
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { encoding: 'base64-f32le', length: values.length, data: fromByteArray(bytes) };
}

/** Standard base64 with padding, nothing else: base64-js decodes any other character as zero bits. */
function strictBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new ProtocolError(`${what} is not valid base64: its length ${text.length} is not a multiple of 4`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    const at = text.search(/[^A-Za-z0-9+/]/);
    throw new ProtocolError(`${what} is not valid base64: character ${at} is ${JSON.stringify(text[at])}`);
  }
  return toByteArray(text);
}

export function decodeFloat32(encoded: EncodedFloat32): Float32Array {
  const bytes = strictBase64(encoded.data, 'pixel payload');
  if (bytes.byteLength !== encoded.length * 4) {
    throw new ProtocolError(`pixel payload holds ${bytes.byteLength} bytes, expected ${encoded.length * 4}`);
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, encoded.length);
}

export const encodeBytes = (bytes: Uint8Array): string => fromByteArray(bytes);

export const decodeBytes = (base64: string): Uint8Array => strictBase64(base64, 'file payload');
