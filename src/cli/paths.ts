/**
 * `--im_dir` and `--out_dir`, checked for what they are before anything reads or writes them:
 * a FIFO or device would block a reader forever, and Node's recursive mkdir spins on paths
 * like /proc/self/x. Symbolic links are followed; a loop or a dangling link is named as such.
 */
import { access, constants, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

/** One input, at its position in the run; `problem` says why it cannot be read. */
export interface InputEntry {
  readonly file: string;
  readonly problem?: string;
}

function kind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A stat failure in words: loops and dangling links are not "no such file". */
function statProblem(e: NodeJS.ErrnoException, linked: boolean): string {
  switch (e.code) {
    case 'ELOOP':
      return 'a symbolic link loop';
    case 'ENOENT':
      return linked ? 'a symbolic link to nothing' : 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a path through something that is not a directory';
    default:
      return e.message;
  }
}

const isLink = (file: string): Promise<boolean> =>
  lstat(file).then(
    (l) => l.isSymbolicLink(),
    () => false,
  );

/** What a regular file or a link to one can be; undefined when it can be read as an image. */
function fileProblem(info: Stats): string | undefined {
  if (!info.isFile()) return kind(info);
  // Empty, or a /proc-style file whose size says nothing: neither is an image.
  if (info.size === 0) return 'an empty file';
  return undefined;
}

/**
 * The inputs: `imDir` itself when it is a file, else its entries in name order (the seed's
 * order), links followed, subdirectories left out. Throws, with one line, when `imDir` is unusable.
 */
export async function listInputs(imDir: string): Promise<InputEntry[]> {
  let info: Stats;
  try {
    info = await stat(imDir);
  } catch (e) {
    throw new Error(`--im_dir ${imDir}: ${statProblem(e as NodeJS.ErrnoException, await isLink(imDir))}`);
  }
  if (!info.isDirectory()) {
    const problem = fileProblem(info);
    if (problem) throw new Error(`--im_dir ${imDir}: ${problem}, not an image file or a directory`);
    return [{ file: imDir }];
  }
  const entries: InputEntry[] = [];
  for (const name of (await readdir(imDir)).sort()) {
    const file = path.join(imDir, name);
    try {
      const entry = await stat(file);
      if (entry.isDirectory()) continue;
      entries.push({ file, problem: fileProblem(entry) });
    } catch (e) {
      entries.push({ file, problem: statProblem(e as NodeJS.ErrnoException, await isLink(file)) });
    }
  }
  if (entries.length === 0) throw new Error(`--im_dir ${imDir}: no files in it`);
  return entries;
}

/**
 * Checks that `outDir` is a directory, or can be made one: its nearest existing ancestor is a
 * writable directory. Creates nothing, so a run refused later leaves no trace.
 */
export async function checkOutDir(outDir: string): Promise<void> {
  for (let dir = path.resolve(outDir); ; dir = path.dirname(dir)) {
    let info: Stats;
    try {
      info = await stat(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !(await isLink(dir)) && dir !== path.dirname(dir)) continue;
      throw new Error(
        `--out_dir ${outDir}: ${statProblem(e as NodeJS.ErrnoException, true)}` +
          (dir === path.resolve(outDir) ? '' : ` (at ${dir})`),
      );
    }
    if (!info.isDirectory())
      throw new Error(`--out_dir ${outDir}: ${dir} is ${info.isFile() ? 'a file' : kind(info)}, not a directory`);
    await access(dir, constants.W_OK).catch(() => {
      throw new Error(`--out_dir ${outDir}: ${dir} is not writable`);
    });
    return;
  }
}

/** Creates `outDir` one level at a time (not `recursive`, which can spin on /proc paths). */
export async function makeOutDir(outDir: string): Promise<void> {
  const dir = path.resolve(outDir);
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (exists) return;
  if (path.dirname(dir) !== dir) await makeOutDir(path.dirname(dir));
  await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw new Error(`--out_dir ${outDir}: cannot create ${dir} (${e.code ?? e.message})`);
  });
}
