/** The CLI end to end on the fixture: convert, predict (PFM, EXR, HDR), read the results back. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { readExr } from '../../tools/exr-input';
import { fixturePath, maxRelativeError, readNpyFloat32 } from '../helpers/fixture';
import { decodePfm } from '../helpers/pfm';

describe('hdr-reconstruct CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-cli-'));
  const model = path.join(dir, 'model', 'hdrcnn.onnx');
  const images = path.join(dir, 'images');
  let log: jest.SpyInstance, warn: jest.SpyInstance;

  beforeAll(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    mkdirSync(images);
    copyFileSync(fixturePath('input.png'), path.join(images, 'a.png'));
    writeFileSync(path.join(images, 'b.png'), 'not an image');
  });
  afterAll(() => jest.restoreAllMocks());

  it('converts the TensorLayer .npz to ONNX', async () => {
    expect(await main(['convert', '--params', fixturePath('params.npz'), '--out', model])).toBe(0);
    expect(readFileSync(model).length).toBeGreaterThan(1e6);
  });

  it('predicts at full resolution from the converted model: PFM equals the golden output', async () => {
    const out = path.join(dir, 'pfm');
    expect(await main(['predict', '--params', model, '--im_dir', images, '--out_dir', out, '--full-res', '--format', 'pfm', '--gamma', '1.2'])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['000001_in.png', '000001_out.pfm', '000001_out.png']);
    const hdr = decodePfm(new Uint8Array(readFileSync(path.join(out, '000001_out.pfm'))));
    expect([hdr.width, hdr.height]).toEqual([96, 64]);
    expect(maxRelativeError(hdr.data, readNpyFloat32(fixturePath('expected_gamma_1_2.npy')).data)).toBeLessThan(1e-3);
    // The unreadable file warned and the run went on; the saturated share was printed.
    expect(warn.mock.calls.flat().join('\n')).toMatch(/Failed reading LDR image/);
    expect(log.mock.calls.flat().join('\n')).toMatch(/Saturation: 15\.10%/);
  });

  it('writes half-float EXR straight from the .npz, top row first', async () => {
    const out = path.join(dir, 'exr');
    expect(await main(['predict', '--params', fixturePath('params.npz'), '--im_dir', path.join(images, 'a.png'), '--out_dir', out, '--full-res'])).toBe(0);
    const exr = readExr(path.join(out, '000001_out.exr'));
    const expected = readNpyFloat32(fixturePath('expected_gamma_1_0.npy')).data;
    expect([exr.width, exr.height]).toEqual([96, 64]);
    expect(maxRelativeError(exr.data, expected)).toBeLessThan(1e-3); // half float: 2^-11 relative
  });

  it('resizes to the rounded prediction size with a warning, as the seed does', async () => {
    const out = path.join(dir, 'resized');
    expect(await main(['predict', '--params', model, '--im_dir', path.join(images, 'a.png'), '--out_dir', out, '--width', '70', '--height', '40', '--format', 'hdr'])).toBe(0);
    expect(warn.mock.calls.flat().join('\n')).toMatch(/changed from 70x40 pixels to 64x32/);
    const header = readFileSync(path.join(out, '000001_out.hdr')).subarray(0, 60).toString('latin1');
    expect(header).toContain('-Y 32 +X 64');
  });

  it('says clearly what is wrong with missing inputs and hostile weights', async () => {
    await expect(main(['predict', '--params', path.join(dir, 'nope.npz'), '--im_dir', images])).rejects.toThrow(/--params .*nope\.npz: cannot read the weights/);
    await expect(main(['predict', '--params', model, '--im_dir', path.join(dir, 'missing')])).rejects.toThrow(/--im_dir .*missing: no such file or directory/);
    const truncated = path.join(dir, 'truncated.npz');
    writeFileSync(truncated, readFileSync(fixturePath('params.npz')).subarray(0, 5000));
    await expect(main(['convert', '--params', truncated, '--out', path.join(dir, 'x.onnx')])).rejects.toThrow(/npz|zip/i);
  });

  it('refuses unknown commands and formats with a usage error', async () => {
    await expect(main(['frobnicate'])).rejects.toThrow(/unknown command/);
    await expect(main(['predict', '--format', 'tga'])).rejects.toThrow(/--format must be one of exr, hdr, pfm/);
  });
});
