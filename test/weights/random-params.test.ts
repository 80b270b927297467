import { hdrcnnParamSpecs, randomHdrcnnParams } from '../../src/weights/random-params';
import { parseHdrcnnParams } from '../../src/weights/hdrcnn-structure';

describe('randomHdrcnnParams', () => {
  it('has the official shapes and parameter count at full width', () => {
    const specs = hdrcnnParamSpecs(1);
    expect(specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)).toBe(29_447_332);
    // The structure check needs only shapes: give it zero-length stand-ins of each shape.
    const shapesOnly = specs.map(({ shape }) => ({ shape, data: new Float32Array(shape.length === 1 ? shape[0] : 0) }));
    expect(parseHdrcnnParams(shapesOnly).widths).toEqual({
      encoder: [64, 128, 256, 512, 512],
      bottleneck: 512,
      decoder: [512, 512, 256, 128, 64],
    });
  });

  it('gives the fixture widths with divisor 8 and is reproducible from its seed', () => {
    const a = randomHdrcnnParams(8, 3);
    expect(parseHdrcnnParams(a).widths.encoder).toEqual([8, 16, 32, 64, 64]);
    expect(randomHdrcnnParams(8, 3)[10].data).toEqual(a[10].data);
    expect(randomHdrcnnParams(8, 4)[10].data).not.toEqual(a[10].data);
  });
});
