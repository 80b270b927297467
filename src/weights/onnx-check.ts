/**
 * Checks an ONNX model file against what the tile loop needs from HDRCNN, before any
 * session is made: one float input {@link MODEL_INPUT} and one float output
 * {@link MODEL_OUTPUT}, both 1×3×H×W with free H and W, and only operators from a fixed set
 * of convolution, pooling, element-wise and shape operators in the default domain. Control
 * flow (Loop, If, Scan), subgraphs, local functions, custom domains and external data are
 * refused: none is needed to compute HDRCNN, and a Loop can run for ever.
 */
import { onnx } from 'onnx-proto';
import { MODEL_INPUT, MODEL_OUTPUT } from '../core/hdrcnn';
import { WeightsFormatError } from './errors';

/** What HDRCNN and its usual conversions (ours, tf2onnx-style graphs in NCHW) are made of. */
// prettier-ignore
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'BatchNormalization', 'InstanceNormalization',
  'Relu', 'LeakyRelu', 'Elu', 'Sigmoid', 'Tanh', 'Clip',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Log', 'Exp', 'Abs', 'Neg', 'Max', 'Min',
  'Concat', 'Split', 'Slice', 'Pad', 'DepthToSpace', 'SpaceToDepth', 'Resize', 'Upsample',
  'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Shape', 'Gather', 'Identity', 'Cast', 'Constant',
]);

const fail = (what: string) => new WeightsFormatError(`the ONNX model ${what}`);

/** Throws a WeightsFormatError saying what does not fit; returns the bytes unchanged. */
export function checkHdrcnnOnnx(bytes: Uint8Array): Uint8Array {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new WeightsFormatError(
      `not an HDRCNN weights file (.npz) or ONNX model: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const graph = model.graph;
  if (!graph) throw new WeightsFormatError('not an HDRCNN weights file (.npz) or ONNX model: no graph');
  if (model.functions?.length)
    throw fail(`defines ${model.functions.length} local function(s); only plain graphs are accepted`);
  const [initializer, inputs, outputs, nodes] = [
    graph.initializer ?? [],
    graph.input ?? [],
    graph.output ?? [],
    graph.node ?? [],
  ];
  const initialisers = new Set(initializer.map((t) => t.name));
  for (const t of initializer) {
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
      throw fail(`keeps initializer ${JSON.stringify(t.name)} in an external file`);
  }
  // Older IR versions also list initialisers among the inputs.
  checkImage(
    inputs.filter((v) => !initialisers.has(v.name)),
    MODEL_INPUT,
    'input',
  );
  checkImage(outputs, MODEL_OUTPUT, 'output');
  for (const node of nodes) {
    const opType = node.opType ?? '';
    const where = `node ${JSON.stringify((node.name || node.output?.[0] || '?').slice(0, 80))}`;
    if (node.domain && node.domain !== 'ai.onnx')
      throw fail(`uses operator ${node.domain}.${opType} (${where}); only standard ONNX operators are accepted`);
    if (!ALLOWED_OPERATORS.has(opType))
      throw fail(`uses operator ${JSON.stringify(opType.slice(0, 40))} (${where}), which HDRCNN does not need`);
    const graphs = (node.attribute ?? []).find(
      (a) => a.type === onnx.AttributeProto.AttributeType.GRAPH || a.type === onnx.AttributeProto.AttributeType.GRAPHS,
    );
    if (graphs) throw fail(`has a subgraph in attribute '${graphs.name}' of ${where}`);
  }
  return bytes;
}

/** Exactly one value, named `name`, float, 1×3×H×W with H and W free. */
function checkImage(values: onnx.IValueInfoProto[], name: string, what: string): void {
  const names =
    values
      .slice(0, 8)
      .map((v) => JSON.stringify((v.name ?? '').slice(0, 40)))
      .join(', ') || 'none';
  if (values.length !== 1 || values[0].name !== name)
    throw fail(`has ${what}s ${names}; HDRCNN needs one ${what} named "${name}"`);
  const tensor = values[0].type?.tensorType;
  if (!tensor || tensor.elemType !== onnx.TensorProto.DataType.FLOAT)
    throw fail(`${what} "${name}" is not a float32 tensor`);
  const dims = (tensor.shape?.dim ?? []).map((d) =>
    d.dimValue != null && Number(d.dimValue) > 0 ? String(d.dimValue) : d.dimParam || '?',
  );
  const fixed = (i: number) => tensor.shape!.dim![i].dimValue != null && Number(tensor.shape!.dim![i].dimValue) > 0;
  if (dims.length !== 4 || dims[1] !== '3' || (fixed(0) && dims[0] !== '1') || fixed(2) || fixed(3)) {
    throw fail(
      `${what} "${name}" has shape [${dims.join(', ')}]; HDRCNN needs [1, 3, height, width] (NCHW RGB, any size)`,
    );
  }
}
