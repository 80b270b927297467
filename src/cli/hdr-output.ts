/**
 * Writes linear HDR images: OpenEXR through our focused writer (exr.ts); Radiance RGBE (.hdr)
 * and PFM, which are a header plus a plain pixel array, by hand.
 */
import type { RgbImage } from '../core/image';
import { encodeExr } from './exr';

/** `jpg` is the gain-map JPEG (gain-map-jpeg.ts): it needs the photo too. */
export const HDR_FORMATS = ['exr', 'hdr', 'pfm', 'jpg'] as const;
export type HdrFormat = (typeof HDR_FORMATS)[number];

export interface HdrWriteOptions {
  /** EXR: 32-bit float instead of half. */
  readonly float?: boolean;
  /** EXR: coverage in [0, 1] per pixel, written as channel A; the other formats have no alpha. */
  readonly alpha?: Float32Array;
}

export async function encodeHdr(
  image: RgbImage,
  format: Exclude<HdrFormat, 'jpg'>,
  options: HdrWriteOptions = {},
): Promise<Uint8Array> {
  switch (format) {
    case 'exr':
      return encodeExr(image, options);
    case 'hdr':
      return encodeRgbe(image);
    case 'pfm':
      return encodePfm(image);
  }
}

/** Radiance RGBE, flat (uncompressed) scanlines, top row first. */
function encodeRgbe({ width, height, data }: RgbImage): Uint8Array {
  const header = new TextEncoder().encode(`#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y ${height} +X ${width}\n`);
  const out = new Uint8Array(header.length + width * height * 4);
  out.set(header);
  for (let p = 0, o = header.length; p < width * height; p++, o += 4) {
    const r = Math.max(0, data[3 * p]),
      g = Math.max(0, data[3 * p + 1]),
      b = Math.max(0, data[3 * p + 2]);
    const m = Math.max(r, g, b);
    if (m < 1e-32) continue; // (0,0,0,0)
    const e = Math.floor(Math.log2(m)) + 1;
    const scale = 256 / 2 ** e;
    out[o] = Math.min(255, Math.floor(r * scale));
    out[o + 1] = Math.min(255, Math.floor(g * scale));
    out[o + 2] = Math.min(255, Math.floor(b * scale));
    out[o + 3] = e + 128;
  }
  return out;
}

/** PFM: 32-bit little-endian floats (negative scale), rows bottom-up as the format defines. */
function encodePfm({ width, height, data }: RgbImage): Uint8Array {
  const header = new TextEncoder().encode(`PF\n${width} ${height}\n-1.0\n`);
  const out = new Uint8Array(header.length + width * height * 12);
  out.set(header);
  const view = new DataView(out.buffer, header.length);
  for (let y = 0; y < height; y++) {
    const src = (height - 1 - y) * width * 3;
    for (let i = 0; i < width * 3; i++) view.setFloat32((y * width * 3 + i) * 4, data[src + i], true);
  }
  return out;
}
