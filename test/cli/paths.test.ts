/** --im_dir and --out_dir are checked for what they are before use: nothing hangs, links are followed, loops named. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkOutDir, listInputs, makeOutDir } from '../../src/cli/paths';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hdr-paths-'));
const at = (...names: string[]) => path.join(dir, ...names);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(at('images', 'sub'), { recursive: true });
  writeFileSync(at('images', 'a.png'), 'pixels');
  writeFileSync(at('images', 'empty.png'), '');
  symlinkSync(at('images', 'a.png'), at('images', 'b-link.png'));
  symlinkSync(at('images', 'loop2'), at('images', 'loop1'));
  symlinkSync(at('images', 'loop1'), at('images', 'loop2'));
  symlinkSync(at('nothing'), at('images', 'dangling.png'));
  execFileSync('mkfifo', [at('images', 'fifo.png')]);
  execFileSync('mkfifo', [at('fifo')]);
  writeFileSync(at('file'), 'x');
});

describe('--im_dir', () => {
  it('a directory: its entries in name order, links followed, subdirectories left out, unreadable ones named', async () => {
    expect(await listInputs(at('images'))).toEqual([
      { file: at('images', 'a.png') },
      { file: at('images', 'b-link.png') },
      { file: at('images', 'dangling.png'), problem: 'a symbolic link to nothing' },
      { file: at('images', 'empty.png'), problem: 'an empty file' },
      { file: at('images', 'fifo.png'), problem: 'a FIFO' },
      { file: at('images', 'loop1'), problem: 'a symbolic link loop' },
      { file: at('images', 'loop2'), problem: 'a symbolic link loop' },
    ]);
  });

  it.each([
    ['fifo', /: a FIFO, not an image file or a directory$/],
    [path.join('images', 'loop1'), /: a symbolic link loop$/],
    ['missing', /: no such file or directory$/],
    [path.join('images', 'sub'), /: no files in it$/],
  ])('%s is refused with one line, without reading it', async (name, message) => {
    await expect(listInputs(at(name))).rejects.toThrow(message);
  });

  it('a /proc file (size 0, endless to read) is refused', async () => {
    await expect(listInputs('/proc/self/status')).rejects.toThrow(/an empty file/);
  });
});

describe('--out_dir', () => {
  it('an existing directory, or one that can be made, passes; nothing is created by the check', async () => {
    await checkOutDir(at('images'));
    await checkOutDir(at('new', 'deeper'));
    expect(existsSync(at('new'))).toBe(false);
    await makeOutDir(at('new', 'deeper'));
    expect(existsSync(at('new', 'deeper'))).toBe(true);
  });

  it.each([
    ['file', /is a file, not a directory$/],
    ['fifo', /is a FIFO, not a directory$/],
    [path.join('file', 'sub'), /a path through something that is not a directory$/],
    [path.join('images', 'loop1', 'x'), /a symbolic link loop/],
  ])('%s is refused', async (name, message) => {
    await expect(checkOutDir(at(name))).rejects.toThrow(message);
  });

  it('/proc/self/x is refused at once (recursive mkdir would spin there)', async () => {
    await expect(checkOutDir('/proc/self/x')).rejects.toThrow(/^--out_dir \/proc\/self\/x: /);
    await expect(makeOutDir('/proc/self/x')).rejects.toThrow(/cannot create \/proc\/self\/x/);
  });
});
