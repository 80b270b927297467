/** Gain-map maths on hand-made images: codes, the default boost, clamping, cells at odd sizes. */
import {
  buildGainMap,
  GAIN_MAP_OFFSET,
  GainMapCells,
  largestGainStops,
  type BaseSamples,
} from '../../src/core/gain-map';
import { networkValue, outputSample } from '../../src/core/hdrcnn';
import { createRgbImage } from '../../src/core/image';

const o = GAIN_MAP_OFFSET;
const settings = { gamma: 1, scaling: 1 };

/** A photo of `codes` (8-bit, grey) and its reconstruction: HDRCNN's x² times `gains` per pixel. */
function photo(width: number, height: number, codes: number[], gains: number[]) {
  const samples = new Uint8Array(codes.flatMap((c) => [c, c, c]));
  const base: BaseSamples = { width, height, samples, maxValue: 255 };
  const data = Float32Array.from(samples, (s, i) => {
    const d = (s / 255) ** 2;
    return gains[Math.floor(i / 3)] === 1 ? d : (d + o) * gains[Math.floor(i / 3)] - o;
  });
  return { base, hdr: createRgbImage(width, height, data) };
}

it('stores gain 1 as code 0 and the largest gain as 255; the default boost is the largest gain', () => {
  const { base, hdr } = photo(3, 1, [40, 255, 255], [1, 4, 2]);
  expect(largestGainStops(base, hdr, settings)).toBeCloseTo(2, 5);
  const map = buildGainMap(base, hdr, settings, { scale: 1 });
  expect(map.maxBoostStops).toBeCloseTo(2, 5);
  expect(Array.from(map.data)).toEqual([0, 0, 0, 255, 255, 255, 128, 128, 128]);
  expect(map.metadata).toEqual({
    gainMapMin: [0, 0, 0],
    gainMapMax: [map.maxBoostStops, map.maxBoostStops, map.maxBoostStops],
    gamma: [1, 1, 1],
    offsetSdr: [o, o, o],
    offsetHdr: [o, o, o],
    hdrCapacityMin: 0,
    hdrCapacityMax: map.maxBoostStops,
  });
});

it('gives gain 1 exactly where the reconstruction is the tile loop’s own linearisation, at any gamma', () => {
  const gamma = 1.3;
  const samples = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
  const data = Float32Array.from(samples, (s) =>
    outputSample(networkValue(Math.fround(s / 255), { gamma, scaling: 1 }), 0, 0, gamma),
  );
  const base = { width: 100, height: 1, samples, maxValue: 255 };
  expect(largestGainStops(base, createRgbImage(100, 1, data), { gamma, scaling: 1 })).toBe(0);
});

it('caps the gain at --max-boost, the default at 8 stops, and stores gains below 1 as 1', () => {
  const { base, hdr } = photo(2, 1, [255, 255], [1000, 0.5]);
  expect(Array.from(buildGainMap(base, hdr, settings, { scale: 1, maxBoostStops: 3 }).data)).toEqual([
    255, 255, 255, 0, 0, 0,
  ]);
  expect(buildGainMap(base, hdr, settings, { scale: 1 }).maxBoostStops).toBe(8);
});

it('nothing reconstructed: all codes 0 under a nominal 1-stop range', () => {
  const { base, hdr } = photo(2, 2, [10, 20, 30, 40], [1, 1, 1, 1]);
  const map = buildGainMap(base, hdr, settings, { scale: 2 });
  expect([map.width, map.height, map.maxBoostStops, Array.from(map.data)]).toEqual([1, 1, 1, [0, 0, 0]]);
});

it('averages the normalised log gains of each cell; edge cells at odd sizes cover what is left', () => {
  // 3×1 at scale 2: cell 0 holds gains 4 and 1 (mean 1 stop of 2), cell 1 holds the lone 4.
  const { base, hdr } = photo(3, 1, [255, 255, 255], [4, 1, 4]);
  const map = buildGainMap(base, hdr, settings, { scale: 2 });
  expect([map.width, map.height]).toEqual([2, 1]);
  expect(Array.from(map.data)).toEqual([128, 128, 128, 255, 255, 255]);
});

it('refuses sizes that differ and bad options', () => {
  const { base, hdr } = photo(2, 1, [1, 2], [1, 1]);
  expect(() => buildGainMap(base, createRgbImage(1, 2), settings, { scale: 1 })).toThrow(
    /photo 2×1 and reconstruction 1×2 differ/,
  );
  expect(() => buildGainMap(base, hdr, settings, { scale: 0 })).toThrow(/gain-map scale must be an integer/);
  expect(() => buildGainMap(base, hdr, settings, { scale: 1, maxBoostStops: 20 })).toThrow(
    /max boost must be in \(0, 16\]/,
  );
});

describe('GainMapCells: the map built a rectangle at a time', () => {
  test('tiles added in any order give buildGainMap’s codes and cap', () => {
    const [width, height] = [37, 21];
    const samples = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
    const base: BaseSamples = { width, height, samples, maxValue: 255 };
    const hdr = {
      width,
      height,
      data: Float32Array.from(samples, (v, i) => (v / 255) ** 2 * (v > 240 ? 1 + (i % 50) : 1)),
    };
    const settings = { gamma: 1, scaling: 1 };
    const whole = buildGainMap(base, hdr, settings, { scale: 2 });
    const cells = new GainMapCells(width, height, { scale: 2 });
    const rects = [
      { left: 16, top: 0, width: 21, height: 21 },
      { left: 0, top: 10, width: 16, height: 11 },
      { left: 0, top: 0, width: 16, height: 10 },
    ];
    for (const r of rects) {
      const [R, D] = [new Float32Array(r.width * r.height * 3), new Float32Array(r.width * r.height * 3)];
      for (let y = 0; y < r.height; y++) {
        for (let x = 0; x < r.width * 3; x++) {
          const i = ((r.top + y) * width + r.left) * 3 + x;
          R[y * r.width * 3 + x] = hdr.data[i];
          D[y * r.width * 3 + x] = Math.fround((samples[i] / 255) ** 2);
        }
      }
      cells.add(r, R, D);
    }
    const tiled = cells.finish();
    expect(tiled.maxBoostStops).toBeCloseTo(whole.maxBoostStops, 6);
    expect(whole.maxBoostStops).toBeGreaterThan(4);
    expect(Array.from(tiled.data).filter((c, i) => Math.abs(c - whole.data[i]) > 0)).toEqual([]);
    expect(tiled.data.some((c) => c > 0) && tiled.data.some((c) => c === 0)).toBe(true);
  });
});
