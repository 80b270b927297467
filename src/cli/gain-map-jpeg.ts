/**
 * `predict --format jpg`: an Ultra HDR / ISO 21496-1 JPEG whose primary image is the photo
 * itself (the decoded frame, 8-bit, sRGB ICC) and whose gain map is the reconstruction.
 * sharp (libjpeg-turbo) encodes both JPEGs, faster than the plugin's pure-JS encoder; the
 * shared assembler (src/gain-map-jpeg/assemble.ts) writes the container.
 */
import sharp from 'sharp';
import { buildGainMap, checkGainMapOptions, type BaseSamples } from '../core/gain-map';
import type { HdrcnnSettings } from '../core/hdrcnn';
import type { RgbImage } from '../core/image';
import { assembleGainMapJpeg } from '../gain-map-jpeg/assemble';

export interface GainMapJpegOptions {
  /** Cap of the gain in stops; default from the image (see core/gain-map). */
  readonly maxBoostStops?: number;
  /** Gain map size: 1/scale of the photo per dimension. */
  readonly scale: number;
  /** JPEG quality of the gain map (1–100). */
  readonly quality: number;
  /** JPEG quality of the photo; default 98 (measured in the bench, not a CLI option). */
  readonly primaryQuality?: number;
}

/** Defaults from `node dist-cli/bench/bench.js gainmap` (README, "Gain-map JPEG"). */
export const DEFAULT_GAIN_MAP_JPEG: GainMapJpegOptions = { scale: 2, quality: 85 };

/** The primary image's JPEG quality: high, and no chroma subsampling, so the photo's pixels stay. */
const PRIMARY_QUALITY = 98;

export interface GainMapJpeg {
  readonly bytes: Uint8Array;
  readonly maxBoostStops: number;
}

/** 8-bit samples of the photo; 16-bit photos are rounded to the nearest 8-bit code. */
function eightBit(base: BaseSamples): Uint8Array {
  if (base.maxValue === 255 && base.samples instanceof Uint8Array) return base.samples;
  const out = new Uint8Array(base.samples.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((base.samples[i] * 255) / base.maxValue);
  return out;
}

/** Throws a RangeError naming the bad option; predict calls it before any work. */
export function checkGainMapJpegOptions(options: GainMapJpegOptions): GainMapJpegOptions {
  checkGainMapOptions(options);
  const { quality } = options;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100)
    throw new RangeError(`gain-map quality must be an integer in [1, 100], got ${quality}`);
  return options;
}

export async function encodeGainMapJpeg(
  base: BaseSamples,
  hdr: RgbImage,
  settings: HdrcnnSettings,
  options: GainMapJpegOptions,
): Promise<GainMapJpeg> {
  const { quality } = checkGainMapJpegOptions(options);
  const map = buildGainMap(base, hdr, settings, options);
  const raw = (data: Uint8Array, width: number, height: number) => sharp(data, { raw: { width, height, channels: 3 } });
  const [sdr, gainMap] = await Promise.all([
    raw(eightBit(base), base.width, base.height)
      .withIccProfile('srgb')
      .jpeg({ quality: options.primaryQuality ?? PRIMARY_QUALITY, chromaSubsampling: '4:4:4' })
      .toBuffer(),
    // Channels' gains differ (coloured highlights): subsampled chroma costs stops.
    raw(map.data, map.width, map.height).jpeg({ quality, chromaSubsampling: '4:4:4' }).toBuffer(),
  ]);
  const bytes = assembleGainMapJpeg(
    { data: new Uint8Array(sdr), width: base.width, height: base.height },
    { data: new Uint8Array(gainMap), width: map.width, height: map.height },
    map.metadata,
  );
  return { bytes, maxBoostStops: map.maxBoostStops };
}
