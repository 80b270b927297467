/**
 * A deliberately naive HDRCNN forward pass, straight from docs/HDRCNN.md and the
 * TensorLayer-layout weights (NHWC, float64, no folding, transposed convolution
 * by its definition as a scatter): an independent check of the ONNX builder
 * for widths and sizes the golden fixture does not cover. Tiny models only.
 */
import type { ParamArray } from './param-array';

interface Map3 {
  h: number;
  w: number;
  c: number;
  d: Float64Array;
}

const map = (h: number, w: number, c: number): Map3 => ({ h, w, c, d: new Float64Array(h * w * c) });

/** TF conv2d, stride 1, SAME, W [k, k, in, out]. */
function conv(x: Map3, W: ParamArray, b: ParamArray): Map3 {
  const [k, , cin, cout] = W.shape;
  const p = (k - 1) >> 1;
  const y = map(x.h, x.w, cout);
  for (let i = 0; i < x.h; i++)
    for (let j = 0; j < x.w; j++)
      for (let o = 0; o < cout; o++) {
        let s = b.data[o];
        for (let u = 0; u < k; u++)
          for (let v = 0; v < k; v++) {
            const [ii, jj] = [i + u - p, j + v - p];
            if (ii < 0 || jj < 0 || ii >= x.h || jj >= x.w) continue;
            for (let c = 0; c < cin; c++)
              s += x.d[(ii * x.w + jj) * cin + c] * W.data[((u * k + v) * cin + c) * cout + o];
          }
        y.d[(i * x.w + j) * cout + o] = s;
      }
  return y;
}

/** TF conv2d_transpose, stride 2, kernel 4, SAME (output 2h×2w), W [4, 4, out, in]. */
function deconv(x: Map3, W: ParamArray, b: ParamArray): Map3 {
  const [k, , cout, cin] = W.shape;
  const full = map(2 * x.h + 2, 2 * x.w + 2, cout);
  for (let i = 0; i < x.h; i++)
    for (let j = 0; j < x.w; j++)
      for (let c = 0; c < cin; c++) {
        const v = x.d[(i * x.w + j) * cin + c];
        for (let u = 0; u < k; u++)
          for (let t = 0; t < k; t++)
            for (let o = 0; o < cout; o++)
              full.d[((2 * i + u) * full.w + 2 * j + t) * cout + o] += v * W.data[((u * k + t) * cout + o) * cin + c];
      }
  const y = map(2 * x.h, 2 * x.w, cout); // crop one pixel on each side
  for (let i = 0; i < y.h; i++)
    for (let j = 0; j < y.w; j++)
      for (let o = 0; o < cout; o++)
        y.d[(i * y.w + j) * cout + o] = full.d[((i + 1) * full.w + j + 1) * cout + o] + b.data[o];
  return y;
}

function batchNorm(x: Map3, [beta, gamma, mean, variance]: ParamArray[]): Map3 {
  x.d.forEach((v, i) => {
    const c = i % x.c;
    x.d[i] = ((v - mean.data[c]) / Math.sqrt(variance.data[c] + 1e-5)) * gamma.data[c] + beta.data[c];
  });
  return x;
}

const relu = (x: Map3): Map3 => (x.d.forEach((v, i) => (x.d[i] = Math.max(0, v))), x);

function pool(x: Map3): Map3 {
  const y = map(x.h / 2, x.w / 2, x.c);
  for (let i = 0; i < y.h; i++)
    for (let j = 0; j < y.w; j++)
      for (let c = 0; c < x.c; c++)
        y.d[(i * y.w + j) * x.c + c] = Math.max(
          ...[0, 1].flatMap((u) => [0, 1].map((v) => x.d[((2 * i + u) * x.w + 2 * j + v) * x.c + c])),
        );
  return y;
}

function concat(a: Map3, b: Map3): Map3 {
  const y = map(a.h, a.w, a.c + b.c);
  for (let p = 0; p < a.h * a.w; p++) {
    y.d.set(a.d.subarray(p * a.c, (p + 1) * a.c), p * y.c);
    y.d.set(b.d.subarray(p * b.c, (p + 1) * b.c), p * y.c + a.c);
  }
  return y;
}

const skipTransform = (s: Map3): Map3 => ({ ...s, d: s.d.map((v) => Math.log((v / 255) ** 2 + 1 / 255)) });

/** The network output `y` (log-HDR) for NHWC RGB input `x` in [0, 1], H and W multiples of 32. */
export function referenceLogHdr(params: ParamArray[], x: Float32Array, h: number, w: number): Float64Array {
  const next = (() => {
    let i = 0;
    return (n: number) => params.slice(i, (i += n));
  })();
  const input = map(h, w, 3);
  input.d.set(Float64Array.from(x, (v) => 255 * v));
  const bgr = map(h, w, 3);
  const mean = [103.939, 116.779, 123.68];
  for (let p = 0; p < h * w; p++) for (let c = 0; c < 3; c++) bgr.d[p * 3 + c] = input.d[p * 3 + 2 - c] - mean[c];
  let net = bgr;
  const skips: Map3[] = [];
  for (const size of [2, 2, 3, 3, 3]) {
    for (let i = 0; i < size; i++) {
      const [W, b] = next(2);
      net = relu(conv(net, W, b));
    }
    skips.push(net);
    net = pool(net);
  }
  let [W, b] = next(2);
  net = relu(batchNorm(conv(net, W, b), next(4)));
  for (let stage = 1; stage <= 5; stage++) {
    if (stage > 1) {
      [W, b] = next(2);
      net = conv(concat(net, skipTransform(skips[6 - stage])), W, b);
    }
    [W, b] = next(2);
    net = relu(batchNorm(deconv(net, W, b), next(4)));
  }
  [W, b] = next(2);
  net = conv(concat(net, skipTransform(skips[0])), W, b);
  [W, b] = next(2);
  net = relu(batchNorm(conv(net, W, b), next(4)));
  [W, b] = next(2);
  return conv(concat(net, skipTransform(input)), W, b).d;
}
