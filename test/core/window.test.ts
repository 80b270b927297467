import { createRgbImage } from '../../src/core/image';
import { readWindow, reflectIndex, sourceRect } from '../../src/core/window';

describe('reflectIndex', () => {
  it('mirrors without repeating the edge, as NumPy reflect', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect([0, 5, 31].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0]);
    expect([2, 3, 4, 5].map((i) => reflectIndex(i, 2))).toEqual([0, 1, 0, 1]);
  });
});

describe('readWindow', () => {
  it('reads a window past the border from just the pixels sourceRect asks for', () => {
    const w = 5,
      h = 3;
    const image = createRgbImage(
      w,
      h,
      Float32Array.from({ length: w * h * 3 }, (_, i) => i / 100),
    );
    const window = { left: 0, top: 0, width: 8, height: 4 };
    const rect = sourceRect(window, w, h);
    expect(rect).toEqual({ left: 0, top: 0, width: 5, height: 3 });
    const tile = readWindow({ rect, data: image.data, imageWidth: w, imageHeight: h }, window);
    // Column 5 mirrors column 3, row 3 mirrors row 1; planes are R, G, B.
    const at = (c: number, y: number, x: number) => tile.data[c * 32 + y * 8 + x];
    expect(at(0, 0, 5)).toBeCloseTo(image.data[3 * 3], 6);
    expect(at(2, 3, 0)).toBeCloseTo(image.data[1 * w * 3 + 2], 6);
  });
});
