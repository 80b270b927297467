/**
 * The seed's 8-bit previews (`img_io.writeLDR(…, exposure = −3)`): display
 * values scaled by 2^(−3/2), clipped to [0, 1]. The output preview shows
 * sqrt(HDR), so outside highlights it matches the input preview exactly.
 */
import type { RgbImage } from './image';

const EXPOSURE_SCALE = 2 ** -1.5;

/** 8-bit interleaved RGB of display values `scale·v` (`v` = sqrt(linear) when `linear`). */
export function previewBytes(image: RgbImage, linear: boolean): Uint8Array {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = image.data[i];
    const display = EXPOSURE_SCALE * (linear ? Math.sqrt(v > 0 ? v : 0) : v);
    out[i] = Math.round(255 * Math.min(1, Math.max(0, display)));
  }
  return out;
}
