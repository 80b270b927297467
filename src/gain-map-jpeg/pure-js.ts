/**
 * A gain-map JPEG made without native code, for the plugin (UXP has no sharp): jpeg-js
 * encodes both images (it never subsamples chroma: every component is 1×1, i.e. 4:4:4),
 * the primary gets the sRGB ICC profile in an APP2 segment, and the shared assembler
 * adds the gain-map metadata. Host-free.
 */
import { encode } from 'jpeg-js';
import type { GainMapImage } from '../core/gain-map';
import { assembleGainMapJpeg } from './assemble';
import { srgbIccProfile } from './srgb-icc';

/** The photo at 8 bits, 4 bytes a pixel (R, G, B, unused): jpeg-js's input layout, so no copy is made. */
export interface RgbaPhoto {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface PureJsQualities {
  /** The photo's JPEG quality (the CLI's default, 98: most samples come back exact). */
  readonly primary: number;
  /** The gain map's JPEG quality. */
  readonly gainMap: number;
}

const ICC_SIGNATURE = 'ICC_PROFILE\0';

/** `jpeg` with an APP2 ICC_PROFILE segment (ICC.1 Annex B.4: one chunk) right after SOI and APP0. */
export function withIccProfile(jpeg: Uint8Array, icc: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = 2 + ICC_SIGNATURE.length + 2 + icc.length;
  if (length > 0xffff) throw new RangeError(`an ICC profile of ${icc.length} bytes needs more than one APP2 segment`);
  let at = 2; // after SOI
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + ((jpeg[4] << 8) | jpeg[5]); // after JFIF APP0
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe2, length >> 8, length & 0xff]);
  segment.set(
    Array.from(ICC_SIGNATURE, (c) => c.charCodeAt(0)),
    4,
  );
  segment.set([1, 1], 4 + ICC_SIGNATURE.length); // chunk 1 of 1
  segment.set(icc, 6 + ICC_SIGNATURE.length);
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, at));
  out.set(segment, at);
  out.set(jpeg.subarray(at), at + segment.length);
  return out;
}

const jpegOf = (data: Uint8Array, width: number, height: number, quality: number): Uint8Array<ArrayBuffer> => {
  const { data: bytes } = encode({ data, width, height }, quality); // a Buffer in Node, a Uint8Array elsewhere
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
};

/** The map's RGB codes in jpeg-js's RGBA layout (the map is small: 1/scale² of the photo). */
function rgbaOf(map: GainMapImage): Uint8Array {
  const out = new Uint8Array(map.width * map.height * 4);
  for (let p = 0; p < map.width * map.height; p++) out.set(map.data.subarray(3 * p, 3 * p + 3), 4 * p);
  return out;
}

export function encodeGainMapJpegPureJs(photo: RgbaPhoto, map: GainMapImage, quality: PureJsQualities): Uint8Array {
  const primary = withIccProfile(jpegOf(photo.data, photo.width, photo.height, quality.primary), srgbIccProfile());
  const gainMap = jpegOf(rgbaOf(map), map.width, map.height, quality.gainMap);
  return assembleGainMapJpeg(
    { data: primary, width: photo.width, height: photo.height },
    { data: gainMap, width: map.width, height: map.height },
    map.metadata,
  );
}
