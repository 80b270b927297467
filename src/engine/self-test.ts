/**
 * `engine.html?self-test`: proves the page can run the network where it is.
 * Builds a small HDRCNN (widths ÷ 32, seeded weights) with the project's ONNX
 * builder, runs a 64×64 input on the provider a real init would take (WebGPU on
 * a hardware adapter, else WASM) and compares with the naive forward pass
 * computed in the page. Never throws: a failure is a report with ok false.
 */
import type { InferenceBackend } from '../core/backend';
import type { Provider, SelfTestReport } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/messages';
import { parseHdrcnnParams } from '../weights/hdrcnn-structure';
import { buildHdrcnnOnnx } from '../weights/onnx-builder';
import { randomHdrcnnParams } from '../weights/random-params';
import { referenceLogHdr } from '../weights/reference-forward';
import type { EngineDeps } from './engine';

const SIZE = 64;
const WIDTH_DIVISOR = 32;
const SEED = 2026;
/** Log-HDR values are O(1); float32 and the runtimes' kernels differ by ~1e-6, a wrong kernel by far more. */
const TOLERANCE = 1e-3;

export async function runSelfTest(deps: EngineDeps, now: () => number): Promise<SelfTestReport> {
  const started = now();
  let provider: Provider = 'wasm';
  let adapter = '';
  let backend: InferenceBackend | undefined;
  const report = (ok: boolean, error?: string): SelfTestReport => ({
    type: 'self-test',
    version: PROTOCOL_VERSION,
    ok,
    provider,
    adapter,
    ...deps.runtimeInfo(),
    ms: Math.round(now() - started),
    ...(error === undefined ? {} : { error }),
  });
  try {
    const params = randomHdrcnnParams(WIDTH_DIVISOR, SEED);
    const model = buildHdrcnnOnnx(parseHdrcnnParams(params));
    // A gradient with a clipped band: the highlight path of the network is exercised.
    const pixels = SIZE * SIZE;
    const x = Float32Array.from({ length: 3 * pixels }, (_, i) => Math.min(1, ((i % (3 * SIZE)) / (3 * SIZE)) * 1.3));
    const gpu = await deps.requestGpu(false);
    if ('device' in gpu) [provider, adapter] = ['webgpu', gpu.description];
    else adapter = gpu.reason;
    backend = await deps.createBackend(model, provider, 'device' in gpu ? gpu.device : undefined);
    const planar = new Float32Array(3 * pixels);
    for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) planar[c * pixels + p] = x[p * 3 + c];
    const y = await backend.run({ width: SIZE, height: SIZE, data: planar });
    const expected = referenceLogHdr(params, x, SIZE, SIZE);
    let worst = 0;
    for (let p = 0; p < pixels; p++)
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(y[c * pixels + p] - expected[p * 3 + c]));
    if (!(worst <= TOLERANCE))
      return report(false, `the ${provider} output is off by up to ${worst} from the reference`);
    return report(true);
  } catch (e) {
    return report(false, e instanceof Error ? e.message : String(e));
  } finally {
    await backend?.dispose().catch(() => undefined);
  }
}
