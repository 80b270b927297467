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
import { networkValue, outputSample, type HdrcnnSettings } from './hdrcnn';
import type { Rect, RgbImage } from './image';

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

/** HDRCNN's own linearisation of sample `i` of the photo, exactly as the tile loop computes it outside highlights. */
function linearisedSample(base: BaseSamples, i: number, settings: HdrcnnSettings, unit: number): number {
  return Math.fround(outputSample(networkValue(Math.fround(base.samples[i] * unit), settings), 0, 0, settings.gamma));
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
  for (let i = 0; i < hdr.data.length; i++) {
    largest = Math.max(largest, sampleLogGain(hdr.data[i], linearisedSample(base, i, settings, unit)));
  }
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

/** log2 of (R + o) / (D + o); 0 (gain 1) where the reconstruction is not above the linearisation, or NaN. */
export function sampleLogGain(reconstructed: number, linearised: number): number {
  if (!(reconstructed > linearised)) return 0;
  return Math.log2((reconstructed + GAIN_MAP_OFFSET) / (linearised + GAIN_MAP_OFFSET));
}

/**
 * A gain map built a rectangle at a time (the plugin adds the tile loop's cores as they
 * come, so no HDR copy of the image is held): each cell keeps the sum of its pixels' log2
 * gains clipped at the cap, and the codes are those sums over the cap once the image is
 * done: the mean of min(1, gain / cap) over the cell. The cap is the largest gain, at most
 * 8 stops, unless one is given: clipping at 8 stops while summing makes both the same.
 */
export class GainMapCells {
  readonly mapWidth: number;
  readonly mapHeight: number;
  private readonly sums: Float32Array;
  private readonly clip: number;
  private largest = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly options: GainMapOptions,
  ) {
    const { scale } = checkGainMapOptions(options);
    this.mapWidth = Math.ceil(width / scale);
    this.mapHeight = Math.ceil(height / scale);
    this.sums = new Float32Array(this.mapWidth * this.mapHeight * 3);
    this.clip = options.maxBoostStops ?? MAX_DEFAULT_BOOST_STOPS;
  }

  /**
   * Adds the pixels of `rect`: `reconstructed` and `linearised` hold 3 samples a pixel,
   * row by row over the rectangle.
   */
  add(rect: Rect, reconstructed: ArrayLike<number>, linearised: ArrayLike<number>): void {
    const { scale } = this.options;
    for (let y = 0; y < rect.height; y++) {
      const row = Math.floor((rect.top + y) / scale) * this.mapWidth;
      for (let x = 0; x < rect.width; x++) {
        const cell = (row + Math.floor((rect.left + x) / scale)) * 3;
        const i = (y * rect.width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const g = sampleLogGain(reconstructed[i + c], linearised[i + c]);
          if (g > this.largest) this.largest = g;
          this.sums[cell + c] += Math.min(g, this.clip);
        }
      }
    }
  }

  /** The map's codes; every pixel of the image must have been added once. */
  finish(): GainMapImage {
    const { scale } = this.options;
    const max =
      this.options.maxBoostStops ??
      (this.largest > 0 ? Math.min(this.largest, MAX_DEFAULT_BOOST_STOPS) : NOMINAL_MAX_STOPS);
    const data = new Uint8Array(this.sums.length);
    for (let gy = 0; gy < this.mapHeight; gy++) {
      const rows = Math.min(scale, this.height - gy * scale);
      for (let gx = 0; gx < this.mapWidth; gx++) {
        const count = rows * Math.min(scale, this.width - gx * scale);
        for (let c = 0; c < 3; c++) {
          const i = (gy * this.mapWidth + gx) * 3 + c;
          data[i] = Math.round((255 * this.sums[i]) / max / count);
        }
      }
    }
    return { width: this.mapWidth, height: this.mapHeight, data, metadata: gainMapMetadata(max), maxBoostStops: max };
  }
}

/**
 * The gain map of a reconstruction held in memory (the CLI), `scale` times smaller than the
 * photo: each code is the mean normalised log gain of the photo pixels its cell covers
 * (viewers interpolate it back).
 */
export function buildGainMap(
  base: BaseSamples,
  hdr: RgbImage,
  settings: HdrcnnSettings,
  options: GainMapOptions,
): GainMapImage {
  checkSizes(base, hdr);
  const cells = new GainMapCells(base.width, base.height, options);
  const unit = 1 / base.maxValue;
  const row = base.width * 3;
  const linearised = new Float32Array(row);
  for (let y = 0; y < base.height; y++) {
    for (let i = 0; i < row; i++) linearised[i] = linearisedSample(base, y * row + i, settings, unit);
    cells.add({ left: 0, top: y, width: base.width, height: 1 }, hdr.data.subarray(y * row, (y + 1) * row), linearised);
  }
  return cells.finish();
}
