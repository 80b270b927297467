/**
 * Turns whatever the user points at into ONNX model bytes: an official
 * TensorLayer weights file (`.npz`, converted on the fly) or an already
 * converted `.onnx`. Recognised by content, not by name.
 */
import { onnx } from 'onnx-proto';
import { MODEL_INPUT, MODEL_OUTPUT } from '../core/hdrcnn';
import { WeightsFormatError } from './errors';
import { buildHdrcnnOnnx, type BuildOptions } from './onnx-builder';
import { parseHdrcnnParams } from './hdrcnn-structure';
import { readParamsFile } from './params-file';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isNpz(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Official `.npz` weights → ONNX model bytes, with the structure checked. */
export function convertWeights(npz: Uint8Array, options: BuildOptions = {}): Uint8Array {
  return buildHdrcnnOnnx(parseHdrcnnParams(readParamsFile(npz)), options);
}

/** Model bytes from either an `.npz` (converted) or an `.onnx` file's contents (as is, once it reads as our model). */
export function modelFromFile(bytes: Uint8Array): Uint8Array {
  if (isNpz(bytes)) return convertWeights(bytes);
  checkOnnxModel(bytes);
  return bytes;
}

/** An ONNX model with the graph input and output this project's models have (see onnx-builder.ts); else WeightsFormatError. */
export function checkOnnxModel(bytes: Uint8Array): void {
  let graph: onnx.IGraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(bytes).graph;
  } catch (e) {
    throw new WeightsFormatError(`neither an .npz nor an ONNX model (${(e as Error).message})`);
  }
  const names = (list: onnx.IValueInfoProto[] | null | undefined) => (list ?? []).map((v) => v.name);
  if (!graph || !names(graph.input).includes(MODEL_INPUT) || !names(graph.output).includes(MODEL_OUTPUT)) {
    throw new WeightsFormatError(`an ONNX model without the '${MODEL_INPUT}' input and '${MODEL_OUTPUT}' output of an HDRCNN model`);
  }
}
