/** A one-line progress display on stderr (a plain line per update when not a terminal). */
import type { ReconstructProgress } from '../core/reconstruct';

export function tileProgress(stream: NodeJS.WriteStream = process.stderr): (p: ReconstructProgress) => void {
  return ({ done, total, computed }) => {
    const line = `\ttiles ${done}/${total} (${computed} through the network)`;
    if (stream.isTTY) stream.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total) stream.write(`${line}\n`);
  };
}
