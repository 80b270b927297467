/**
 * What the new 32-bit layer holds, per sample. Host-free.
 *
 * HDRCNN's output (HDRCNN.md, get_final) blends its own linearisation of the input,
 * x² (a gamma-2 approximation), with the network's prediction e inside the
 * highlight mask α:  hdr = ((1 − α)·x'² + α·e)^g,  x' = x^(1/g).
 *
 * 'hdrcnn' writes hdr as is: the CLI's numbers.
 *
 * 'photoshop' (default) puts Photoshop's own linear value L of the sample (its 32-bit
 * conversion: the profile's tone curve, e.g. the sRGB EOTF) where HDRCNN has x²:
 *
 *   out = ((1 − α)·L^(1/g) + α·e)^g = (hdr^(1/g) + (1 − α)·(L^(1/g) − x'²))^g
 *
 * so out = L exactly wherever α = 0 (toggling the layer changes only the highlights),
 * out = HDRCNN's value where α = 1, and it is continuous in α in between. Unlike
 * scaling hdr by L/x², it never divides by a dark sample's x².
 */
import { highlightAlpha, networkValue, type HdrcnnSettings } from '../core/hdrcnn';
import type { LineariseChoice } from '../plugin-core/settings';

/** The highlight mask of one pixel from its display values, as the core computes it. */
export function pixelAlpha(r: number, g: number, b: number, settings: HdrcnnSettings): number {
  return highlightAlpha(networkValue(r, settings), networkValue(g, settings), networkValue(b, settings));
}

/**
 * One output sample. `hdr`: the core's value; `x`: the display value the network saw;
 * `linear`: Photoshop's linear value of the same sample; `alpha`: the pixel's mask.
 */
export function outputSample(mode: LineariseChoice, hdr: number, x: number, linear: number, alpha: number, settings: HdrcnnSettings): number {
  if (mode === 'hdrcnn') return hdr;
  if (alpha === 0) return linear;
  const g = settings.gamma;
  const xg = networkValue(x, settings);
  const lg = linear > 0 ? (g === 1 ? linear : linear ** (1 / g)) : 0;
  const base = (g === 1 ? hdr : hdr ** (1 / g)) + (1 - alpha) * (lg - xg * xg);
  return base > 0 ? (g === 1 ? base : base ** g) : 0;
}
