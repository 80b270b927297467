/** Test images built from the fixture, and the seam-error measure the bench uses. */
import { createRgbImage, type RgbImage } from '../../src/core/image';
export { seamErrors } from '../../tools/seam-error';

/** `image` repeated `nx`×`ny` times, every other copy mirrored so that edges stay continuous. */
export function mirrorTile(image: RgbImage, nx: number, ny: number): RgbImage {
  const out = createRgbImage(image.width * nx, image.height * ny);
  for (let y = 0; y < out.height; y++) {
    const ty = Math.floor(y / image.height);
    const sy = ty % 2 ? image.height - 1 - (y % image.height) : y % image.height;
    for (let x = 0; x < out.width; x++) {
      const tx = Math.floor(x / image.width);
      const sx = tx % 2 ? image.width - 1 - (x % image.width) : x % image.width;
      out.data.set(
        image.data.subarray((sy * image.width + sx) * 3, (sy * image.width + sx) * 3 + 3),
        (y * out.width + x) * 3,
      );
    }
  }
  return out;
}
