/** The CLI's conventions: --help and --version, per-command options, values refused at parse time, exit codes. */
import os from 'node:os';
import { main } from '../../src/cli/main';
import { captureIo } from '../helpers/cli-io';

async function run(...args: string[]) {
  const cli = captureIo();
  const code = await main(args, cli.io);
  return { code, out: cli.out(), err: cli.err() };
}

describe('help and version', () => {
  it.each([['--help'], ['-h']])('%s on the tool lists the commands and an example, exit 0', async (flag) => {
    const { code, out, err } = await run(flag);
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/^Usage: hdr-reconstruct \[options\] \[command\]/);
    expect(out).toMatch(/\n {2}predict \[options\] +Reconstruct HDR/);
    expect(out).toMatch(/\n {2}convert \[options\] +Convert the official/);
    expect(out).toMatch(/Examples:\n {2}hdr-reconstruct predict --params/);
  });

  it('predict --help: every option with its meaning and default, and an example', async () => {
    const { code, out } = await run('predict', '--help');
    expect(code).toBe(0);
    const flags = [
      '--params',
      '--im_dir',
      '--out_dir',
      '--width',
      '--height',
      '--full-res',
      '--scaling',
      '--gamma',
      '--format',
      '--exr-float',
      '--tile-size',
      '--tile-margin',
      '--threads',
    ];
    for (const flag of flags) expect(out).toMatch(new RegExp(`\\n {2}${flag}\\b`));
    expect(out).toMatch(/--gamma <g> +compute f\(x\^\(1\/g\)\)\^g[^]*?\(default: 1\)/);
    expect(out).toMatch(/--format <f> +HDR output format \(choices: "exr", "hdr", "pfm",\s+"jpg", default: "exr"\)/);
    expect(out).toMatch(/--tile-size <px>[^]*?\(default: 256\)/);
    expect(out).toContain(`1 to ${os.availableParallelism()} (the cores)`);
    expect(out).toMatch(/Examples:\n {2}hdr-reconstruct predict/);
  });

  it('convert -h shows only convert options', async () => {
    const { code, out } = await run('convert', '-h');
    expect(code).toBe(0);
    expect(out).toMatch(/--out <file> +the ONNX model to write \(default: "model\/hdrcnn\.onnx"\)/);
    expect(out).not.toContain('--gamma');
  });

  it('--version prints the package version', async () => {
    expect(await run('--version')).toEqual({ code: 0, out: `${require('../../package.json').version}\n`, err: '' });
  });
});

describe('usage errors: exit 2, one line, before anything is read', () => {
  // --params names no file: had any model been loaded first, these would fail with exit 1 instead.
  const predict = (...args: string[]) =>
    run('predict', '--params', '/nonexistent.npz', '--im_dir', '/nonexistent', ...args);
  it.each([
    [['--gamma', ''], /option '--gamma <g>' argument '' is invalid\. Expected a decimal number\./],
    [['--gamma', '0x10'], /argument '0x10' is invalid\. Expected a decimal number\./],
    [['--gamma', '0'], /argument '0' is invalid\. It must be greater than 0\./],
    [['--scaling', '-1'], /argument '-1' is invalid\. It must be greater than 0\./],
    [['--tile-size', '31'], /argument '31' is invalid\. It must be a whole number from 32 up\./],
    [['--tile-size', '48'], /argument '48' is invalid\. It must be a multiple of 32/],
    [['--tile-margin', '-32'], /argument '-32' is invalid\. It must be a whole number from 0 up\./],
    [['--width', '1e400'], /argument '1e400' is invalid\. Expected a decimal number\./],
    [
      ['--threads', '100000'],
      new RegExp(
        `argument '100000' is invalid\\. It must be a whole number from 1 to ${os.availableParallelism()} \\(the cores\\)`,
      ),
    ],
    [['--threads', '0'], /argument '0' is invalid/],
    [['--format', 'tga'], /argument 'tga' is invalid\. Allowed choices are exr, hdr, pfm, jpg\./],
    [['--fp16'], /unknown option '--fp16'/],
    [['--gama', '1'], /unknown option '--gama' \(Did you mean --gamma\?\)/],
    [['extra'], /too many arguments for 'predict'/],
  ])('predict %j', async (args, message) => {
    const { code, out, err } = await predict(...args);
    expect([code, out]).toEqual([2, '']);
    expect(err).toMatch(message);
    expect(err).toMatch(/^error: .* \(see 'hdr-reconstruct predict --help'\)\n$/);
  });

  it('an option of the other command is refused: convert --gamma', async () => {
    const { code, err } = await run('convert', '--gamma', '2');
    expect(code).toBe(2);
    expect(err).toBe("error: unknown option '--gamma' (see 'hdr-reconstruct convert --help')\n");
  });

  it('unknown command, and no command', async () => {
    expect(await run('frobnicate')).toEqual({
      code: 2,
      out: '',
      err: "error: unknown command 'frobnicate' (see 'hdr-reconstruct --help')\n",
    });
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^Usage: hdr-reconstruct/); // the tool's help, on stderr
  });
});
