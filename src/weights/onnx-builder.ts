/**
 * Builds the ONNX model of HDRCNN from its checked parameters.
 *
 * The graph holds everything that is part of the network itself: 255 scaling,
 * RGB→BGR and VGG mean (folded into the first convolution's input channels),
 * the encoder, the log skip transforms and the decoder. The highlight blend and
 * gamma stay in TypeScript (src/core/hdrcnn.ts) because tiling needs the mask
 * anyway and skips tiles without highlights. Layout is NCHW; see model/README.md.
 *
 * Exact rewrites (same output as the TensorFlow graph, less work):
 * - BatchNorm is folded into the preceding convolution.
 * - A fusion `conv1x1(concat([d, s]))` becomes `conv(d) + conv(s)` (no concat copy).
 * - The skip transform `log((s/255)² + 1/255)` becomes `log(s² + 255)`; the
 *   constant `−log(255²)` goes into the fusion's bias.
 * - Transposed convolutions become four phase convolutions (see `deconv`).
 */
import { onnx } from 'onnx-proto';
import { MODEL_INPUT, MODEL_OUTPUT } from '../core/hdrcnn';
import { toHalfArray } from '../core/float16';
import { BN_EPSILON, POOL_AFTER, type ConvParams, type HdrcnnParams } from './hdrcnn-structure';

export interface BuildOptions {
  /** Store weights as float16 (half the file size); the graph still computes in float32. */
  readonly fp16?: boolean;
}

const OPSET = 17;
/** VGG16 training mean, in RGB order (docs/HDRCNN.md; the network subtracts it in BGR order). */
const VGG_MEAN_RGB = [123.68, 116.779, 103.939];
const LOG_255_SQUARED = Math.log(255 * 255);
/**
 * Rows (or columns) of the 4×4 transposed-convolution kernel that feed output
 * phase 0 and phase 1, in input order: output 2m takes input m−1 through tap 3
 * and m through tap 1; output 2m+1 takes m through tap 2 and m+1 through tap 0.
 */
const PHASE_TAPS = [
  [3, 1],
  [2, 0],
];

type Attr = onnx.IAttributeProto;
const ints = (name: string, v: number[]): Attr => ({ name, ints: v, type: onnx.AttributeProto.AttributeType.INTS });
const int = (name: string, v: number): Attr => ({ name, i: v, type: onnx.AttributeProto.AttributeType.INT });

/** Accumulates nodes and initializers with unique names. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;

  constructor(private readonly fp16: boolean) {}

  op(opType: string, inputs: string[], attributes: Attr[] = [], name = opType): string {
    const output = `${name}_${this.counter++}`;
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: attributes });
    return output;
  }

  /** A float32 constant; stored as float16 plus a Cast when asked (ORT folds the Cast at load). */
  constant(name: string, dims: number[], values: Float32Array, allowHalf = true): string {
    if (!(this.fp16 && allowHalf)) {
      this.initializers.push(tensor(name, dims, onnx.TensorProto.DataType.FLOAT, values));
      return name;
    }
    this.initializers.push(tensor(`${name}_f16`, dims, onnx.TensorProto.DataType.FLOAT16, toHalfArray(values)));
    this.nodes.push({
      opType: 'Cast',
      input: [`${name}_f16`],
      output: [name],
      name: `${name}_cast`,
      attribute: [int('to', onnx.TensorProto.DataType.FLOAT)],
    });
    return name;
  }

  scalar(name: string, value: number): string {
    return this.constant(name, [], Float32Array.of(value), false);
  }
}

function tensor(
  name: string,
  dims: number[],
  dataType: onnx.TensorProto.DataType,
  values: Float32Array | Uint16Array,
): onnx.ITensorProto {
  // Typed arrays are little-endian on every platform ORT runs on, as ONNX raw_data requires.
  const rawData = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { name, dims, dataType, rawData };
}

/** Per-output-channel scale and bias of a folded BatchNorm (identity without one). */
function foldedBatchNorm(conv: ConvParams): { scale: Float32Array; bias: Float32Array } {
  const n = conv.outChannels;
  const scale = new Float32Array(n).fill(1);
  const bias = Float32Array.from(conv.bias);
  const bn = conv.batchNorm;
  if (bn) {
    for (let o = 0; o < n; o++) {
      scale[o] = bn.gamma[o] / Math.sqrt(bn.variance[o] + BN_EPSILON);
      bias[o] = (conv.bias[o] - bn.mean[o]) * scale[o] + bn.beta[o];
    }
  }
  return { scale, bias };
}

/**
 * TF conv weight `[kh, kw, in, out]` → ONNX `[out, in, kh, kw]` for the input
 * channels `[from, from + count)`, each output channel multiplied by `scale`.
 * `inputOrder` maps ONNX input channel → TF input channel (for RGB → BGR).
 */
function convWeight(
  conv: ConvParams,
  scale: Float32Array,
  from = 0,
  count = conv.inChannels,
  inputOrder?: number[],
): Float32Array {
  const { kernel: k, inChannels: cin, outChannels: cout } = conv;
  const w = conv.weight.data;
  const out = new Float32Array(cout * count * k * k);
  for (let o = 0; o < cout; o++)
    for (let i = 0; i < count; i++) {
      const src = from + (inputOrder ? inputOrder[i] : i);
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++)
          out[((o * count + i) * k + y) * k + x] = w[((y * k + x) * cin + src) * cout + o] * scale[o];
    }
  return out;
}

/** TF transposed-conv weight `[kh, kw, out, in]` → `[in, out, kh, kw]`, scaled per output. */
function deconvWeight(conv: ConvParams, scale: Float32Array): Float32Array {
  const { kernel: k, inChannels: cin, outChannels: cout } = conv;
  const w = conv.weight.data;
  const out = new Float32Array(cin * cout * k * k);
  for (let i = 0; i < cin; i++)
    for (let o = 0; o < cout; o++)
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++)
          out[((i * cout + o) * k + y) * k + x] = w[((y * k + x) * cout + o) * cin + i] * scale[o];
  return out;
}

class HdrcnnGraph {
  readonly g: GraphBuilder;
  private skipOffset?: string;
  constructor(fp16: boolean) {
    this.g = new GraphBuilder(fp16);
  }

  conv(input: string, conv: ConvParams, inputOrder?: number[]): string {
    const { scale, bias } = foldedBatchNorm(conv);
    const k = conv.kernel;
    const w = this.g.constant(
      `${conv.name}/W`,
      [conv.outChannels, conv.inChannels, k, k],
      convWeight(conv, scale, 0, conv.inChannels, inputOrder),
    );
    const b = this.g.constant(`${conv.name}/b`, [conv.outChannels], bias);
    const p = (k - 1) >> 1;
    return this.g.op('Conv', [input, w, b], [ints('kernel_shape', [k, k]), ints('pads', [p, p, p, p])], conv.name);
  }

  /**
   * ×2 upsampling: TF's transposed convolution (stride 2, kernel 4, 'SAME' =
   * crop one pixel on each side), as four 2×2 convolutions, one per output
   * phase (row parity, column parity), interleaved by DepthToSpace. Exact, and
   * plain Conv work: measured 8 % faster and 10 % less memory than ConvTranspose
   * in onnxruntime-node at 512×512 (README, "Benchmarks").
   */
  deconv(input: string, conv: ConvParams): string {
    const { scale, bias } = foldedBatchNorm(conv);
    const w = deconvWeight(conv, scale);
    const { inChannels: cin, outChannels: cout } = conv;
    const phases: string[] = [];
    for (let py = 0; py < 2; py++)
      for (let px = 0; px < 2; px++) {
        const phase = new Float32Array(cout * cin * 4);
        for (let o = 0; o < cout; o++)
          for (let i = 0; i < cin; i++)
            for (let t = 0; t < 2; t++)
              for (let u = 0; u < 2; u++)
                phase[((o * cin + i) * 2 + t) * 2 + u] =
                  w[((i * cout + o) * 4 + PHASE_TAPS[py][t]) * 4 + PHASE_TAPS[px][u]];
        const wp = this.g.constant(`${conv.name}/W_${py}${px}`, [cout, cin, 2, 2], phase);
        const bp = this.g.constant(`${conv.name}/b_${py}${px}`, [cout], bias);
        // Phase 0 reads input rows m−1 and m (padding above), phase 1 rows m and m+1 (padding below).
        phases.push(
          this.g.op(
            'Conv',
            [input, wp, bp],
            [ints('kernel_shape', [2, 2]), ints('pads', [1 - py, 1 - px, py, px])],
            conv.name,
          ),
        );
      }
    // DCR order: channel block (py·2 + px) goes to output pixel (2m + py, 2n + px).
    const dcr: Attr = {
      name: 'mode',
      s: Uint8Array.from('DCR', (c) => c.charCodeAt(0)),
      type: onnx.AttributeProto.AttributeType.STRING,
    };
    return this.g.op('DepthToSpace', [this.g.op('Concat', phases, [int('axis', 1)])], [int('blocksize', 2), dcr]);
  }

  /** `log((s/255)² + 1/255)` up to the constant −log(255²), which {@link fuse} adds back through its bias. */
  logSkip(s: string): string {
    this.skipOffset ??= this.g.scalar('skip_offset', 255);
    return this.g.op('Log', [this.g.op('Add', [this.g.op('Mul', [s, s]), this.skipOffset])], [], 'skip_log');
  }

  /** 1×1 conv over concat([decoder, skip]) as conv(decoder) + conv(skip). */
  fuse(decoder: string, decoderChannels: number, logSkip: string, conv: ConvParams): string {
    const { scale, bias } = foldedBatchNorm(conv);
    const skipChannels = conv.inChannels - decoderChannels;
    const wSkip = convWeight(conv, scale, decoderChannels, skipChannels);
    for (let o = 0; o < conv.outChannels; o++) {
      let sum = 0;
      for (let i = 0; i < skipChannels; i++) sum += wSkip[o * skipChannels + i];
      bias[o] -= LOG_255_SQUARED * sum;
    }
    const c = conv.outChannels;
    const wd = this.g.constant(
      `${conv.name}/W_decoder`,
      [c, decoderChannels, 1, 1],
      convWeight(conv, scale, 0, decoderChannels),
    );
    const ws = this.g.constant(`${conv.name}/W_skip`, [c, skipChannels, 1, 1], wSkip);
    const b = this.g.constant(`${conv.name}/b`, [c], bias);
    const fromDecoder = this.g.op('Conv', [decoder, wd, b], [ints('kernel_shape', [1, 1])], `${conv.name}/decoder`);
    const fromSkip = this.g.op('Conv', [logSkip, ws], [ints('kernel_shape', [1, 1])], `${conv.name}/skip`);
    return this.g.op('Add', [fromDecoder, fromSkip], [], conv.name);
  }

  relu(x: string): string {
    return this.g.op('Relu', [x]);
  }
}

/** Serialises HDRCNN as an ONNX model: input {@link MODEL_INPUT}, output {@link MODEL_OUTPUT}. */
export function buildHdrcnnOnnx(params: HdrcnnParams, options: BuildOptions = {}): Uint8Array {
  const net = new HdrcnnGraph(options.fp16 ?? false);
  const g = net.g;

  // x·255, VGG mean subtracted per channel; the BGR swap is a permutation of the first conv's inputs.
  const x255 = g.op('Mul', [MODEL_INPUT, g.scalar('input_scale', 255)]);
  const meanRgb = g.constant('vgg_mean_rgb', [1, 3, 1, 1], Float32Array.from(VGG_MEAN_RGB), false);
  let h = g.op('Sub', [x255, meanRgb]);
  const skips: string[] = [];
  params.encoder.forEach((conv, i) => {
    h = net.relu(net.conv(h, conv, i === 0 ? [2, 1, 0] : undefined));
    if (POOL_AFTER.includes(i)) {
      skips.push(net.logSkip(h));
      h = g.op('MaxPool', [h], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]);
    }
  });
  h = net.relu(net.conv(h, params.bottleneck));
  let channels = params.bottleneck.outChannels;
  params.decoder.forEach((stage, s) => {
    if (stage.fuse) {
      h = net.fuse(h, channels, skips[skips.length - s], stage.fuse);
      channels = stage.fuse.outChannels;
    }
    h = net.relu(net.deconv(h, stage.deconv));
    channels = stage.deconv.outChannels;
  });
  h = net.fuse(h, channels, skips[0], params.fuseFull);
  h = net.relu(net.conv(h, params.toRgb));
  const out = net.fuse(h, 3, net.logSkip(x255), params.fuseInput);
  g.nodes.push({ opType: 'Identity', input: [out], output: [MODEL_OUTPUT], name: MODEL_OUTPUT });

  const image = (name: string): onnx.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimValue: 1 }, { dimValue: 3 }, { dimParam: 'height' }, { dimParam: 'width' }] },
      },
    },
  });
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'hdr-reconstruct',
    docString: 'HDRCNN (Eilertsen et al. 2017): LDR RGB in [0,1] → log-HDR. Sides must be multiples of 32.',
    metadataProps: [
      { key: 'hdrcnn.widths', value: JSON.stringify(params.widths) },
      { key: 'hdrcnn.weights', value: options.fp16 ? 'float16' : 'float32' },
    ],
    graph: {
      name: 'hdrcnn',
      node: g.nodes,
      initializer: g.initializers,
      input: [image(MODEL_INPUT)],
      output: [image(MODEL_OUTPUT)],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}
