/**
 * HDRCNN's pre- and post-processing around the network, per pixel, exactly as
 * `hdrcnn_predict.py` and `network.get_final` define them (docs/HDRCNN.md):
 *
 *   x  = min(1, scaling·ldr)                    (scaling > 1 only)
 *   x' = x^(1/gamma)                            network input
 *   α  = clamp((max_c x' − 0.95) / 0.05, 0, 1)  highlight mask
 *   y  = (1 − α)·base + α·(exp(net(x')) − 1/255),  base = x'² (HDRCNN's linearisation)
 *   out = max(y, 0)^gamma
 *
 * A source that knows the photo's own linear value L of a sample (Photoshop's 32-bit
 * conversion) puts base = L^(1/gamma) instead, and the output is L itself where α = 0:
 * only the highlights differ from the photo.
 */

/** Name of the model's input: 1×3×H×W RGB in [0, 1] (after scaling and gamma). */
export const MODEL_INPUT = 'ldr';
/** Name of the model's output: 1×3×H×W log-HDR prediction `y` of HDRCNN. */
export const MODEL_OUTPUT = 'log_hdr';
/** The network downsamples five times: tile sides must be multiples of this. */
export const SIZE_MULTIPLE = 32;

export interface HdrcnnSettings {
  /** `y = f(x^(1/g))^g`: above 1 brightens reconstructed highlights (1.1–1.3 suggested). */
  readonly gamma: number;
  /** Pre-scaling followed by clipping, to remove compression artefacts near highlights (≥ 1). */
  readonly scaling: number;
}

export const DEFAULT_SETTINGS: HdrcnnSettings = { gamma: 1, scaling: 1 };

/** Where the highlight mask starts: pixels whose brightest channel is below this are `x²` exactly. */
export const ALPHA_THRESHOLD = 0.95;

export function checkSettings(settings: HdrcnnSettings): HdrcnnSettings {
  const { gamma, scaling } = settings;
  if (!Number.isFinite(gamma) || gamma <= 0 || gamma > 10)
    throw new RangeError(`gamma must be in (0, 10], got ${gamma}`);
  if (!Number.isFinite(scaling) || scaling < 1 || scaling > 1000)
    throw new RangeError(`scaling must be in [1, 1000], got ${scaling}`);
  return settings;
}

/** The network's input value for one display-referred sample. */
export function networkValue(ldr: number, settings: HdrcnnSettings): number {
  const x = settings.scaling > 1 ? Math.min(1, settings.scaling * ldr) : ldr;
  const clamped = x > 0 ? x : 0;
  return settings.gamma === 1 ? clamped : clamped ** (1 / settings.gamma);
}

/** The highlight mask of one pixel from its network inputs `x'`. */
export function highlightAlpha(r: number, g: number, b: number): number {
  const a = (Math.max(r, g, b) - ALPHA_THRESHOLD) / (1 - ALPHA_THRESHOLD);
  return a <= 0 ? 0 : a >= 1 ? 1 : a;
}

/** The highlight mask of one pixel from its display values. */
export function pixelAlpha(r: number, g: number, b: number, settings: HdrcnnSettings): number {
  return highlightAlpha(networkValue(r, settings), networkValue(g, settings), networkValue(b, settings));
}

/** `max((1 − α)·base + α·e, 0)^gamma` with e = exp(logHdr) − 1/255: the blend, in the network's domain. */
export function blendSample(base: number, logHdr: number, alpha: number, gamma: number): number {
  const linear = alpha === 0 ? base : (1 - alpha) * base + alpha * (Math.exp(logHdr) - 1 / 255);
  const y = linear > 0 ? linear : 0;
  return gamma === 1 ? y : y ** gamma;
}

/**
 * One output sample from its network input `x` (= x'), the network's log output and the
 * pixel's mask; `linear`, when the source gives it, is the photo's own linear value.
 */
export function outputSample(x: number, logHdr: number, alpha: number, gamma: number, linear?: number): number {
  if (linear === undefined) return blendSample(x * x, logHdr, alpha, gamma);
  if (alpha === 0) return linear; // the photo's own value, bit for bit
  const base = linear > 0 ? (gamma === 1 ? linear : linear ** (1 / gamma)) : 0; // never divides by a dark x'²
  return blendSample(base, logHdr, alpha, gamma);
}

/** Share of samples at or above 1 after scaling, as the seed script reports it; `maxValue` is what 1 is stored as. */
export function saturatedFraction(data: ArrayLike<number>, scaling = 1, maxValue = 1): number {
  if (data.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) if ((data[i] / maxValue) * scaling >= 1) n++;
  return n / data.length;
}
