/** Reads a colour PFM (as the CLI writes it) back into a top-row-first RGB image. */
import type { RgbImage } from '../../src/core/image';

export function decodePfm(bytes: Uint8Array): RgbImage {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  const m = /^PF\n(\d+) (\d+)\n(-?[\d.]+)\n/.exec(text);
  if (!m) throw new Error('not a colour PFM file');
  const [width, height, scale] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const view = new DataView(bytes.buffer, bytes.byteOffset + m[0].length);
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const dst = (height - 1 - y) * width * 3;
    for (let i = 0; i < width * 3; i++) data[dst + i] = view.getFloat32((y * width * 3 + i) * 4, scale < 0);
  }
  return { width, height, data };
}
