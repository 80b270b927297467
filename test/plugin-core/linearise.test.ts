/** The output maths: 'hdrcnn' is the core's value; 'photoshop' is Photoshop's value outside the mask, HDRCNN's at full clipping, continuous between. */
import { blendSample, highlightAlpha, networkValue } from '../../src/core/hdrcnn';
import { outputSample, pixelAlpha } from '../../src/plugin-core/linearise';

const S = (gamma: number) => ({ gamma, scaling: 1 });
/** The core's output for display value x, mask alpha and network log output y. */
const core = (x: number, alpha: number, y: number, gamma: number) => blendSample(networkValue(x, S(gamma)), y, alpha, gamma);
const e = (y: number) => Math.exp(y) - 1 / 255;

test('hdrcnn mode returns the core’s value untouched', () => {
  expect(outputSample('hdrcnn', 0.123, 0.9, 0.7, 0.4, S(1.2))).toBe(0.123);
});

test('outside the mask: exactly Photoshop’s linear value, whatever the core said', () => {
  expect(outputSample('photoshop', 0.25, 0.5, 0.2140411, 0, S(1))).toBe(0.2140411);
  expect(outputSample('photoshop', 99, 0.5, 0.2140411, 0, S(1.3))).toBe(0.2140411);
});

test('at full clipping: the network’s prediction, as HDRCNN gives it', () => {
  for (const gamma of [0.8, 1, 1.3]) {
    const hdr = core(1, 1, 1.7, gamma);
    expect(outputSample('photoshop', hdr, 1, 1, 1, S(gamma))).toBeCloseTo(e(1.7) ** gamma, 10);
    // A dark channel of a clipped pixel: still the prediction, not scaled by L/x² (which explodes near black).
    const dark = core(0.01, 1, -3, gamma);
    expect(outputSample('photoshop', dark, 0.01, 0.000774, 1, S(gamma))).toBeCloseTo(dark, 10);
  }
});

test('in between: (1 − α)·L^(1/g) + α·e, raised to g; continuous in α', () => {
  const [x, L, y, gamma] = [0.97, 0.93, 0.8, 1.2];
  const at = (alpha: number) => outputSample('photoshop', core(x, alpha, y, gamma), x, L, alpha, S(gamma));
  expect(at(0.4)).toBeCloseTo((0.6 * L ** (1 / gamma) + 0.4 * e(y)) ** gamma, 10);
  expect(at(1e-9)).toBeCloseTo(L, 6);
  expect(at(1 - 1e-9)).toBeCloseTo(e(y) ** gamma, 6);
});

test('pixelAlpha is the core’s mask of the network inputs', () => {
  expect(pixelAlpha(0.5, 0.96, 0.2, S(1))).toBe(highlightAlpha(0.5, 0.96, 0.2));
  expect(pixelAlpha(0.94, 0, 0, S(1))).toBe(0);
  expect(pixelAlpha(0.94, 0, 0, S(2))).toBeGreaterThan(0); // 0.94^(1/2) > 0.95
});
