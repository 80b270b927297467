/**
 * Float RGB images as every layer of the product passes them around: interleaved
 * (r, g, b per pixel), row-major, top row first. Values are linear-light after
 * reconstruction and display-referred [0, 1] before it.
 */
/** A rectangle in image coordinates (pixels; left/top may be negative or past the image for network windows). */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** The smallest rectangle holding every pixel of `rects`. */
export function boundingRect(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.left + r.width));
  const bottom = Math.max(...rects.map((r) => r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
}

/** The pixels of `r` inside `frame`, in `frame`'s own coordinates (empty: zero width or height). */
export function partWithin(r: Rect, frame: Rect): Rect {
  const left = Math.max(r.left, frame.left);
  const top = Math.max(r.top, frame.top);
  const right = Math.min(r.left + r.width, frame.left + frame.width);
  const bottom = Math.min(r.top + r.height, frame.top + frame.height);
  return {
    left: left - frame.left,
    top: top - frame.top,
    width: Math.max(0, right - left),
    height: Math.max(0, bottom - top),
  };
}

export function createRgbImage(width: number, height: number, data?: Float32Array): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  const length = width * height * 3;
  if (data && data.length !== length) {
    throw new RangeError(`a ${width}×${height} RGB image needs ${length} samples, got ${data.length}`);
  }
  return { width, height, data: data ?? new Float32Array(length) };
}
