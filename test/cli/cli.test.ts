/** The CLI end to end on the fixture: convert, predict (PFM, EXR, HDR), read the results back. */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { main } from '../../src/cli/main';
import { readExr } from '../../tools/exr-input';
import { captureIo } from '../helpers/cli-io';
import { fixturePath, maxRelativeError, readNpyFloat32 } from '../helpers/fixture';
import { decodePfm } from '../helpers/pfm';

describe('hdr-reconstruct CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-cli-'));
  const model = path.join(dir, 'model', 'hdrcnn.onnx');
  const images = path.join(dir, 'images');
  const photo = path.join(images, 'a.png');

  beforeAll(() => {
    mkdirSync(images);
    copyFileSync(fixturePath('input.png'), photo);
    writeFileSync(path.join(images, 'b.png'), 'not an image');
    symlinkSync(photo, path.join(images, 'c.png')); // a link to an image is an image
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts the TensorLayer .npz to ONNX', async () => {
    const { io, out } = captureIo();
    expect(await main(['convert', '--params', fixturePath('params.npz'), '--out', model], io)).toBe(0);
    expect(readFileSync(model).length).toBeGreaterThan(1e6);
    expect(out()).toMatch(/^Wrote .*hdrcnn\.onnx \(\d+\.\d MiB, float32 weights\)\n$/);
  });

  it('predicts at full resolution: PFM equals the golden output; a failed input exits 1, names the file, keeps the numbering', async () => {
    const out = path.join(dir, 'pfm');
    const cli = captureIo();
    const args = [
      'predict',
      '--params',
      model,
      '--im_dir',
      images,
      '--out_dir',
      out,
      '--full-res',
      '--format',
      'pfm',
      '--gamma',
      '1.2',
    ];
    expect(await main(args, cli.io)).toBe(1);
    // Outputs are numbered by input position: c.png, the third input, is 000003 after b.png failed.
    expect(readdirSync(out).sort()).toEqual([
      '000001_in.png',
      '000001_out.pfm',
      '000001_out.png',
      '000003_in.png',
      '000003_out.pfm',
      '000003_out.png',
    ]);
    const expected = readNpyFloat32(fixturePath('expected_gamma_1_2.npy')).data;
    for (const k of ['000001', '000003']) {
      const hdr = decodePfm(new Uint8Array(readFileSync(path.join(out, `${k}_out.pfm`))));
      expect([hdr.width, hdr.height]).toEqual([96, 64]);
      expect(maxRelativeError(hdr.data, expected)).toBeLessThan(1e-3);
    }
    expect(cli.out()).toMatch(/Saturation: 15\.10%/);
    expect(cli.err()).toContain(`Failed reading LDR image ${path.join(images, 'b.png')}`);
    expect(cli.err()).toMatch(/Error: 1 of 3 input\(s\) failed: .*b\.png \(.+\)\n$/);
    // One progress display per frame, ending with every tile done.
    expect(cli.progress.get('a.png')!.at(-1)).toMatchObject({ done: 1, total: 1 });
  });

  it('writes an RGB half-float EXR straight from the .npz, top row first', async () => {
    const out = path.join(dir, 'exr');
    expect(
      await main(
        ['predict', '--params', fixturePath('params.npz'), '--im_dir', photo, '--out_dir', out, '--full-res'],
        captureIo().io,
      ),
    ).toBe(0);
    const exr = readExr(path.join(out, '000001_out.exr'));
    expect(exr.channels).toEqual(['B', 'G', 'R']);
    expect(exr.pixelType).toBe(1); // half
    expect([exr.width, exr.height]).toEqual([96, 64]);
    expect(maxRelativeError(exr.data, readNpyFloat32(fixturePath('expected_gamma_1_0.npy')).data)).toBeLessThan(1e-3); // 2^-11
  });

  it('--exr-float, and RGBA when the input has transparency', async () => {
    const out = path.join(dir, 'rgba');
    const transparent = path.join(dir, 'transparent.png');
    const { data, info } = await sharp(photo).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let p = 0; p < info.width * 8; p++) data[4 * p + 3] = 0; // the top 8 rows transparent
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .png()
      .toFile(transparent);
    expect(
      await main(
        ['predict', '--params', model, '--im_dir', transparent, '--out_dir', out, '--full-res', '--exr-float'],
        captureIo().io,
      ),
    ).toBe(0);
    const exr = readExr(path.join(out, '000001_out.exr'));
    expect(exr.channels).toEqual(['A', 'B', 'G', 'R']);
    expect(exr.pixelType).toBe(2); // float
    expect([exr.alpha![0], exr.alpha![96 * 8 - 1], exr.alpha![96 * 8]]).toEqual([0, 0, 1]);
    // Transparent pixels are black for the network: the colour equals an opaque run whose top rows are black.
    const blackTop = path.join(dir, 'black-top.png');
    for (let p = 0; p < info.width * 8; p++) data.fill(0, 4 * p, 4 * p + 3);
    for (let p = 0; p < info.width * info.height; p++) data[4 * p + 3] = 255;
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .png()
      .toFile(blackTop);
    const opaqueOut = path.join(dir, 'black-top');
    const args = [
      'predict',
      '--params',
      model,
      '--im_dir',
      blackTop,
      '--out_dir',
      opaqueOut,
      '--full-res',
      '--exr-float',
    ];
    expect(await main(args, captureIo().io)).toBe(0);
    const opaque = readExr(path.join(opaqueOut, '000001_out.exr'));
    expect(opaque.channels).toEqual(['B', 'G', 'R']);
    expect(maxRelativeError(exr.data, opaque.data)).toBeLessThan(1e-6);
  });

  it('resizes to the rounded prediction size with a warning, as the seed does', async () => {
    const out = path.join(dir, 'resized');
    const cli = captureIo();
    expect(
      await main(
        [
          'predict',
          '--params',
          model,
          '--im_dir',
          photo,
          '--out_dir',
          out,
          '--width',
          '70',
          '--height',
          '40',
          '--format',
          'hdr',
        ],
        cli.io,
      ),
    ).toBe(0);
    expect(cli.err()).toMatch(/changed from 70x40 pixels to 64x32/);
    const header = readFileSync(path.join(out, '000001_out.hdr')).subarray(0, 60).toString('latin1');
    expect(header).toContain('-Y 32 +X 64');
  });

  it('runtime failures exit 1 with one line naming what is wrong, and write nothing', async () => {
    const truncated = path.join(dir, 'truncated.npz');
    writeFileSync(truncated, readFileSync(fixturePath('params.npz')).subarray(0, 5000));
    const cases: Array<[string[], RegExp]> = [
      [
        ['predict', '--params', path.join(dir, 'nope.npz'), '--im_dir', images, '--out_dir', path.join(dir, 'o1')],
        /^Error: --params .*nope\.npz: cannot read the weights/,
      ],
      [
        ['predict', '--params', model, '--im_dir', path.join(dir, 'missing'), '--out_dir', path.join(dir, 'o2')],
        /^Error: --im_dir .*missing: no such file or directory\n$/,
      ],
      [['convert', '--params', truncated, '--out', path.join(dir, 'x.onnx')], /^Error: .*(npz|zip)/i],
    ];
    for (const [args, message] of cases) {
      const cli = captureIo();
      expect(await main(args, cli.io)).toBe(1);
      expect(cli.err()).toMatch(message);
      expect(cli.err().trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(dir)).not.toEqual(expect.arrayContaining(['o1', 'o2', 'x.onnx']));
  });
});
