/**
 * The seed script's framing (`img_io.readLDR`): the prediction size is rounded
 * to multiples of 32, and the image is centre-cropped to that aspect ratio
 * before it is resized, so nothing is stretched.
 */
import { SIZE_MULTIPLE } from './hdrcnn';
import type { Rect } from './image';

/** NumPy's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `max(32, round(n / 32) · 32)`, as `hdrcnn_predict.py` sizes its prediction. */
export function predictionSize(n: number): number {
  return Math.max(SIZE_MULTIPLE, roundHalfEven(n / SIZE_MULTIPLE) * SIZE_MULTIPLE);
}

/** The centred crop of a `width`×`height` image with the aspect ratio of `targetWidth`×`targetHeight`. */
export function centreCrop(width: number, height: number, targetWidth: number, targetHeight: number): Rect {
  const rIn = width / height;
  const rOut = targetWidth / targetHeight;
  const [sx, sy] = rOut / rIn > 1 ? [width, width / rOut] : [height * rOut, height];
  const left = Math.trunc(Math.max(0, (width - sx) / 2));
  const top = Math.trunc(Math.max(0, (height - sy) / 2));
  // Python slices x[int(yo):int(yo+sy)], so the end is truncated independently.
  return {
    left,
    top,
    width: Math.trunc(Math.max(0, (width - sx) / 2) + sx) - left,
    height: Math.trunc(Math.max(0, (height - sy) / 2) + sy) - top,
  };
}
