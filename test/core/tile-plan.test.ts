import type { Rect } from '../../src/core/image';
import { fitWindow, planTiles, roundUpTo32, wholeImageSettings, type TileSettings } from '../../src/core/tile-plan';

const contains = (outer: Rect, inner: Rect): boolean =>
  inner.left >= outer.left &&
  inner.top >= outer.top &&
  inner.left + inner.width <= outer.left + outer.width &&
  inner.top + inner.height <= outer.top + outer.height;

/** How often each pixel is written by a tile core. */
function coverage(width: number, height: number, settings: TileSettings): Uint8Array {
  const hits = new Uint8Array(width * height);
  for (const { core } of planTiles(width, height, settings)) {
    for (let y = core.top; y < core.top + core.height; y++)
      for (let x = core.left; x < core.left + core.width; x++) hits[y * width + x]++;
  }
  return hits;
}

describe('planTiles', () => {
  const sizes: Array<[number, number]> = [
    [1, 1],
    [31, 33],
    [32, 32],
    [96, 64],
    [100, 37],
    [513, 1000],
    [1024, 768],
    [2001, 1333],
  ];
  const settings: TileSettings[] = [
    { tileSize: 64, margin: 32 },
    { tileSize: 256, margin: 64 },
    { tileSize: 384, margin: 96 },
  ];

  it.each(sizes.flatMap((s) => settings.map((t) => [...s, t] as const)))(
    '%i×%i with %o: cores partition the image, windows are valid',
    (w, h, t) => {
      expect(coverage(w, h, t).every((n) => n === 1)).toBe(true);
      for (const { window, core } of planTiles(w, h, t)) {
        expect(contains(window, core)).toBe(true);
        // Windows stay on the pooling grid, inside the image padded to a multiple of 32.
        for (const v of [window.left, window.top, window.width, window.height]) expect(v % 32).toBe(0);
        expect(window.left + window.width).toBeLessThanOrEqual(roundUpTo32(w));
        expect(window.top + window.height).toBeLessThanOrEqual(roundUpTo32(h));
        // A core is at most tileSize, unless one window spans the whole axis.
        expect(core.width).toBeLessThanOrEqual(window.width === roundUpTo32(w) ? w : t.tileSize);
        expect(core.height).toBeLessThanOrEqual(window.height === roundUpTo32(h) ? h : t.tileSize);
      }
    },
  );

  it('gives every interior core at least the margin of real context', () => {
    const t = { tileSize: 128, margin: 64 };
    for (const { window, core } of planTiles(1000, 700, t)) {
      if (core.left > 0) expect(core.left - window.left).toBeGreaterThanOrEqual(t.margin);
      if (core.top > 0) expect(core.top - window.top).toBeGreaterThanOrEqual(t.margin);
      if (core.left + core.width < 1000)
        expect(window.left + window.width - core.left - core.width).toBeGreaterThanOrEqual(t.margin);
    }
  });

  it('uses one window of the padded size for images smaller than a window', () => {
    expect(planTiles(31, 33, { tileSize: 64, margin: 32 })).toEqual([
      { window: { left: 0, top: 0, width: 32, height: 64 }, core: { left: 0, top: 0, width: 31, height: 33 } },
    ]);
    expect(planTiles(1, 1)).toHaveLength(1);
  });

  it('whole-image settings give a single window', () => {
    expect(planTiles(1000, 300, wholeImageSettings(1000, 300))).toHaveLength(1);
  });

  it('refuses settings off the 32-pixel grid', () => {
    expect(() => planTiles(100, 100, { tileSize: 100, margin: 32 })).toThrow(/tileSize must be a multiple of 32/);
    expect(() => planTiles(100, 100, { tileSize: 64, margin: 10 })).toThrow(/margin must be a multiple of 32/);
    expect(() => planTiles(0, 100)).toThrow(/positive integers/);
  });
});

describe('fitWindow', () => {
  const settings = { tileSize: 256, margin: 64 };
  const tiles = planTiles(1000, 800, settings);

  it('shrinks a window to a sparse highlight plus its margin, on the 32-pixel grid', () => {
    const tile = tiles.find((t) => t.core.left > 0 && t.core.top > 0 && t.core.left + t.core.width < 1000)!;
    const lamp = { left: tile.core.left + 40, top: tile.core.top + 100, width: 5, height: 3 };
    const w = fitWindow(tile, lamp, settings.margin);
    expect(contains(tile.window, w)).toBe(true);
    for (const v of [w.left, w.top, w.width, w.height]) expect(v % 32).toBe(0);
    expect(lamp.left - w.left).toBeGreaterThanOrEqual(64);
    expect(w.left + w.width - lamp.left - lamp.width).toBeGreaterThanOrEqual(64);
    // 5×3 pixels → one 32-pixel block + 2 × 64 margin = 160, instead of the tile's 384.
    expect([w.width, w.height]).toEqual([160, 160]);
  });

  it('gives highlights filling the core their margin, or all the context up to the image border', () => {
    for (const tile of tiles) {
      const w = fitWindow(tile, tile.core, settings.margin);
      expect(contains(tile.window, w)).toBe(true);
      expect(tile.core.left - w.left).toBeGreaterThanOrEqual(Math.min(64, tile.core.left - tile.window.left));
      expect(tile.core.top - w.top).toBeGreaterThanOrEqual(Math.min(64, tile.core.top - tile.window.top));
      const right = (r: Rect) => r.left + r.width;
      expect(right(w) - right(tile.core)).toBeGreaterThanOrEqual(Math.min(64, right(tile.window) - right(tile.core)));
    }
  });
});
