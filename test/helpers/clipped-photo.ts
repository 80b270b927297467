/**
 * A photo-like layer for preview tests: 610×390 (3 × 2 tiles, cores 224/192/194 wide and
 * 224/166 high; not multiples of 32, so windows reflect at the edges), smooth shading, a
 * large clipped lamp inside the bottom-right tile and a small one in the top-left tile.
 */
export const PHOTO_WIDTH = 610;
export const PHOTO_HEIGHT = 390;

/** Chunky RGB in the encoding of `depth` (8: 0..255, 16: 0..32768); `clipped` false: nothing above 0.9. */
export function clippedPhoto(depth: 8 | 16 = 8, clipped = true): number[] {
  const [W, H] = [PHOTO_WIDTH, PHOTO_HEIGHT];
  const max = depth === 8 ? 255 : 32768;
  const data = new Array<number>(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const base = 0.35 + 0.25 * Math.sin(x / 37) * Math.cos(y / 23);
      const lamp =
        Math.max(0, 1.4 - Math.hypot(x - 500, y - 305) / 60) + Math.max(0, 1.2 - Math.hypot(x - 60, y - 50) / 12);
      for (let c = 0; c < 3; c++) {
        const v = clipped ? Math.min(1, base + lamp * (1 - 0.1 * c)) : Math.min(0.9, base);
        data[(y * W + x) * 3 + c] = Math.round(v * max);
      }
    }
  }
  return data;
}
