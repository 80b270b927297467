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
