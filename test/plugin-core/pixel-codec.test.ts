/** From the imaging API's arrays to the network's display values and Photoshop's linear values, and back out. */
import { clippingStats, decodePixels, encodeOutput } from '../../src/plugin-core/pixel-codec';
import { toneCurve } from '../../src/plugin-core/tone-curve';

const srgb = toneCurve('sRGB IEC61966-2.1');
const gray = toneCurve('Gray Gamma 2.2');
const S = { gamma: 1, scaling: 1 };

test('8-bit RGBA: display v/255, linear by the curve, alpha v/255; invisible pixels show black to the network', () => {
  const d = decodePixels(new Uint8Array([255, 128, 0, 255, 255, 255, 255, 0]), 2, 1, { depth: 8, colorComponents: 3, hasAlpha: true, curve: srgb });
  expect([...d.display]).toEqual([1, Math.fround(128 / 255), 0, 0, 0, 0]);
  expect(d.linear[1]).toBeCloseTo(srgb.toLinear(128 / 255), 7);
  expect([...d.linear.slice(3)]).toEqual([1, 1, 1]); // its own colour is kept for the output
  expect([...d.alpha!]).toEqual([1, 0]);
});

test('16-bit uses Photoshop’s 0..32768; grayscale is replicated to RGB; no alpha on a background', () => {
  const d = decodePixels(new Uint16Array([16384, 32768]), 2, 1, { depth: 16, colorComponents: 1, hasAlpha: false, curve: gray });
  expect([...d.display]).toEqual([0.5, 0.5, 0.5, 1, 1, 1]);
  expect([d.linear[0], d.alpha]).toEqual([Math.fround(0.5 ** 2.2), null]);
});

test('32-bit converted from 8 bits: the display value snaps back to the original code', () => {
  const codes = [0, 1, 10, 128, 254, 255];
  const linear = Float32Array.from(codes, (v) => srgb.toLinear(v / 255));
  const d = decodePixels(linear, 2, 1, { depth: 32, colorComponents: 3, hasAlpha: false, curve: srgb, convertedFrom: 8 });
  expect([...d.display]).toEqual(codes.map((v) => Math.fround(v / 255)));
  expect([...d.linear]).toEqual([...linear]);
  const native = decodePixels(Float32Array.from([0.5, 2, -0.1]), 1, 1, { depth: 32, colorComponents: 3, hasAlpha: false, curve: srgb });
  expect([...native.display]).toEqual([Math.fround(srgb.toDisplay(0.5)), 1, 0]);
});

test('a wrong sample count is refused', () => {
  expect(() => decodePixels(new Uint8Array(5), 2, 1, { depth: 8, colorComponents: 3, hasAlpha: false, curve: srgb })).toThrow(/expected 6 samples/);
});

test('encodeOutput: the core’s rectangle inside the patch, alpha kept; grey is the channels’ mean', () => {
  const src = decodePixels(new Uint8Array([10, 20, 30, 255, 40, 50, 60, 128, 70, 80, 90, 0]), 3, 1, { depth: 8, colorComponents: 3, hasAlpha: true, curve: srgb });
  const hdr = { width: 2, height: 1, data: new Float32Array([1, 2, 3, 4, 5, 6]) };
  expect([...encodeOutput(hdr, src, 1, 0, 'hdrcnn', S)]).toEqual([1, 2, 3, Math.fround(128 / 255), 4, 5, 6, 0]);
  // Photoshop mode, no highlight: Photoshop's linear values, not the core's.
  expect([...encodeOutput(hdr, src, 1, 0, 'photoshop', S)].slice(0, 3)).toEqual([...src.linear.slice(3, 6)]);
  const g = decodePixels(new Uint8Array([10, 200]), 2, 1, { depth: 8, colorComponents: 1, hasAlpha: false, curve: gray });
  expect([...encodeOutput({ width: 2, height: 1, data: new Float32Array([1, 2, 3, 4, 5, 9]) }, g, 0, 0, 'hdrcnn', S)]).toEqual([2, 6]);
});

test('clippingStats counts visible colour samples at 1 and whether any pixel is in the mask', () => {
  const d = decodePixels(new Uint8Array([255, 0, 0, 255, 255, 255, 255, 0, 200, 200, 200, 255]), 3, 1, { depth: 8, colorComponents: 3, hasAlpha: true, curve: srgb });
  expect(clippingStats(d, S)).toEqual({ samples: 6, saturated: 1, highlights: true });
  const dark = decodePixels(new Uint8Array([200, 200, 200]), 1, 1, { depth: 8, colorComponents: 3, hasAlpha: false, curve: srgb });
  expect(clippingStats(dark, S)).toEqual({ samples: 3, saturated: 0, highlights: false });
});
