import { findHighlightBlocks, hotBounds } from '../../src/core/highlight-blocks';
import { createRgbImage } from '../../src/core/image';
import { cropImage } from '../../src/core/reconstruct';

describe('findHighlightBlocks', () => {
  // 300×270: 10×9 blocks, the last column and row partial; strips of 256 rows, so two reads.
  const image = createRgbImage(300, 270, new Float32Array(300 * 270 * 3).fill(0.5));
  const set = (x: number, y: number, v: number[]) => image.data.set(v, (y * 300 + x) * 3);
  set(5, 5, [0.2, 0.96, 0.1]); // one channel past 0.95: in the mask
  set(299, 269, [1, 1, 1]); // the last pixel, in the partial corner block
  set(100, 260, [0.95, 0.95, 0.95]); // at the threshold: alpha 0, not in the mask
  const reads: number[] = [];
  const source = {
    width: 300,
    height: 270,
    read: (r: Parameters<typeof cropImage>[1]) => (reads.push(r.height), cropImage(image, r)),
  };

  it('marks exactly the blocks holding a pixel of the mask, reading the image in strips', async () => {
    const blocks = await findHighlightBlocks(source, { gamma: 1, scaling: 1 });
    expect([blocks.columns, blocks.rows]).toEqual([10, 9]);
    expect([...blocks.hot.entries()].filter(([, v]) => v).map(([i]) => i)).toEqual([0, 89]);
    expect(reads).toEqual([256, 14]);
    expect(hotBounds(blocks, { left: 0, top: 0, width: 300, height: 270 })).toEqual({
      left: 0,
      top: 0,
      width: 320,
      height: 288,
    });
    expect(hotBounds(blocks, { left: 32, top: 0, width: 256, height: 256 })).toBeUndefined();
  });

  it('follows the settings: gamma lifts 0.95 into the mask', async () => {
    const blocks = await findHighlightBlocks(source, { gamma: 2, scaling: 1 });
    // 0.95^(1/2) = 0.975; 0.5^(1/2) = 0.707 stays out.
    expect(blocks.hot[8 * 10 + 3]).toBe(1);
    expect(blocks.hot.reduce((n, v) => n + v, 0)).toBe(3);
  });
});
