import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamArray } from '../../src/weights/param-array';
import { readParamsFile } from '../../src/weights/params-file';
import { f4, paramsNpz } from './pickle-writer';

const fixture = (...path: string[]) => new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', ...path)));

/** The 80 shapes of docs/HDRCNN.md's parameter table at the given channel widths. */
function hdrcnnShapes(widths: { vgg: number[]; decoder: number[] }): number[][] {
  const shapes: number[][] = [];
  const conv = (k: number, cin: number, cout: number) => shapes.push([k, k, cin, cout], [cout]);
  const bn = (c: number) => shapes.push([c], [c], [c], [c]);
  const vgg = [3, ...widths.vgg];
  // The block (1-5) each VGG conv's output belongs to; 13 convs, input channels from the previous one.
  [0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5].reduce((cin, block, i) => {
    if (i > 0) conv(3, vgg[cin], vgg[block]);
    return block;
  });
  const [d1, d2, d3, d4, d5] = widths.decoder; // deconv outputs of h1..h5
  const top = vgg[5];
  (conv(3, top, top), bn(top)); // encoder/h6
  (shapes.push([4, 4, d1, top], [d1]), bn(d1)); // decoder/h1 deconv W[kh,kw,out,in]
  const skips = [vgg[5], vgg[4], vgg[3], vgg[2]];
  [d2, d3, d4, d5].reduce((cin, cout, i) => {
    conv(1, cin + skips[i], cin); // fuse [decoder, skip]
    (shapes.push([4, 4, cout, cin], [cout]), bn(cout));
    return cout;
  }, d1);
  conv(1, d5 + vgg[1], d5); // h6 fuse with the first skip
  (conv(1, d5, 3), bn(3)); // h7
  conv(1, 6, 3); // fuse with the input
  return shapes;
}

describe('readParamsFile on the golden fixture', () => {
  const protocol3 = readParamsFile(fixture('hdrcnn-tiny', 'params.npz'));
  const protocol2 = readParamsFile(fixture('hdrcnn-tiny', 'params_protocol2.npz'));

  it('reads 80 arrays with the HDRCNN shapes at width ÷ 8', () => {
    const expected = hdrcnnShapes({ vgg: [8, 16, 32, 64, 64], decoder: [64, 64, 32, 16, 8] });
    expect(protocol3.map((p) => p.shape)).toEqual(expected);
    expect(protocol3[0].shape).toEqual([3, 3, 3, 8]);
    for (const p of protocol3) expect(p.data.length).toBe(p.shape.reduce((a, b) => a * b, 1));
  });

  it('reads protocol 2 (bytes via _codecs.encode) to the same contents', () => {
    expect(protocol2).toHaveLength(80);
    protocol2.forEach((p, i) => {
      expect(p.shape).toEqual(protocol3[i].shape);
      expect(Buffer.from(p.data.buffer).equals(Buffer.from(protocol3[i].data.buffer))).toBe(true);
    });
  });

  it('matches the full-width parameter count of docs/HDRCNN.md', () => {
    const full = hdrcnnShapes({ vgg: [64, 128, 256, 512, 512], decoder: [512, 512, 256, 128, 64] });
    expect(full.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)).toBe(29_447_332);
  });
});

describe('readParamsFile on the small fixtures (see make_fixtures.py)', () => {
  /** Element i of array k is (k + 1) / 2 - i / 8. */
  const expected: ParamArray[] = [[2, 3], [70], [3, 3, 1, 2]].map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { shape, data: Float32Array.from({ length: n }, (_, i) => (k + 1) / 2 - i / 8) };
  });

  it.each([
    ['protocol4.npz', 'NumPy 2, protocol 4, zip64 local header'],
    ['compressed.npz', 'savez_compressed, deflated'],
    ['python2.npz', 'Python 2 style, SHORT_BINSTRING/BINSTRING'],
    ['zip64.npz', 'zip64 central directory and end record'],
  ])('%s (%s)', (name) => {
    expect(readParamsFile(fixture('weights', name))).toEqual(expected);
  });

  it('reads a file from the test writer, and an empty object array', () => {
    const arrays = [
      { shape: [2], data: f4([1.5, -2]) },
      { shape: [], data: f4([7]) },
      { shape: [0, 3], data: f4([]) },
    ];
    expect(readParamsFile(paramsNpz(arrays))).toEqual([
      { shape: [2], data: Float32Array.from([1.5, -2]) },
      { shape: [], data: Float32Array.from([7]) },
      { shape: [0, 3], data: new Float32Array(0) },
    ]);
    expect(readParamsFile(paramsNpz([]))).toEqual([]);
  });
});
