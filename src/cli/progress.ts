/**
 * Per-frame progress on stderr. On a terminal: one cli-progress bar per frame (tiles done,
 * tiles computed, elapsed, time left), left in place as the frame's record. Elsewhere (logs,
 * pipes): one plain line per frame when it ends. Times come from an injected clock, so tests need no timers.
 */
import { Format, SingleBar } from 'cli-progress';
import type { ReconstructProgress } from '../core/reconstruct';

/** Milliseconds, monotonic. */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();

/** 7 s → "0:07", 65 s → "1:05", 3725 s → "1:02:05". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/**
 * The time left if the remaining tiles go as the finished ones did; undefined before the first
 * tile. Skipped tiles cost almost nothing, so this is rough while computed and skipped ones mix.
 */
export function timeLeft({ done, total }: ReconstructProgress, elapsedMs: number): number | undefined {
  return done === 0 ? undefined : (elapsedMs * (total - done)) / done;
}

/** "12/40 tiles, 5 computed, 0:04 elapsed, 0:09 left" */
export function progressText(p: ReconstructProgress, elapsedMs: number): string {
  const left = timeLeft(p, elapsedMs);
  const eta = p.done === p.total ? '' : `, ${left === undefined ? '?' : formatDuration(left)} left`;
  return `${p.done}/${p.total} tiles, ${p.computed} computed, ${formatDuration(elapsedMs)} elapsed${eta}`;
}

export interface FrameProgress {
  update(progress: ReconstructProgress): void;
  /** Ends the bar (also after a failure); returns the elapsed milliseconds. */
  finish(): number;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  readonly clock?: Clock;
}

export function frameProgress(
  label: string,
  { stream = process.stderr, clock = monotonicClock }: ProgressOptions = {},
): FrameProgress {
  const started = clock();
  let last: ReconstructProgress = { done: 0, total: 0, computed: 0 };
  const bar = stream.isTTY
    ? new SingleBar({
        stream,
        format: (options, params) =>
          `${label} ${Format.BarFormat(params.progress, options)} ${progressText(last, clock() - started)}`,
        barsize: 24,
        barCompleteChar: '\u2588',
        barIncompleteChar: '\u2591',
        hideCursor: false,
        linewrap: false,
        // No SIGINT/SIGTERM handlers of its own: the CLI decides what an interrupt does.
        gracefulExit: false,
      })
    : undefined;
  let running = false;
  return {
    update(progress) {
      last = progress;
      if (!bar) return;
      if (!running) {
        bar.start(progress.total, progress.done);
        running = true;
      }
      bar.update(progress.done);
    },
    finish() {
      const elapsed = clock() - started;
      if (running)
        bar!.stop(); // draws the last state, ends the line, stops the redraw timer
      else if (!bar && last.total > 0) stream.write(`${label}: ${progressText(last, elapsed)}\n`);
      return elapsed;
    },
  };
}
