/**
 * HDRCNN weights in the official (TensorLayer) layout, generated from a seed:
 * the official weights cannot be downloaded here. He-initialised convolutions,
 * identity batch norm, and a final fusion that passes the input's log skip
 * through (plus a small perturbation), so outputs stay in the range of real
 * predictions. `widthDivisor` 8 gives the fixture's narrow model.
 */
import type { ParamArray } from './param-array';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Init =
  | { kind: 'he'; fanIn: number }
  | { kind: 'normal'; std: number }
  | { kind: 'constant'; value: number }
  | { kind: 'skip-through' };

export interface ParamSpec {
  readonly shape: number[];
  readonly init: Init;
}

/** The 80 shapes in parameter order (docs/HDRCNN.md), with how each is initialised. */
export function hdrcnnParamSpecs(widthDivisor = 1): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const w = (n: number) => Math.max(1, Math.round(n / widthDivisor));
  const conv = (
    k: number,
    cin: number,
    cout: number,
    opts: { transposed?: boolean; bn?: boolean; std?: number } = {},
  ) => {
    const init: Init = opts.std ? { kind: 'normal', std: opts.std } : { kind: 'he', fanIn: k * k * cin };
    specs.push({ shape: opts.transposed ? [k, k, cout, cin] : [k, k, cin, cout], init });
    specs.push({ shape: [cout], init: { kind: 'normal', std: 0.01 } });
    if (opts.bn) for (const value of [0, 1, 0, 1]) specs.push({ shape: [cout], init: { kind: 'constant', value } }); // beta, gamma, mean, variance
  };
  const widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512].map(w);
  let cin = 3;
  for (const cout of widths) {
    conv(3, cin, cout);
    cin = cout;
  }
  const [s1, s2, s3, s4, s5] = [widths[1], widths[3], widths[6], widths[9], widths[12]];
  const [f, d3, d4, d5] = [w(512), w(256), w(128), w(64)];
  conv(3, s5, f, { bn: true });
  conv(4, f, f, { transposed: true, bn: true });
  conv(1, f + s5, f);
  conv(4, f, f, { transposed: true, bn: true });
  conv(1, f + s4, f);
  conv(4, f, d3, { transposed: true, bn: true });
  conv(1, d3 + s3, d3);
  conv(4, d3, d4, { transposed: true, bn: true });
  conv(1, d4 + s2, d4);
  conv(4, d4, d5, { transposed: true, bn: true });
  conv(1, d5 + s1, d5);
  conv(1, d5, 3, { bn: true, std: 0.01 });
  specs.push({ shape: [1, 1, 6, 3], init: { kind: 'skip-through' } });
  specs.push({ shape: [3], init: { kind: 'constant', value: 0 } });
  return specs;
}

export function randomHdrcnnParams(widthDivisor = 1, seed = 1): ParamArray[] {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return hdrcnnParamSpecs(widthDivisor).map(({ shape, init }) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      switch (init.kind) {
        case 'he':
          data[i] = Math.sqrt(2 / init.fanIn) * gaussian();
          break;
        case 'normal':
          data[i] = init.std * gaussian();
          break;
        case 'constant':
          data[i] = init.value;
          break;
        case 'skip-through': {
          // Final fusion [1, 1, 6, 3]: input-skip channel c (index 3 + c) feeds output c.
          const [input, out] = [Math.floor(i / 3), i % 3];
          data[i] = input >= 3 ? Number(input - 3 === out) : 0.05 * gaussian();
        }
      }
    }
    return { shape, data };
  });
}
