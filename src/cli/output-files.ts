/**
 * Writes a frame's output files so that they appear together, complete, or not at all.
 *
 * Each file is written to a temporary name in the output folder itself (so the final
 * rename stays on one file system), created exclusively (`wx`: never through an existing
 * name or link), flushed to disk and closed; only when every file of the frame is written
 * are they renamed into place, the last one (the HDR result) last. A failure, a SIGINT/SIGTERM
 * or a process.exit() before that removes the temporaries and leaves the folder as it was.
 *
 * A symbolic link at a final name is refused rather than replaced: rename() would replace
 * the link, not write through it, so its target is safe either way, but whatever the link
 * was meant for would silently break. Replacing existing regular files is what a rerun does
 * (the seed overwrites too), so it is allowed and said.
 */
import { unlinkSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';

export interface OutputFile {
  /** File name inside the output folder. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The file-system calls used, so that tests can inject a full disk. */
export type OutputFs = Pick<typeof nodeFs, 'open' | 'rename' | 'unlink' | 'lstat'>;

/** What the common write errors mean, for a line that names the file. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ENOENT: 'the output folder does not exist',
  EIO: 'input/output error',
};

/** `file: reason` for a failed write; the temporary name never shows. */
export function outputError(file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new Error(`${file}: ${reason}`);
}

/** Temporaries not yet renamed, across concurrent frames: what a signal must remove. */
const pending = new Set<string>();
let sequence = 0;

/** Synchronous, so that it also works in an 'exit' listener (another handler may call process.exit). */
function removePending(): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to remove.
    }
  }
  pending.clear();
  watchSignals(false);
}

function removePendingAndDie(signal: NodeJS.Signals): void {
  removePending();
  // With no other handler left, die of the signal as the default action would (exit 130 for SIGINT).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
let watching = false;
/** Handlers are installed only while temporaries exist, so the CLI's own signal handling is otherwise untouched. */
function watchSignals(on: boolean): void {
  if (on === watching) return;
  watching = on;
  for (const signal of SIGNALS) {
    if (on) process.on(signal, removePendingAndDie);
    else process.off(signal, removePendingAndDie);
  }
  if (on) process.on('exit', removePending);
  else process.off('exit', removePending);
}

async function remove(fs: OutputFs, file: string): Promise<void> {
  await fs.unlink(file).catch(() => undefined);
  pending.delete(file);
  if (pending.size === 0) watchSignals(false);
}

async function writeTemporary(fs: OutputFs, final: string, bytes: Uint8Array): Promise<string> {
  const temporary = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}-${++sequence}.tmp`);
  pending.add(temporary);
  watchSignals(true);
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(temporary, 'wx', 0o644); // exclusive: fails on any existing name, link or not
    await handle.writeFile(bytes);
    await handle.sync(); // a crash after the rename then leaves the new file, never an empty one
    await handle.close();
    handle = undefined;
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await remove(fs, temporary);
    throw outputError(final, e);
  }
  return temporary;
}

/**
 * Writes `files` into `dir` and renames them into place together; returns their paths.
 * Refuses (before writing anything) when a final name is a link or not a regular file;
 * warns when it replaces existing files.
 */
export async function writeOutputs(
  dir: string,
  files: readonly OutputFile[],
  warn: (message: string) => void,
  fs: OutputFs = nodeFs,
): Promise<string[]> {
  const finals = files.map((f) => path.join(dir, f.name));
  const existing: string[] = [];
  for (const final of finals) {
    const info = await fs.lstat(final).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw outputError(final, e);
    });
    if (!info) continue;
    if (info.isSymbolicLink())
      throw new Error(`${final}: is a symbolic link; refusing to replace it (remove it or choose another --out_dir)`);
    if (!info.isFile()) throw new Error(`${final}: exists and is not a regular file`);
    existing.push(path.basename(final));
  }
  const temporaries: string[] = [];
  try {
    for (const [i, file] of files.entries()) temporaries.push(await writeTemporary(fs, finals[i], file.bytes));
    for (const [i, temporary] of temporaries.entries()) {
      await fs.rename(temporary, finals[i]).catch((e: unknown) => {
        throw outputError(finals[i], e);
      });
      pending.delete(temporary);
    }
  } finally {
    for (const temporary of temporaries) if (pending.has(temporary)) await remove(fs, temporary);
    if (pending.size === 0) watchSignals(false);
  }
  if (existing.length) warn(`replaced existing ${existing.join(', ')} in ${dir}`);
  return finals;
}
