/**
 * Gain-map maths (Adobe gain map / Ultra HDR / ISO 21496-1) for a reconstruction
 * whose base image is the photo itself. A viewer computes, per channel,
 *
 *   hdr = (base + offset) · 2^(log2 gain) − offset,   base = the photo linearised by its ICC curve,
 *
 * and the gain we store is the reconstruction over HDRCNN's own linearisation of the
 * same sample, (R + offset) / (D + offset). Wherever nothing was reconstructed R equals D,
 * so the gain is exactly 1 (code 0) and any viewer shows the photo as it is.
 *
 * Gains are clamped to [1, max boost]: a clipped pixel's true value is at least its clipped
 * value, and with the minimum at log2 1 = 0, JPEG ringing below code 0 clamps back to 1.
 */
import { blendSample, networkValue, type HdrcnnSettings } from './hdrcnn';
import type { RgbImage } from './image';

/** libultrahdr's offsets: keep gains finite where a channel of the photo is black. */
export const GAIN_MAP_OFFSET = 1 / 64;

/** Without a reconstructed pixel the map is all code 0; any positive range then means gain 1. */
const NOMINAL_MAX_STOPS = 1;
/** The largest default boost (8 stops = 256×): past any display's headroom, it only coarsens codes. */
export const MAX_DEFAULT_BOOST_STOPS = 8;

/** The photo's samples at their stored depth (255 or 65535 means 1), as the CLI and plugin read them. */
export interface BaseSamples {
  readonly width: number;
  readonly height: number;
  readonly samples: ArrayLike<number>;
  readonly maxValue: number;
}

/** What a reader needs to apply the map; the field names are gainmap-js's (log2 values). */
export interface GainMapMetadata {
  readonly gainMapMin: [number, number, number];
  readonly gainMapMax: [number, number, number];
  readonly gamma: [number, number, number];
  readonly offsetSdr: [number, number, number];
  readonly offsetHdr: [number, number, number];
  readonly hdrCapacityMin: number;
  readonly hdrCapacityMax: number;
}

export interface GainMapImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB codes: 0 is gain 1, 255 is the max boost. */
  readonly data: Uint8Array;
  readonly metadata: GainMapMetadata;
  /** The max boost used, in stops. */
  readonly maxBoostStops: number;
}

export interface GainMapOptions {
  /** Cap of the gain, in stops (log2); default: the image's largest gain, at most 8 stops. */
  readonly maxBoostStops?: number;
  /** The map is 1/scale of the photo in each dimension (rounded up). */
  readonly scale: number;
}

/**
 * log2 of the gain of sample `i`; 0 wherever the reconstruction is HDRCNN's linearisation.
 * `D` is computed exactly as the tile loop computes its non-highlight output, so they are equal there.
 */
function logGain(base: BaseSamples, hdr: RgbImage, i: number, settings: HdrcnnSettings, unit: number): number {
  const linearised = Math.fround(
    blendSample(networkValue(Math.fround(base.samples[i] * unit), settings), 0, 0, settings.gamma),
  );
  const reconstructed = hdr.data[i];
  if (!(reconstructed > linearised)) return 0; // equal, darker, or NaN: gain 1
  return Math.log2((reconstructed + GAIN_MAP_OFFSET) / (linearised + GAIN_MAP_OFFSET));
}

function checkSizes(base: BaseSamples, hdr: RgbImage): void {
  if (base.width !== hdr.width || base.height !== hdr.height || base.samples.length !== hdr.data.length) {
    throw new RangeError(`photo ${base.width}×${base.height} and reconstruction ${hdr.width}×${hdr.height} differ`);
  }
}

/** The largest gain of the image, in stops (0 when nothing was reconstructed). */
export function largestGainStops(base: BaseSamples, hdr: RgbImage, settings: HdrcnnSettings): number {
  checkSizes(base, hdr);
  const unit = 1 / base.maxValue;
  let largest = 0;
  for (let i = 0; i < hdr.data.length; i++) largest = Math.max(largest, logGain(base, hdr, i, settings, unit));
  return largest;
}

export function gainMapMetadata(maxBoostStops: number): GainMapMetadata {
  const o = GAIN_MAP_OFFSET;
  return {
    gainMapMin: [0, 0, 0],
    gainMapMax: [maxBoostStops, maxBoostStops, maxBoostStops],
    gamma: [1, 1, 1],
    offsetSdr: [o, o, o],
    offsetHdr: [o, o, o],
    // The whole boost applies on displays with at least that much headroom, none on SDR ones.
    hdrCapacityMin: 0,
    hdrCapacityMax: maxBoostStops,
  };
}

export function checkGainMapOptions(options: GainMapOptions): GainMapOptions {
  const { scale, maxBoostStops } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > 64)
    throw new RangeError(`gain-map scale must be an integer in [1, 64], got ${scale}`);
  if (maxBoostStops !== undefined && !(maxBoostStops > 0 && maxBoostStops <= 16)) {
    throw new RangeError(`max boost must be in (0, 16] stops, got ${maxBoostStops}`);
  }
  return options;
}

/**
 * The gain map of a reconstruction, `scale` times smaller than the photo: each code is the
 * mean normalised log gain of the photo pixels its cell covers (viewers interpolate it back).
 */
export function buildGainMap(
  base: BaseSamples,
  hdr: RgbImage,
  settings: HdrcnnSettings,
  options: GainMapOptions,
): GainMapImage {
  checkSizes(base, hdr);
  const { scale } = checkGainMapOptions(options);
  const largest = options.maxBoostStops === undefined ? largestGainStops(base, hdr, settings) : 0;
  const maxBoostStops =
    options.maxBoostStops ?? (largest > 0 ? Math.min(largest, MAX_DEFAULT_BOOST_STOPS) : NOMINAL_MAX_STOPS);
  const width = Math.ceil(base.width / scale);
  const height = Math.ceil(base.height / scale);
  const sums = new Float64Array(width * 3);
  const counts = new Uint32Array(width);
  const data = new Uint8Array(width * height * 3);
  const unit = 1 / base.maxValue;
  for (let gy = 0; gy < height; gy++) {
    sums.fill(0);
    counts.fill(0);
    for (let y = gy * scale; y < Math.min(base.height, (gy + 1) * scale); y++) {
      for (let x = 0; x < base.width; x++) {
        const cell = Math.floor(x / scale);
        counts[cell]++;
        for (let c = 0; c < 3; c++) {
          const g = logGain(base, hdr, (y * base.width + x) * 3 + c, settings, unit);
          sums[cell * 3 + c] += Math.min(1, g / maxBoostStops);
        }
      }
    }
    for (let gx = 0; gx < width; gx++) {
      for (let c = 0; c < 3; c++) data[(gy * width + gx) * 3 + c] = Math.round((255 * sums[gx * 3 + c]) / counts[gx]);
    }
  }
  return { width, height, data, metadata: gainMapMetadata(maxBoostStops), maxBoostStops };
}
