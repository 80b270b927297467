/**
 * The fixed plan's tiles as a pipeline one tile deep: while the engine runs tile t, tile t+1
 * has been read and its engine work issued (the engine queues it and never idles between
 * tiles), and tile t is written as soon as its answer comes. Host calls (read, write) never
 * overlap one another, since Photoshop's imaging calls are not documented as safe to
 * interleave, and writes keep tile order: only the engine's work runs alongside them. Memory
 * is at most two tiles' windows and one core.
 *
 * One signal runs through it all, the caller's: on its abort, or on any failure, the work
 * issued ahead is cancelled too (through a signal linked to the caller's), nothing more is
 * written, and the run rejects once the host call in progress has settled, so nothing
 * touches the document after the caller's modal scope ends. It rejects with CancelledError
 * when the caller cancelled, otherwise with the first failure.
 */
import { CancelledError, LinkedCancelSource, throwIfCancelled, type CancelSignal } from './cancellation';

export interface TileSteps<Read, Result> {
  readonly count: number;
  /** Host call: the source over tile t's window. */
  read(t: number): Promise<Read> | Read;
  /** Issues tile t's engine work before it returns; resolves with what to write. */
  compute(t: number, read: Read, signal: CancelSignal): Promise<Result>;
  /** Host call: writes tile t. */
  write(t: number, result: Result): Promise<void> | void;
}

export async function pipeTiles<Read, Result>(steps: TileSteps<Read, Result>, signal?: CancelSignal): Promise<void> {
  const own = new LinkedCancelSource(signal);
  let first: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    first ??= { error };
    own.cancel();
  };
  // Wrapped in an object: an async function returning the promise itself would wait for it.
  const start = async (t: number): Promise<{ result: Promise<Result> }> => {
    throwIfCancelled(own.signal);
    const read = await steps.read(t);
    throwIfCancelled(own.signal);
    const result = steps.compute(t, read, own.signal);
    // Watched at once: a failing tile stops the run while the loop still waits on a host call.
    result.catch(fail);
    return { result };
  };
  try {
    let next = steps.count > 0 ? await start(0) : undefined;
    for (let t = 0; t < steps.count; t++) {
      const current = next!;
      next = t + 1 < steps.count ? await start(t + 1) : undefined;
      const result = await current.result;
      throwIfCancelled(own.signal); // a failure of the tile ahead: nothing more is written
      await steps.write(t, result);
    }
  } catch (e) {
    fail(e);
    throw signal?.aborted ? new CancelledError() : first!.error;
  } finally {
    own.dispose();
  }
}
