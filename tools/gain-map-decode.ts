/**
 * Decodes a gain-map JPEG without the project's writer: gainmap-js's reader splits the
 * file (MPF) and parses the metadata (ISO 21496-1, else hdrgm XMP); sharp decodes both
 * JPEGs; the HDR is the published formula at full display headroom, with the map
 * interpolated bilinearly as a GPU samples a texture:
 *   hdr = (sRGB⁻¹(base) + offsetSdr) · 2^(min + (max − min)·code^(1/gamma)) − offsetHdr.
 */
import { extractGainmapFromJPEG } from '@monogrid/gainmap-js';
import sharp from 'sharp';

export interface DecodedGainMapJpeg {
  readonly width: number;
  readonly height: number;
  /** The primary image's 8-bit RGB. */
  readonly base: Uint8Array;
  readonly gainMap: { readonly width: number; readonly height: number; readonly data: Uint8Array };
  /** Size of the gain map's JPEG. */
  readonly gainMapBytes: number;
  /** Linear HDR RGB, relative to the base's white. */
  readonly hdr: Float32Array;
  readonly metadata: Awaited<ReturnType<typeof extractGainmapFromJPEG>>['metadata'];
}

export const srgbToLinear = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

async function rgb(jpeg: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(jpeg)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

export async function decodeGainMapJpeg(file: Uint8Array): Promise<DecodedGainMapJpeg> {
  const { sdr, gainMap, metadata } = await extractGainmapFromJPEG(new Uint8Array(file));
  const [base, map] = await Promise.all([rgb(sdr), rgb(gainMap)]);
  const { width, height } = base;
  const hdr = new Float32Array(width * height * 3);
  const texel = (gx: number, gy: number, c: number) => map.data[(gy * map.width + gx) * 3 + c] / 255;
  for (let y = 0; y < height; y++) {
    const v = Math.min(map.height - 1, Math.max(0, ((y + 0.5) / height) * map.height - 0.5));
    const y0 = Math.floor(v),
      y1 = Math.min(map.height - 1, y0 + 1),
      fy = v - y0;
    for (let x = 0; x < width; x++) {
      const u = Math.min(map.width - 1, Math.max(0, ((x + 0.5) / width) * map.width - 0.5));
      const x0 = Math.floor(u),
        x1 = Math.min(map.width - 1, x0 + 1),
        fx = u - x0;
      for (let c = 0; c < 3; c++) {
        const code =
          (1 - fy) * ((1 - fx) * texel(x0, y0, c) + fx * texel(x1, y0, c)) +
          fy * ((1 - fx) * texel(x0, y1, c) + fx * texel(x1, y1, c));
        const r = code ** (1 / metadata.gamma[c]);
        const logBoost = metadata.gainMapMin[c] * (1 - r) + metadata.gainMapMax[c] * r;
        const i = (y * width + x) * 3 + c;
        hdr[i] = (srgbToLinear(base.data[i] / 255) + metadata.offsetSdr[c]) * 2 ** logBoost - metadata.offsetHdr[c];
      }
    }
  }
  return { width, height, base: base.data, gainMap: map, gainMapBytes: gainMap.length, hdr, metadata };
}

export interface StopErrors {
  /** Per-channel |log2| errors (with the offset, so black is not infinitely far) where HDRCNN's mask is non-zero. */
  readonly highlights: number[];
  readonly elsewhere: number[];
}

/**
 * Decoded HDR against what the file should hold: the photo linearised by sRGB, times the
 * reconstruction's gain over HDRCNN's `x²` (from `samples`, 8-bit), within [1, 2^maxBoostStops].
 */
export function stopErrors(
  decoded: DecodedGainMapJpeg,
  samples: Uint8Array,
  reconstruction: Float32Array,
  maxBoostStops: number,
  gamma = 1,
): StopErrors {
  const o = decoded.metadata.offsetSdr[0];
  const cap = 2 ** maxBoostStops;
  const errors: StopErrors = { highlights: [], elsewhere: [] };
  for (let p = 0; p < samples.length / 3; p++) {
    const peak = Math.max(samples[3 * p], samples[3 * p + 1], samples[3 * p + 2]) / 255;
    const list = peak ** (1 / gamma) > 0.95 ? errors.highlights : errors.elsewhere;
    for (let i = 3 * p; i < 3 * p + 3; i++) {
      const x = samples[i] / 255;
      const gain = Math.min(cap, Math.max(1, (reconstruction[i] + o) / (x * x + o)));
      const expected = (srgbToLinear(x) + o) * gain - o;
      list.push(Math.abs(Math.log2((decoded.hdr[i] + o) / (expected + o))));
    }
  }
  return errors;
}

export const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
