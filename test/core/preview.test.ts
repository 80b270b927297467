import { createRgbImage } from '../../src/core/image';
import { highlightMask, rankRegions, rectInView, SummedArea } from '../../src/core/preview-region';
import { outlineRect, overlayMask, renderExposure, srgbByte } from '../../src/core/preview-render';
import { planTiles } from '../../src/core/tile-plan';

describe('summed-area table', () => {
  test('any rectangle sums as a loop does', () => {
    const [w, h] = [7, 5];
    const values = Float32Array.from({ length: w * h }, (_, i) => (i * 37) % 11);
    const table = new SummedArea(values, w, h);
    for (const [x0, y0, x1, y1] of [
      [0, 0, 7, 5],
      [2, 1, 5, 4],
      [6, 4, 7, 5],
      [3, 3, 3, 5],
    ]) {
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += values[y * w + x];
      expect(table.sum(x0, y0, x1, y1)).toBe(sum);
    }
  });
});

describe('highlight mask and regions', () => {
  /** A w×h view, grey 0.5, with white squares at (x, y, size) in view pixels. */
  function view(w: number, h: number, squares: Array<[number, number, number]>) {
    const img = createRgbImage(w, h, new Float32Array(w * h * 3).fill(0.5));
    for (const [sx, sy, s] of squares)
      for (let y = sy; y < sy + s; y++)
        for (let x = sx; x < sx + s; x++) img.data.fill(1, (y * w + x) * 3, (y * w + x) * 3 + 3);
    return img;
  }

  test('the mask is the tile loop’s α: 0 below 0.95, 1 at white, gamma-dependent', () => {
    const img = createRgbImage(3, 1, Float32Array.from([0.94, 0.1, 0.1, 0.975, 0, 0, 1, 1, 1]));
    expect(Array.from(highlightMask(img, { gamma: 1, scaling: 1 }))).toEqual([0, expect.closeTo(0.5, 5), 1]);
    expect(highlightMask(img, { gamma: 2, scaling: 1 })[0]).toBeGreaterThan(0); // 0.94^(1/2) = 0.97
  });

  test('tiles of the committed plan, most clipped first; none when nothing is clipped', () => {
    // A 1280×640 layer seen at 320×160 (scale 1/4): a big highlight in the right half, a small one at the left.
    const mask = highlightMask(
      view(320, 160, [
        [270, 110, 20],
        [10, 10, 4],
      ]),
      { gamma: 1, scaling: 1 },
    );
    const regions = rankRegions(mask, 320, 160, 1280, 640);
    const plan = planTiles(1280, 640); // 5 × 3 tiles; rows of 224, 192, 224
    expect(regions.map((r) => r.tile)).toEqual([plan[14], plan[0]]);
    expect(regions[0].tile.core).toEqual({ left: 1024, top: 416, width: 256, height: 224 });
    expect(regions.map((r) => r.clipped)).toEqual([400 * 16, 16 * 16]);
    expect(rankRegions(highlightMask(view(320, 160, []), { gamma: 1, scaling: 1 }), 320, 160, 1280, 640)).toEqual([]);
  });

  test('a layer rectangle in view coordinates covers every view pixel it touches', () => {
    expect(rectInView({ left: 960, top: 320, width: 320, height: 320 }, 320, 160, 1280, 640)).toEqual({
      left: 240,
      top: 80,
      width: 80,
      height: 80,
    });
    expect(rectInView({ left: 3, top: 3, width: 2, height: 2 }, 10, 10, 100, 100)).toEqual({
      left: 0,
      top: 0,
      width: 1,
      height: 1,
    });
  });
});

describe('rendering at exposures', () => {
  test('sRGB encoding of linear values, clipped; every byte as the formula rounds it', () => {
    expect([0, -1, NaN, 0.18, 0.5, 1, 7].map(srgbByte)).toEqual([0, 0, 0, 118, 188, 255, 255]);
    const encode = (l: number) => Math.round(255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055));
    for (let i = 0; i <= 10_000; i++) expect(srgbByte(i / 10_000)).toBe(encode(i / 10_000));
  });

  test('each stop down halves the light; grey is replicated; transparency is black', () => {
    const rgb = {
      width: 2,
      height: 1,
      colors: 3 as const,
      alpha: false,
      samples: Float32Array.from([4, 1, 0.5, 8, 8, 8]),
    };
    expect(Array.from(renderExposure(rgb, 0))).toEqual([255, 255, 188, 255, 255, 255]);
    expect(Array.from(renderExposure(rgb, -3))).toEqual([188, 99, 71, 255, 255, 255]);
    const grey = { width: 2, height: 1, colors: 1 as const, alpha: true, samples: Float32Array.from([2, 1, 2, 0]) };
    expect(Array.from(renderExposure(grey, -2))).toEqual([188, 188, 188, 0, 0, 0]);
  });

  test('the mask overlay tints only masked pixels; the outline marks the crop', () => {
    const rgb = new Uint8Array([100, 100, 100, 100, 100, 100]);
    expect(Array.from(overlayMask(rgb, Float32Array.from([0, 1])))).toEqual([100, 100, 100, 193, 40, 193]);
    const img = new Uint8Array(3 * 3 * 3);
    outlineRect(img, 3, { left: 0, top: 0, width: 3, height: 3 });
    expect(Array.from(img.subarray(12, 15))).toEqual([0, 0, 0]); // the centre stays
    expect(Array.from(img.subarray(0, 3))).toEqual([255, 220, 0]);
  });
});
