/** The CLI's output captured for a test: what it printed to stdout and stderr, and a progress display that records. */
import type { CliIo } from '../../src/cli/main';
import type { ReconstructProgress } from '../../src/core/reconstruct';

export interface CapturedIo {
  readonly io: CliIo;
  out(): string;
  err(): string;
  /** Per frame label, every progress update it got. */
  readonly progress: Map<string, ReconstructProgress[]>;
}

export function captureIo(): CapturedIo {
  let out = '',
    err = '';
  const progress = new Map<string, ReconstructProgress[]>();
  return {
    io: {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      progress: (label) => {
        const updates: ReconstructProgress[] = [];
        progress.set(label.trim(), updates);
        return { update: (p) => void updates.push(p), finish: () => 0 };
      },
    },
    out: () => out,
    err: () => err,
    progress,
  };
}
