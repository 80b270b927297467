/** From the imaging API's arrays to the network's display values and Photoshop's linear values, and back out. */
import { clippingStats, decodePixels, encodeOutput } from '../../src/plugin-core/pixel-codec';
import { toneCurve } from '../../src/plugin-core/tone-curve';

const srgb = toneCurve('sRGB IEC61966-2.1');
const gray = toneCurve('Gray Gamma 2.2');
const S = { gamma: 1, scaling: 1 };

test('8-bit RGBA: display v/255, linear by the curve, alpha v/255; invisible pixels show black to the network', () => {
  const d = decodePixels(new Uint8Array([255, 128, 0, 255, 255, 255, 255, 0]), 2, 1, {
    depth: 8,
    colorComponents: 3,
    hasAlpha: true,
    curve: srgb,
  });
  expect([...d.display]).toEqual([1, Math.fround(128 / 255), 0, 0, 0, 0]);
  expect(d.linear[1]).toBeCloseTo(srgb.toLinear(128 / 255), 7);
  expect([...d.linear.slice(3)]).toEqual([1, 1, 1]); // its own colour is kept for the output
  expect([...d.alpha!]).toEqual([1, 0]);
});

test('16-bit uses Photoshop’s 0..32768; grayscale is replicated to RGB; no alpha on a background', () => {
  const d = decodePixels(new Uint16Array([16384, 32768]), 2, 1, {
    depth: 16,
    colorComponents: 1,
    hasAlpha: false,
    curve: gray,
  });
  expect([...d.display]).toEqual([0.5, 0.5, 0.5, 1, 1, 1]);
  expect([...d.linear.slice(0, 3)]).toEqual(Array(3).fill(Math.fround(0.5 ** 2.2)));
  expect(d.alpha).toBeNull();
});

test('every 8- and 16-bit code decodes to the curve of v/max, rounded to float32, whichever profile', () => {
  for (const [depth, max] of [
    [8, 255],
    [16, 32768],
  ] as const) {
    for (const curve of [srgb, gray, toneCurve('ProPhoto RGB')]) {
      const codes = Uint16Array.from({ length: max + 1 }, (_, v) => v);
      const d = decodePixels(codes, max + 1, 1, { depth, colorComponents: 1, hasAlpha: false, curve });
      let wrong = 0;
      for (let v = 0; v <= max; v++) {
        const ok =
          d.display[3 * v] === Math.fround(v / max) && d.linear[3 * v] === Math.fround(curve.toLinear(v / max));
        if (!ok) wrong++;
      }
      expect(wrong).toBe(0);
    }
  }
});

test('a sample that is not a code of its depth is computed, not looked up', () => {
  const d = decodePixels(Float32Array.of(127.5, -1, 300), 3, 1, {
    depth: 8,
    colorComponents: 1,
    hasAlpha: false,
    curve: gray,
  });
  expect(d.display[0]).toBe(Math.fround(127.5 / 255));
  expect(d.linear[0]).toBe(Math.fround((127.5 / 255) ** 2.2));
  expect(d.linear[3]).toBe(0); // the power curve's own answer below 0
  expect(d.display[6]).toBe(Math.fround(300 / 255));
});

test('32-bit converted from 8 bits: the display value snaps back to the original code', () => {
  const codes = [0, 1, 10, 128, 254, 255];
  const linear = Float32Array.from(codes, (v) => srgb.toLinear(v / 255));
  const d = decodePixels(linear, 2, 1, {
    depth: 32,
    colorComponents: 3,
    hasAlpha: false,
    curve: srgb,
    convertedFrom: 8,
  });
  expect([...d.display]).toEqual(codes.map((v) => Math.fround(v / 255)));
  expect([...d.linear]).toEqual([...linear]);
  const native = decodePixels(Float32Array.from([0.5, 2, -0.1]), 1, 1, {
    depth: 32,
    colorComponents: 3,
    hasAlpha: false,
    curve: srgb,
  });
  expect([...native.display]).toEqual([Math.fround(srgb.toDisplay(0.5)), 1, 0]);
});

test('a wrong sample count is refused', () => {
  expect(() =>
    decodePixels(new Uint8Array(5), 2, 1, { depth: 8, colorComponents: 3, hasAlpha: false, curve: srgb }),
  ).toThrow(/expected 6 samples/);
});

test('encodeOutput: the core’s values as they are, alpha appended; grey is the channels’ mean', () => {
  const hdr = { width: 2, height: 1, data: new Float32Array([1, 2, 3, 4, 5, 9]) };
  expect([...encodeOutput(hdr, 3, new Float32Array([0.5, 0]))]).toEqual([1, 2, 3, 0.5, 4, 5, 9, 0]);
  expect([...encodeOutput(hdr, 1, null)]).toEqual([2, 6]);
  expect([...encodeOutput(hdr, 1, new Float32Array([1, 0.25]))]).toEqual([2, 1, 6, 0.25]);
});

test('clippingStats counts visible colour samples at 1 and whether any pixel is in the mask', () => {
  const d = decodePixels(new Uint8Array([255, 0, 0, 255, 255, 255, 255, 0, 200, 200, 200, 255]), 3, 1, {
    depth: 8,
    colorComponents: 3,
    hasAlpha: true,
    curve: srgb,
  });
  expect(clippingStats(d, S)).toEqual({ samples: 6, saturated: 1, highlights: true });
  const dark = decodePixels(new Uint8Array([200, 200, 200]), 1, 1, {
    depth: 8,
    colorComponents: 3,
    hasAlpha: false,
    curve: srgb,
  });
  expect(clippingStats(dark, S)).toEqual({ samples: 3, saturated: 0, highlights: false });
});
