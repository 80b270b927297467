import { readFileSync } from 'node:fs';
import { randomHdrcnnParams } from '../../src/weights/random-params';
import { createRgbImage } from '../../src/core/image';
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';
import { WeightsFormatError } from '../../src/weights/errors';
import { parseHdrcnnParams } from '../../src/weights/hdrcnn-structure';
import { convertWeights } from '../../src/weights/load-model';
import { buildHdrcnnOnnx } from '../../src/weights/onnx-builder';
import { readParamsFile } from '../../src/weights/params-file';
import { fixtureInput, fixturePath, maxRelativeError } from '../helpers/fixture';
import { referenceLogHdr } from '../../src/weights/reference-forward';

describe('buildHdrcnnOnnx against a naive reference forward pass', () => {
  it.each([
    [16, 5, 64, 32],
    [32, 9, 32, 96],
  ])('width ÷%i, seed %i, %i×%i', async (divisor, seed, width, height) => {
    const params = randomHdrcnnParams(divisor, seed);
    // Non-trivial batch-norm statistics, so that folding is really exercised.
    params.forEach((p, i) => {
      if (p.shape.length === 1 && i > 26)
        p.data.forEach(
          (_, j) => (p.data[j] = p.data[j] === 1 ? 0.5 + ((j * 37) % 10) / 10 : p.data[j] + 0.1 * Math.sin(j + i)),
        );
    });
    const x = Float32Array.from({ length: width * height * 3 }, (_, i) => Math.min(1, ((i * 7919) % 997) / 900));
    const expected = referenceLogHdr(params, x, height, width);
    const backend = await createOrtNodeBackend(buildHdrcnnOnnx(parseHdrcnnParams(params)));
    const planar = new Float32Array(x.length);
    for (let p = 0; p < width * height; p++) for (let c = 0; c < 3; c++) planar[c * width * height + p] = x[p * 3 + c];
    const y = await backend.run({ width, height, data: planar });
    await backend.dispose();
    let worst = 0;
    for (let p = 0; p < width * height; p++)
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(y[c * width * height + p] - expected[p * 3 + c]));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('float16 weights', () => {
  it('halve the file and stay within 2 % of float32 on the fixture', async () => {
    const npz = new Uint8Array(readFileSync(fixturePath('params.npz')));
    const [fp32, fp16] = [convertWeights(npz), convertWeights(npz, { fp16: true })];
    expect(fp16.length / fp32.length).toBeGreaterThan(0.45);
    expect(fp16.length / fp32.length).toBeLessThan(0.55);
    const input = await fixtureInput();
    const run = async (model: Uint8Array) => {
      const backend = await createOrtNodeBackend(model);
      const { image } = await reconstruct(input, backend, { tiles: wholeImageSettings(input.width, input.height) });
      await backend.dispose();
      return image.data;
    };
    const error = maxRelativeError(await run(fp16), await run(fp32));
    expect(error).toBeGreaterThan(0); // really half precision
    expect(error).toBeLessThan(0.02);
  });
});

describe('parseHdrcnnParams refuses what is not an HDRCNN', () => {
  const good = () => readParamsFile(new Uint8Array(readFileSync(fixturePath('params.npz'))));

  it('accepts the fixture and derives its widths', () => {
    expect(parseHdrcnnParams(good()).widths).toEqual({
      encoder: [8, 16, 32, 64, 64],
      bottleneck: 64,
      decoder: [64, 64, 32, 16, 8],
    });
  });

  it.each([
    ['too few arrays', (p: ReturnType<typeof good>) => p.slice(0, 79), /80 parameter arrays, this file has 79/],
    [
      'a 5×5 kernel',
      (p: ReturnType<typeof good>) => ((p[2] = { shape: [5, 5, 8, 8], data: new Float32Array(1600) }), p),
      /parameter 2 \(encoder\/h1\/conv_2 weight\) should be \[3, 3, 8, out\]/,
    ],
    [
      'widths that do not chain',
      (p: ReturnType<typeof good>) => ((p[4] = { shape: [3, 3, 9, 16], data: new Float32Array(1296) }), p),
      /encoder\/h2\/conv_1 weight/,
    ],
    [
      'a bias of the wrong length',
      (p: ReturnType<typeof good>) => ((p[1] = { shape: [7], data: new Float32Array(7) }), p),
      /parameter 1 \(encoder\/h1\/conv_1 bias\) should have 8 entries/,
    ],
    [
      'a negative variance',
      (p: ReturnType<typeof good>) => ((p[31].data[0] = -1), p),
      /encoder\/h6\/conv: batch-norm variance has negative entries/,
    ],
    [
      'a final layer that is not RGB',
      (p: ReturnType<typeof good>) => ((p[72] = { shape: [1, 1, 8, 4], data: new Float32Array(32) }), p),
      /decoder\/h7\/conv2d/,
    ],
  ])('%s', (_, mutate, message) => {
    expect(() => parseHdrcnnParams(mutate(good()))).toThrow(WeightsFormatError);
    expect(() => parseHdrcnnParams(mutate(good()))).toThrow(message);
  });

  it('builds a model whose fully clipped output is finite (every pixel in the mask)', async () => {
    const backend = await createOrtNodeBackend(buildHdrcnnOnnx(parseHdrcnnParams(good())));
    const { image } = await reconstruct(createRgbImage(32, 32, new Float32Array(32 * 32 * 3).fill(1)), backend);
    await backend.dispose();
    expect(image.data.every(Number.isFinite)).toBe(true);
  });
});
