/**
 * Checks that 80 weight arrays form an HDRCNN and names them by layer.
 *
 * The order is tensorlayer's `net.all_params` (docs/HDRCNN.md). Channel widths are
 * derived from the shapes and checked along the data flow, so narrower models
 * (the test fixture divides every width by 8) load too, while anything that
 * would not compute (a wrong kernel, a width that does not chain) is refused
 * with a message that names the layer.
 */
import { WeightsFormatError } from './errors';
import type { ParamArray } from './param-array';

/** A convolution with optional batch normalisation, in TensorFlow layout. */
export interface ConvParams {
  readonly name: string;
  /** TF layout: conv `[kh, kw, in, out]`; transposed conv `[kh, kw, out, in]`. */
  readonly weight: ParamArray;
  readonly bias: Float32Array;
  readonly batchNorm?: BatchNormParams;
  readonly kernel: number;
  readonly inChannels: number;
  readonly outChannels: number;
}

export interface BatchNormParams {
  readonly beta: Float32Array;
  readonly gamma: Float32Array;
  readonly mean: Float32Array;
  readonly variance: Float32Array;
}

/** A decoder stage: fuse with a skip (all but the first), then upsample ×2. */
export interface DecoderStage {
  readonly fuse?: ConvParams;
  readonly deconv: ConvParams;
}

export interface HdrcnnParams {
  /** 13 VGG16 convolutions; a 2×2 max-pool follows indices in {@link POOL_AFTER}. */
  readonly encoder: readonly ConvParams[];
  /** encoder/h6: 3×3 conv + BN at 1/32 resolution. */
  readonly bottleneck: ConvParams;
  /** decoder/h1..h5. */
  readonly decoder: readonly DecoderStage[];
  /** decoder/h6: fuse with the first encoder block's features at full resolution. */
  readonly fuseFull: ConvParams;
  /** decoder/h7: 1×1 conv to RGB + BN. */
  readonly toRgb: ConvParams;
  /** decoder/h7 fuse with the input: the log-HDR output. */
  readonly fuseInput: ConvParams;
  /** Channel widths, for the model's metadata and messages. */
  readonly widths: { readonly encoder: number[]; readonly bottleneck: number; readonly decoder: number[] };
}

export const PARAM_COUNT = 80;
/** Encoder convolutions followed by a max-pool (end of each VGG block). */
export const POOL_AFTER: readonly number[] = [1, 3, 6, 9, 12];
/** TensorLayer's BatchNormLayer epsilon. */
export const BN_EPSILON = 1e-5;

/** Reads arrays in parameter order, checking each shape against the data flow. */
class ParamCursor {
  private index = 0;
  constructor(private readonly params: readonly ParamArray[]) {}

  take(layer: string, role: string, rank: number): ParamArray {
    const p = this.params[this.index];
    if (p.shape.length !== rank) {
      throw new WeightsFormatError(
        `parameter ${this.index} (${layer} ${role}) should have rank ${rank}, has shape [${p.shape.join(', ')}]`,
      );
    }
    this.index++;
    return p;
  }

  vector(layer: string, role: string, length: number): Float32Array {
    const p = this.take(layer, role, 1);
    if (p.shape[0] !== length) {
      throw new WeightsFormatError(
        `parameter ${this.index - 1} (${layer} ${role}) should have ${length} entries, has ${p.shape[0]}`,
      );
    }
    return p.data;
  }

  conv(
    name: string,
    kernel: number,
    inChannels: number,
    opts: { transposed?: boolean; batchNorm?: boolean } = {},
  ): ConvParams {
    const weight = this.take(name, 'weight', 4);
    const [kh, kw, a, b] = weight.shape;
    const [wIn, out] = opts.transposed ? [b, a] : [a, b];
    if (kh !== kernel || kw !== kernel || wIn !== inChannels || out < 1) {
      const layout = opts.transposed
        ? `[${kernel}, ${kernel}, out, ${inChannels}]`
        : `[${kernel}, ${kernel}, ${inChannels}, out]`;
      throw new WeightsFormatError(
        `parameter ${this.index - 1} (${name} weight) should be ${layout}, has [${weight.shape.join(', ')}]`,
      );
    }
    const bias = this.vector(name, 'bias', out);
    const batchNorm = opts.batchNorm
      ? {
          beta: this.vector(name, 'BN beta', out),
          gamma: this.vector(name, 'BN gamma', out),
          mean: this.vector(name, 'BN moving mean', out),
          variance: this.nonNegative(name, this.vector(name, 'BN moving variance', out)),
        }
      : undefined;
    return { name, weight, bias, batchNorm, kernel, inChannels, outChannels: out };
  }

  private nonNegative(layer: string, v: Float32Array): Float32Array {
    if (v.some((x) => x < 0)) throw new WeightsFormatError(`${layer}: batch-norm variance has negative entries`);
    return v;
  }
}

/** Names the 80 arrays and checks the structure; throws {@link WeightsFormatError}. */
export function parseHdrcnnParams(params: readonly ParamArray[]): HdrcnnParams {
  if (params.length !== PARAM_COUNT) {
    throw new WeightsFormatError(`HDRCNN has ${PARAM_COUNT} parameter arrays, this file has ${params.length}`);
  }
  const cursor = new ParamCursor(params);
  const encoder: ConvParams[] = [];
  const skips: number[] = [];
  let channels = 3;
  const blockSizes = [2, 2, 3, 3, 3];
  blockSizes.forEach((size, block) => {
    for (let i = 0; i < size; i++) {
      const conv = cursor.conv(`encoder/h${block + 1}/conv_${i + 1}`, 3, channels);
      encoder.push(conv);
      channels = conv.outChannels;
    }
    skips.push(channels);
  });
  const bottleneck = cursor.conv('encoder/h6/conv', 3, channels, { batchNorm: true });
  channels = bottleneck.outChannels;

  const decoder: DecoderStage[] = [];
  for (let stage = 1; stage <= 5; stage++) {
    // Stage 1 upsamples the bottleneck; later stages first fuse the skip from the
    // matching encoder block (deepest first).
    const fuse =
      stage === 1 ? undefined : cursor.conv(`decoder/h${stage}/fuse_skip_connection`, 1, channels + skips[6 - stage]);
    if (fuse) channels = fuse.outChannels;
    const deconv = cursor.conv(`decoder/h${stage}/decon2d`, 4, channels, { transposed: true, batchNorm: true });
    channels = deconv.outChannels;
    decoder.push({ fuse, deconv });
  }
  const fuseFull = cursor.conv('decoder/h6/fuse_skip_connection', 1, channels + skips[0]);
  const toRgb = cursor.conv('decoder/h7/conv2d', 1, fuseFull.outChannels, { batchNorm: true });
  if (toRgb.outChannels !== 3)
    throw new WeightsFormatError(`decoder/h7/conv2d should output 3 channels, has ${toRgb.outChannels}`);
  const fuseInput = cursor.conv('decoder/h7/fuse_skip_connection', 1, 3 + 3);
  if (fuseInput.outChannels !== 3) {
    throw new WeightsFormatError(
      `decoder/h7/fuse_skip_connection should output 3 channels, has ${fuseInput.outChannels}`,
    );
  }
  return {
    encoder,
    bottleneck,
    decoder,
    fuseFull,
    toRgb,
    fuseInput,
    widths: {
      encoder: skips,
      bottleneck: bottleneck.outChannels,
      decoder: decoder.map((s) => s.deconv.outChannels),
    },
  };
}
