/**
 * Turns whatever the user points at into ONNX model bytes: an official
 * TensorLayer weights file (`.npz`, converted on the fly) or an already
 * converted `.onnx`. Recognised by content, not by name.
 */
import { buildHdrcnnOnnx, type BuildOptions } from './onnx-builder';
import { checkHdrcnnOnnx } from './onnx-check';
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

/** Model bytes from either an `.npz` (converted) or an `.onnx` file's contents (checked, as is). */
export function modelFromFile(bytes: Uint8Array): Uint8Array {
  return isNpz(bytes) ? convertWeights(bytes) : checkHdrcnnOnnx(bytes);
}
