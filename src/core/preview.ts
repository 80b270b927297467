/**
 * The seed's 8-bit previews (`img_io.writeLDR(…, exposure = −3)`): display
 * values scaled by 2^(−3/2), clipped to [0, 1]. The output preview shows
 * sqrt(HDR), so outside highlights it matches the input preview exactly.
 */
const EXPOSURE_SCALE = 2 ** -1.5;

/**
 * 8-bit samples of display values `2^(−3/2)·v`, where `v` is `sample/maxValue`,
 * or its square root when the samples are linear HDR.
 */
export function previewBytes(samples: ArrayLike<number>, linear: boolean, maxValue = 1): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < out.length; i++) {
    const v = samples[i] / maxValue;
    const display = EXPOSURE_SCALE * (linear ? Math.sqrt(v > 0 ? v : 0) : v);
    out[i] = Math.round(255 * Math.min(1, Math.max(0, display)));
  }
  return out;
}
