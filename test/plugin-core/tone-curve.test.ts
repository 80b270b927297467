/** Tone curves by profile name: sRGB's piecewise EOTF, pure powers, the linear-profile suffix, the fallback. */
import { baseProfileName, toneCurve } from '../../src/plugin-core/tone-curve';

test('base names drop the 32-bit suffix', () => {
  expect(baseProfileName('sRGB IEC61966-2.1 (Linear RGB Profile)')).toBe('sRGB IEC61966-2.1');
  expect(baseProfileName('Gray Gamma 2.2 (Linear Gray Profile)')).toBe('Gray Gamma 2.2');
  expect(baseProfileName('Adobe RGB (1998)')).toBe('Adobe RGB (1998)');
});

test('sRGB: the IEC 61966-2-1 EOTF and its inverse, both segments', () => {
  const c = toneCurve('sRGB IEC61966-2.1');
  expect([c.known, c.toLinear(0), c.toLinear(1), c.toLinear(0.04)]).toEqual([true, 0, 1, 0.04 / 12.92]);
  expect(c.toLinear(0.5)).toBeCloseTo(0.2140411, 7);
  for (let v = 0; v <= 255; v++) expect(Math.round(255 * c.toDisplay(c.toLinear(v / 255)))).toBe(v);
  expect([c.toDisplay(-1), c.toDisplay(5)]).toEqual([0, 1]);
});

test('power curves: Adobe RGB 563/256, gray 2.2, ProPhoto 1.8', () => {
  expect(toneCurve('Adobe RGB (1998) (Linear RGB Profile)').toLinear(0.5)).toBeCloseTo(0.5 ** (563 / 256), 12);
  expect(toneCurve('Gray Gamma 2.2').toLinear(0.5)).toBeCloseTo(0.5 ** 2.2, 12);
  expect(toneCurve('ProPhoto RGB').toDisplay(0.5 ** 1.8)).toBeCloseTo(0.5, 12);
});

test('an unknown profile gets the sRGB curve and says so', () => {
  const c = toneCurve('Dot Gain 20%');
  expect([c.known, c.name, c.toLinear(0.5)]).toEqual([false, 'sRGB', toneCurve('sRGB IEC61966-2.1').toLinear(0.5)]);
});
