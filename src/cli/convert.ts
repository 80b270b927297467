/** `hdr-reconstruct convert`: official `.npz` weights → ONNX model file. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convertWeights } from '../weights/load-model';

export async function convert(params: string, out: string, fp16: boolean): Promise<number> {
  const model = convertWeights(await readFile(params), { fp16 });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, model);
  return model.length;
}
