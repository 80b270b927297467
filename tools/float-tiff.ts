/** A minimal baseline TIFF of 32-bit float samples (sharp cannot write one: its TIFF output is 8/16-bit). */
export function floatTiff(width: number, height: number, channels: 1 | 3, samples: Float32Array): Uint8Array {
  const tags: [number, number, number, number[]][] = []; // tag, type (3 short, 4 long), count, values
  const dataOffset = 8;
  const dataBytes = samples.length * 4;
  const ifd = dataOffset + dataBytes;
  const perSample = (v: number) => new Array<number>(channels).fill(v);
  tags.push([256, 4, 1, [width]], [257, 4, 1, [height]], [258, 3, channels, perSample(32)], [259, 3, 1, [1]]);
  tags.push([262, 3, 1, [channels === 3 ? 2 : 1]], [273, 4, 1, [dataOffset]], [277, 3, 1, [channels]]);
  tags.push([278, 4, 1, [height]], [279, 4, 1, [dataBytes]], [284, 3, 1, [1]], [339, 3, channels, perSample(3)]);
  const extra = channels === 3 ? 2 * 6 * 2 : 0; // two 3-short values do not fit in their 4-byte entries
  const out = new Uint8Array(ifd + 2 + tags.length * 12 + 4 + extra);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, ifd, true);
  new Uint8Array(out.buffer, dataOffset, dataBytes).set(new Uint8Array(samples.buffer, samples.byteOffset, dataBytes));
  view.setUint16(ifd, tags.length, true);
  let spill = ifd + 2 + tags.length * 12 + 4;
  tags.forEach(([tag, type, count, values], i) => {
    const at = ifd + 2 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, count, true);
    const size = type === 3 ? 2 : 4;
    let target = at + 8;
    if (size * count > 4) {
      view.setUint32(at + 8, spill, true);
      target = spill;
      spill += size * count;
    }
    values.forEach((v, k) =>
      size === 2 ? view.setUint16(target + 2 * k, v, true) : view.setUint32(target + 4 * k, v, true),
    );
  });
  return out;
}
