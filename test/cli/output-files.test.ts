/** Frame outputs appear together or not at all: full disks, links, existing files, SIGINT. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { convert } from '../../src/cli/convert';
import { writeOutputs, type OutputFs } from '../../src/cli/output-files';
import { fixturePath } from '../helpers/fixture';

const bytes = (text: string) => new TextEncoder().encode(text);
const frame = [
  { name: '000001_in.png', bytes: bytes('in') },
  { name: '000001_out.png', bytes: bytes('out') },
  { name: '000001_out.exr', bytes: bytes('hdr') },
];
const fresh = () => mkdtempSync(path.join(os.tmpdir(), 'hdr-out-'));
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** node:fs/promises, except that writing a file named `failing` fails with `error` after writing half of it. */
function fullDiskAt(failing: string, error: () => Error): OutputFs {
  return {
    ...nodeFs,
    open: (async (file: string, flags: string, mode: number) => {
      const handle = await nodeFs.open(file, flags, mode);
      if (!path.basename(file).startsWith(`.${failing}.`)) return handle;
      return Object.assign(Object.create(handle), {
        writeFile: async (data: Uint8Array) => {
          await handle.writeFile(data.subarray(0, data.length >> 1));
          throw error();
        },
        close: () => handle.close(),
      });
    }) as OutputFs['open'],
  };
}

describe('writeOutputs', () => {
  it('writes a frame under its final names and leaves no temporaries', async () => {
    const dir = fresh();
    const warn = jest.fn();
    const written = await writeOutputs(dir, frame, warn);
    expect(written).toEqual(frame.map((f) => path.join(dir, f.name)));
    expect(readdirSync(dir).sort()).toEqual(['000001_in.png', '000001_out.exr', '000001_out.png']);
    expect(readFileSync(path.join(dir, '000001_out.exr'), 'utf8')).toBe('hdr');
    expect(warn).not.toHaveBeenCalled();
  });

  it('flushes every file to disk before the first rename', async () => {
    const calls: string[] = [];
    const recording: OutputFs = {
      ...nodeFs,
      open: (async (file: string, flags: string, mode: number) => {
        const handle = await nodeFs.open(file, flags, mode);
        const name = path.basename(file).split('.tmp')[0];
        return Object.assign(Object.create(handle), {
          sync: async () => (calls.push(`sync ${name}`), handle.sync()),
          close: () => handle.close(),
        });
      }) as OutputFs['open'],
      rename: async (from, to) => (calls.push(`rename ${path.basename(String(to))}`), nodeFs.rename(from, to)),
    };
    await writeOutputs(fresh(), frame, jest.fn(), recording);
    expect(calls.map((c) => c.replace(/\.\d+-\d+$/, ''))).toEqual([
      'sync .000001_in.png',
      'sync .000001_out.png',
      'sync .000001_out.exr',
      'rename 000001_in.png',
      'rename 000001_out.png',
      'rename 000001_out.exr',
    ]);
  });

  it('on a full disk writes nothing, names the file, and leaves an earlier output as it was', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, '000001_in.png'), 'previous run');
    await expect(writeOutputs(dir, frame, jest.fn(), fullDiskAt('000001_out.exr', enospc))).rejects.toThrow(
      new Error(`${path.join(dir, '000001_out.exr')}: no space left on device`),
    );
    expect(readdirSync(dir)).toEqual(['000001_in.png']);
    expect(readFileSync(path.join(dir, '000001_in.png'), 'utf8')).toBe('previous run');
  });

  it('refuses a symbolic link at an output name, leaving its target and the folder untouched', async () => {
    const dir = fresh();
    const target = path.join(fresh(), 'precious.txt');
    writeFileSync(target, 'keep me');
    symlinkSync(target, path.join(dir, '000001_out.png'));
    await expect(writeOutputs(dir, frame, jest.fn())).rejects.toThrow(
      /000001_out\.png: is a symbolic link; refusing to replace it/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['000001_out.png']);
  });

  it('replaces existing outputs and says so', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, '000001_out.exr'), 'old');
    const warn = jest.fn();
    await writeOutputs(dir, frame, warn);
    expect(readFileSync(path.join(dir, '000001_out.exr'), 'utf8')).toBe('hdr');
    expect(warn).toHaveBeenCalledWith(`replaced existing 000001_out.exr in ${dir}`);
  });

  /** Runs STALLED_CHILD writing into a fresh folder; `stop` ends it once its third file stalls. */
  async function interrupted(mode: 'signal' | 'exit', stop: (child: ReturnType<typeof spawn>) => void) {
    const dir = fresh();
    const child = spawn(process.execPath, ['-e', STALLED_CHILD, dir, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    const said = new Promise<void>((resolve) =>
      child.stdout!.on('data', (d: Buffer) => d.includes('stalled') && resolve()),
    );
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (...r) => resolve(r)),
    );
    await said;
    const during = readdirSync(dir).length;
    stop(child);
    return { during, exit: await exited, after: readdirSync(dir) };
  }

  it('removes its temporaries when interrupted by SIGINT mid-frame', async () => {
    const { during, exit, after } = await interrupted('signal', (child) => child.kill('SIGINT'));
    expect(during).toBe(3); // two temporaries written, the third open
    expect(exit).toEqual([null, 'SIGINT']);
    expect(after).toEqual([]);
  });

  it('removes them too when something else calls process.exit mid-frame', async () => {
    // The child exits only when told, so that the folder is read while the frame is still stalled.
    const { during, exit, after } = await interrupted('exit', (child) => child.stdin!.end('exit\n'));
    expect(during).toBe(3);
    expect(exit).toEqual([3, null]);
    expect(after).toEqual([]);
  });
});

describe('convert', () => {
  it('writes its model the same way: a link at --out is refused and its target kept', async () => {
    const dir = fresh();
    const target = path.join(fresh(), 'precious.onnx');
    writeFileSync(target, 'keep me');
    symlinkSync(target, path.join(dir, 'hdrcnn.onnx'));
    await expect(convert(fixturePath('params.npz'), path.join(dir, 'hdrcnn.onnx'), false)).rejects.toThrow(
      /hdrcnn\.onnx: is a symbolic link/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    const out = path.join(fresh(), 'model.onnx');
    expect(await convert(fixturePath('params.npz'), out, false)).toBe(readFileSync(out).length);
    expect(readdirSync(path.dirname(out))).toEqual(['model.onnx']);
  });
});

/** The child: output-files.ts through the TypeScript compiler, writing a frame whose last write stalls. */
const STALLED_CHILD = `
const { readFileSync } = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
const fs = require('node:fs/promises');
const { writeOutputs } = require(${JSON.stringify(path.join(__dirname, '../../src/cli/output-files.ts'))});
const stalling = {
  ...fs,
  open: async (file, flags, mode) => {
    const handle = await fs.open(file, flags, mode);
    if (!file.includes('_out.exr')) return handle;
    const stall = () => {
      console.log('stalled');
      // 'exit': another part of the program ends it (as a CLI's own SIGINT handler might), when the test says.
      if (process.argv[2] === 'exit') process.stdin.once('data', () => process.exit(3));
      return new Promise(() => setInterval(() => {}, 1000));
    };
    return { writeFile: stall, close: () => handle.close() };
  },
};
const files = ['000001_in.png', '000001_out.png', '000001_out.exr'].map((name) => ({ name, bytes: Buffer.from(name) }));
writeOutputs(process.argv[1], files, console.warn, stalling);
`;
