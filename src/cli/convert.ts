/** `hdr-reconstruct convert`: official `.npz` weights → ONNX model file. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { convertWeights } from '../weights/load-model';
import { writeOutputs } from './output-files';

/** Writes the model under a temporary name and renames it: `out` is complete or absent. */
export async function convert(
  params: string,
  out: string,
  fp16: boolean,
  warn = (message: string) => console.warn(`Warning: ${message}`),
): Promise<number> {
  const model = convertWeights(await readFile(params), { fp16 });
  await mkdir(path.dirname(out), { recursive: true });
  await writeOutputs(path.dirname(out), [{ name: path.basename(out), bytes: model }], warn);
  return model.length;
}
