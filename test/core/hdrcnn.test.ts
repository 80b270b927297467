/** The per-sample maths: HDRCNN's blend, and the photo's own linear value in place of x'² when a source gives it. */
import { blendSample, highlightAlpha, outputSample, pixelAlpha } from '../../src/core/hdrcnn';

const S = (gamma: number) => ({ gamma, scaling: 1 });
const e = (y: number) => Math.exp(y) - 1 / 255;

test('without a linear value: HDRCNN’s ((1 − α)·x’² + α·e)^g', () => {
  expect(outputSample(0.5, 7, 0, 1.3)).toBeCloseTo(0.25 ** 1.3, 12);
  expect(outputSample(0.97, 0.8, 0.4, 1.2)).toBeCloseTo((0.6 * 0.97 ** 2 + 0.4 * e(0.8)) ** 1.2, 12);
  expect(outputSample(1, 1.7, 1, 0.8)).toBeCloseTo(e(1.7) ** 0.8, 12);
});

test('outside the mask: exactly the photo’s linear value, whatever the network said', () => {
  expect(outputSample(0.5, 99, 0, 1, 0.2140411)).toBe(0.2140411);
  expect(outputSample(0.5, 99, 0, 1.3, 0.2140411)).toBe(0.2140411);
});

test('at full clipping: the network’s prediction, as HDRCNN gives it', () => {
  for (const gamma of [0.8, 1, 1.3]) {
    expect(outputSample(1, 1.7, 1, gamma, 1)).toBeCloseTo(e(1.7) ** gamma, 10);
    // A dark channel of a clipped pixel: the prediction, not scaled by L/x² (which explodes near black).
    expect(outputSample(0.01 ** (1 / gamma), -3, 1, gamma, 0.000774)).toBeCloseTo(Math.max(0, e(-3)) ** gamma, 10);
  }
});

test('in between: (1 − α)·L^(1/g) + α·e, raised to g; continuous in α', () => {
  const [x, L, y, gamma] = [0.97, 0.93, 0.8, 1.2];
  const at = (alpha: number) => outputSample(x, y, alpha, gamma, L);
  expect(at(0.4)).toBeCloseTo((0.6 * L ** (1 / gamma) + 0.4 * e(y)) ** gamma, 10);
  expect(at(1e-9)).toBeCloseTo(L, 6);
  expect(at(1 - 1e-9)).toBeCloseTo(e(y) ** gamma, 6);
  expect(outputSample(x, y, 0.4, gamma, -0.01)).toBeCloseTo(blendSample(0, y, 0.4, gamma), 12); // negative L: base 0
});

test('pixelAlpha is the mask of the network inputs', () => {
  expect(pixelAlpha(0.5, 0.96, 0.2, S(1))).toBe(highlightAlpha(0.5, 0.96, 0.2));
  expect(pixelAlpha(0.94, 0, 0, S(1))).toBe(0);
  expect(pixelAlpha(0.94, 0, 0, S(2))).toBeGreaterThan(0); // 0.94^(1/2) > 0.95
});
