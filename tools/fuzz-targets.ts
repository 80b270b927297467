/**
 * Fuzz targets for what reads untrusted input: the weights reader (.npz/.npy/pickle), the ONNX
 * model check, image decoding (PNG 8/16-bit, JPEG, TIFF 8-bit and float, through sharp) and the
 * engine protocol parser. Each target mutates its seed files with a seeded PRNG and says whether
 * an outcome is clean: accepted with sane results, or refused with the target's own error type
 * (images: any one-line Error, as sharp's are). Anything else is a finding. Used by the jest
 * fuzz test (a fixed number of cases) and by `npm run fuzz` (for a given time).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS, readImage } from '../src/cli/image-input';
import { ProtocolError } from '../src/protocol/errors';
import { parseRequest, parseResponse, PROTOCOL_VERSION } from '../src/protocol/messages';
import {
  decodeNetworkOutput,
  decodeSamples,
  encodeFloat32,
  encodeNetworkOutput,
  encodeSamples,
} from '../src/protocol/payload';
import { WeightsFormatError } from '../src/weights/errors';
import { convertWeights } from '../src/weights/load-model';
import { readNpz } from '../src/weights/npz';
import { checkHdrcnnOnnx } from '../src/weights/onnx-check';
import { readParamsFile } from '../src/weights/params-file';
import { unpickle } from '../src/weights/unpickle';
import { floatTiff } from './float-tiff';

export type Random = () => number;

/** mulberry32: a small seeded PRNG, so every run with a seed mutates the same way. */
export function prng(seed: number): Random {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One of: random bytes, a boundary value, a cut, a chunk copied elsewhere (where lengths and counts break). */
export function mutate(input: Uint8Array, random: Random): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const out = input.slice();
  switch (int(4)) {
    case 0:
      for (let k = 1 + int(4); k > 0; k--) out[int(out.length)] = int(256);
      return out;
    case 1:
      out[int(out.length)] = [0, 1, 0x7f, 0x80, 0xff][int(5)];
      return out;
    case 2:
      return out.subarray(0, int(out.length));
    default: {
      const from = int(out.length);
      const chunk = out.slice(from, from + 1 + int(16));
      const to = int(out.length);
      const joined = new Uint8Array(out.length + chunk.length);
      joined.set(out.subarray(0, to));
      joined.set(chunk, to);
      joined.set(out.subarray(to), to + chunk.length);
      return joined;
    }
  }
}

export interface FuzzTarget {
  readonly name: string;
  readonly seeds: readonly Uint8Array[];
  /** Resolves when the input is accepted (and its result is sane), rejects otherwise. */
  run(bytes: Uint8Array): Promise<void>;
  /** Whether a rejection is one of the clean refusals this target promises. */
  clean(error: unknown): boolean;
}

const oneLine = (e: unknown) => e instanceof Error && e.message.length > 0 && !e.message.includes('\n');

/** The targets, reading their seeds from the repository at `root`; `dispose` removes the images' scratch folder. */
export async function fuzzTargets(root: string): Promise<{ targets: FuzzTarget[]; dispose(): void }> {
  const fixture = (...p: string[]) => new Uint8Array(readFileSync(path.join(root, 'test', 'fixtures', ...p)));
  const npz = ['protocol4.npz', 'compressed.npz', 'python2.npz', 'zip64.npz'].map((n) => fixture('weights', n));
  const pickles = ['protocol4.npz', 'python2.npz'].map((n) =>
    readNpz(fixture('weights', n)).get('params')!.subarray(128),
  );
  const model = convertWeights(fixture('hdrcnn-tiny', 'params.npz'));
  const weightsError = (e: unknown) => e instanceof WeightsFormatError;

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'hdr-fuzz-'));
  let cases = 0;
  const photo = sharp(Buffer.from(fixture('hdrcnn-tiny', 'input.png'))).extract({
    left: 32,
    top: 16,
    width: 32,
    height: 24,
  });
  const floats = await photo.clone().toColourspace('scrgb').raw({ depth: 'float' }).toBuffer();
  const images = [
    await photo.clone().png().toBuffer(),
    await photo.clone().toColourspace('rgb16').png().toBuffer(),
    await photo.clone().ensureAlpha(0.5).png().toBuffer(),
    await photo.clone().jpeg({ quality: 80 }).toBuffer(),
    await photo.clone().tiff().toBuffer(),
    floatTiff(32, 24, 3, new Float32Array(floats.buffer, floats.byteOffset, floats.length / 4)),
  ].map((b) => new Uint8Array(b));

  const v = PROTOCOL_VERSION;
  const requests = [
    {
      type: 'init',
      id: 1,
      version: v,
      model: { label: 'model', bytes: 4, chunks: 1, sha256: 'ab'.repeat(32) },
      provider: 'auto',
    },
    { type: 'model-chunk', id: 2, version: v, target: 1, index: 0, data: 'UEsDBA==' },
    { type: 'run-tile', id: 3, version: v, width: 2, height: 2, input: encodeFloat32(new Float32Array(12).fill(0.5)) },
    {
      type: 'run-tile',
      id: 3,
      version: v,
      width: 4,
      height: 2,
      input: encodeSamples(
        Float32Array.from({ length: 24 }, (_, i) => (i % 7) / 7),
        { width: 4, planes: 3 },
      ),
      used: { left: 1, top: 0, width: 3, height: 2 },
    },
    {
      type: 'run-tile',
      id: 3,
      version: v,
      width: 20,
      height: 5,
      input: encodeSamples(
        Float32Array.from({ length: 300 }, (_, i) => i / 300),
        { width: 20, planes: 3 },
      ),
    },
    { type: 'cancel', id: 4, version: v, target: 3 },
    { type: 'echo', id: 5, version: v, payload: 'abc' },
  ].map((r) => new TextEncoder().encode(JSON.stringify(r)));
  const result = (output: ReturnType<typeof encodeNetworkOutput>, pixels: number) => ({
    type: 'result',
    id: 3,
    version: v,
    width: 4,
    height: 2,
    pixels,
    output,
    networkMs: 12.5,
    provider: 'wasm',
  });
  const responses = [
    result(encodeNetworkOutput(Float32Array.from({ length: 15 }, (_, i) => Math.log(1 + i / 3))), 5),
    result(encodeFloat32(new Float32Array(6).fill(0.25)), 2),
  ].map((r) => new TextEncoder().encode(JSON.stringify(r)));

  const targets: FuzzTarget[] = [
    {
      name: 'weights (.npz)',
      seeds: npz,
      run: async (bytes) => void readParamsFile(bytes),
      clean: weightsError,
    },
    {
      name: 'weights (pickle)',
      seeds: pickles,
      run: async (bytes) => void unpickle(bytes),
      clean: weightsError,
    },
    {
      name: 'ONNX model check',
      seeds: [model],
      run: async (bytes) => void checkHdrcnnOnnx(bytes),
      clean: weightsError,
    },
    {
      name: 'images (PNG, JPEG, TIFF)',
      seeds: images,
      async run(bytes) {
        const file = path.join(scratch, `case-${++cases}`);
        writeFileSync(file, bytes);
        try {
          for (const size of [undefined, { width: 32, height: 32 }]) {
            const image = await readImage(file, size);
            if (
              image.width * image.height > MAX_INPUT_PIXELS ||
              image.samples.length !== 3 * image.width * image.height
            ) {
              throw new Error(`decoded ${image.width}×${image.height} with ${image.samples.length} samples`);
            }
            if (size && (image.width !== 32 || image.height !== 32))
              throw new Error(`resized to ${image.width}×${image.height}`);
          }
        } finally {
          rmSync(file, { force: true });
        }
      },
      clean: (e) => oneLine(e) && !/^(decoded|resized) /.test((e as Error).message),
    },
    {
      name: 'protocol (requests)',
      seeds: requests,
      async run(bytes) {
        const request = parseRequest(new TextDecoder().decode(bytes));
        if (request.type === 'run-tile') decodeSamples(request.input);
      },
      clean: (e) => e instanceof ProtocolError,
    },
    {
      name: 'protocol (answers)',
      seeds: responses,
      async run(bytes) {
        const response = parseResponse(new TextDecoder().decode(bytes));
        if (response.type === 'result') decodeNetworkOutput(response.output);
      },
      clean: (e) => e instanceof ProtocolError,
    },
  ];
  return { targets, dispose: () => rmSync(scratch, { recursive: true, force: true }) };
}
