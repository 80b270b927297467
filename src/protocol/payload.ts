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

export function decodeFloat32(encoded: EncodedFloat32): Float32Array {
  let bytes: Uint8Array;
  try {
    bytes = toByteArray(encoded.data);
  } catch (e) {
    throw new ProtocolError(`pixel payload is not valid base64: ${(e as Error).message}`);
  }
  if (bytes.byteLength !== encoded.length * 4) {
    throw new ProtocolError(`pixel payload holds ${bytes.byteLength} bytes, expected ${encoded.length * 4}`);
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, encoded.length);
}

export const encodeBytes = (bytes: Uint8Array): string => fromByteArray(bytes);

export function decodeBytes(base64: string): Uint8Array {
  try {
    return toByteArray(base64);
  } catch (e) {
    throw new ProtocolError(`file payload is not valid base64: ${(e as Error).message}`);
  }
}
