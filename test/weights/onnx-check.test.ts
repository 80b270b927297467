/** ONNX models are checked against what HDRCNN needs before a session is made. */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { WeightsFormatError } from '../../src/weights/errors';
import { convertWeights, modelFromFile } from '../../src/weights/load-model';
import { checkHdrcnnOnnx } from '../../src/weights/onnx-check';
import { fixturePath } from '../helpers/fixture';

const good = convertWeights(new Uint8Array(readFileSync(fixturePath('params.npz'))));
/** The fixture model, changed by `edit`. */
function edited(edit: (model: onnx.ModelProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(good);
  edit(model);
  return onnx.ModelProto.encode(model).finish();
}
function refusal(bytes: Uint8Array): string {
  try {
    modelFromFile(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFormatError);
    return (e as Error).message;
  }
  throw new Error('expected the model to be refused');
}
const dims = (...d: (number | string)[]) => d.map((x) => (typeof x === 'number' ? { dimValue: x } : { dimParam: x }));

describe('checkHdrcnnOnnx', () => {
  it('accepts the models the converter writes', () => {
    expect(checkHdrcnnOnnx(good)).toBe(good);
    expect(modelFromFile(good)).toBe(good);
  });

  it('refuses what is not an ONNX model', () => {
    expect(refusal(new TextEncoder().encode('<html>404</html>'))).toMatch(
      /not an HDRCNN weights file \(\.npz\) or ONNX model/,
    );
  });

  it('refuses a misnamed or missing output, and extra inputs', () => {
    expect(refusal(edited((m) => (m.graph!.output![0].name = 'out')))).toBe(
      'the ONNX model has outputs "out"; HDRCNN needs one output named "log_hdr"',
    );
    expect(refusal(edited((m) => m.graph!.output!.splice(0)))).toMatch(
      /has outputs none; HDRCNN needs one output named "log_hdr"/,
    );
    const extra = edited((m) => m.graph!.input!.push(onnx.ValueInfoProto.create({ name: 'mask' })));
    expect(refusal(extra)).toMatch(/has inputs "ldr", "mask"; HDRCNN needs one input named "ldr"/);
  });

  it('refuses a 1-channel output, NHWC or fixed-size inputs, other element types', () => {
    const shape = (which: 'input' | 'output', d: onnx.TensorShapeProto.IDimension[]) =>
      edited((m) => (m.graph![which]![0].type!.tensorType!.shape!.dim = d));
    expect(refusal(shape('output', dims(1, 1, 'height', 'width')))).toBe(
      'the ONNX model output "log_hdr" has shape [1, 1, height, width]; ' +
        'HDRCNN needs [1, 3, height, width] (NCHW RGB, any size)',
    );
    expect(refusal(shape('input', dims('n', 'h', 'w', 3)))).toMatch(/input "ldr" has shape \[n, h, w, 3\]/);
    expect(refusal(shape('input', dims(1, 3, 768, 1024)))).toMatch(/input "ldr" has shape \[1, 3, 768, 1024\]/);
    expect(
      refusal(edited((m) => (m.graph!.input![0].type!.tensorType!.elemType = onnx.TensorProto.DataType.DOUBLE))),
    ).toMatch(/input "ldr" is not a float32 tensor/);
  });

  it('refuses control flow, subgraphs, custom domains and operators HDRCNN does not use', () => {
    const withNode = (node: onnx.INodeProto) => edited((m) => m.graph!.node!.push(onnx.NodeProto.create(node)));
    expect(refusal(withNode({ opType: 'Loop', name: 'forever', input: [], output: ['x'] }))).toBe(
      'the ONNX model uses operator "Loop" (node "forever"), which HDRCNN does not need',
    );
    expect(refusal(withNode({ opType: 'If', output: ['y'] }))).toMatch(/operator "If" \(node "y"\)/);
    expect(refusal(withNode({ opType: 'Scan', output: ['z'] }))).toMatch(/operator "Scan"/);
    expect(refusal(withNode({ opType: 'FusedConv', domain: 'com.microsoft', output: ['c'] }))).toMatch(
      /uses operator com\.microsoft\.FusedConv \(node "c"\); only standard ONNX operators/,
    );
    const subgraph = { name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: { name: 'g' } };
    expect(refusal(withNode({ opType: 'Identity', output: ['s'], attribute: [subgraph] }))).toMatch(
      /has a subgraph in attribute 'body'/,
    );
    expect(refusal(edited((m) => m.functions.push(onnx.FunctionProto.create({ name: 'f' }))))).toMatch(
      /defines 1 local function/,
    );
  });

  it('refuses initialisers kept in external files', () => {
    const external = edited((m) => (m.graph!.initializer![0].dataLocation = onnx.TensorProto.DataLocation.EXTERNAL));
    expect(refusal(external)).toMatch(/keeps initializer ".*" in an external file/);
  });
});
