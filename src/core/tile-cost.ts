/**
 * What a window costs each inference backend: the data the tile planner uses
 * to choose between many small windows, fewer merged ones and one whole-image
 * window. Time of a plan = Σ (perRun + perPixel · pixels) over its windows,
 * plus perShape for every distinct window shape the plan uses (a runtime
 * meeting a new input shape plans, allocates or compiles again).
 *
 * The coefficients are measured by `node dist-cli/bench/bench.js cost`
 * (full-width random weights, bench/window-cost.ts), which prints them beside
 * these stored values; README "Tiling" lists them.
 */

export interface WindowCostModel {
  /** What the numbers describe, for bench tables and logs. */
  readonly name: string;
  /** Seconds every run pays whatever its size (dispatch, pre/post, small-size inefficiency). */
  readonly perRun: number;
  /** Seconds per pixel of window. */
  readonly perPixel: number;
  /** Seconds the first run of a shape pays on top of a repeat run. */
  readonly perShape: number;
  /** Largest window, in pixels, that the backend's memory allows. */
  readonly maxWindowPixels: number;
}

/** Width and height of a window, in pixels. */
export interface WindowShape {
  readonly width: number;
  readonly height: number;
}

/** Modelled seconds of running `windows` in one session: runs, pixels, and each new shape once. */
export function planSeconds(model: WindowCostModel, windows: readonly WindowShape[]): number {
  const shapes = new Set(windows.map((w) => `${w.width}x${w.height}`));
  const pixels = windows.reduce((sum, w) => sum + w.width * w.height, 0);
  return windows.length * model.perRun + pixels * model.perPixel + shapes.size * model.perShape;
}

/**
 * onnxruntime-node's CPU working set grows with the window: peak RSS per pixel
 * of window with full-width weights (bench "cost": 1305 bytes between 512² and
 * 1024×512, above the session's own 570 MiB), rounded up.
 */
export const ORT_NODE_BYTES_PER_PIXEL = 1400;

/** Default RAM for the network's working set on the CPU: windows up to about 1.9 megapixels. */
export const ORT_NODE_MEMORY_BUDGET = 2.5 * 2 ** 30;

/**
 * onnxruntime-node, CPU, 2 threads on the bench machine (2 cores), full-width
 * weights: 3.2 µs a pixel and about 5 ms a run (repeats of 96² to 640×480 in
 * "cost", wall time on a quiet spell and CPU time over the threads on a busy
 * one: 3.1–3.5 µs, 4 ms; 2.5 s for a 1024×768 frame). A shape's first run,
 * once the session's arena has grown, costs about 0.03 s more CPU time over
 * the threads than a repeat (median over those sizes).
 */
export function ortNodeCost(memoryBytes = ORT_NODE_MEMORY_BUDGET): WindowCostModel {
  return {
    name: 'onnxruntime-node (cpu)',
    perRun: 0.005,
    perPixel: 3.2e-6,
    perShape: 0.03,
    maxWindowPixels: Math.floor(memoryBytes / ORT_NODE_BYTES_PER_PIXEL),
  };
}

/**
 * onnxruntime-web on WASM, 2 threads, full-width weights: about 17 µs a pixel
 * and 0.1 s a run (CPU time over the threads, 96² to 320², in "cost"; 14.3 s
 * for 1024×768 in the inference bench). Memory: windows no larger than 1024²
 * (WASM's 4 GB address space).
 */
export function ortWasmCost(maxWindowPixels = 1024 * 1024): WindowCostModel {
  return { name: 'onnxruntime-web (wasm)', perRun: 0.1, perPixel: 1.7e-5, perShape: 0.1, maxWindowPixels };
}

/**
 * The network's largest single tensor per pixel of window: 64 float32 channels
 * at full resolution (the first encoder block, and the last decoder stage's
 * phase outputs before DepthToSpace). WebGPU keeps each tensor in one buffer.
 */
export const LARGEST_TENSOR_BYTES_PER_PIXEL = 64 * 4;

/** The GPU's buffer limits, as the engine's device was created with them. */
export interface GpuBufferLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

/** WebGPU's spec defaults, what a device gets when nothing more is requested. */
export const DEFAULT_GPU_LIMITS: GpuBufferLimits = {
  maxBufferSize: 256 * 2 ** 20,
  maxStorageBufferBindingSize: 128 * 2 ** 20,
};

/**
 * onnxruntime-web on WebGPU. Not measurable on the bench machine (no GPU), so
 * the defaults are estimates for a mid-range discrete GPU: about 4 TFLOP/s
 * effective (HDRCNN needs 0.73 TFLOP per megapixel), 10 ms of dispatch per run
 * (about 60 kernels), and 0.3 s for each new shape (shaders specialised per
 * shape compile again). Pass measured values where known.
 */
export function webGpuCost(
  limits: GpuBufferLimits = DEFAULT_GPU_LIMITS,
  {
    perRun = 0.01,
    perPixel = 1.8e-7,
    perShape = 0.3,
  }: Partial<Pick<WindowCostModel, 'perRun' | 'perPixel' | 'perShape'>> = {},
): WindowCostModel {
  const largest = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  return {
    name: 'onnxruntime-web (webgpu)',
    perRun,
    perPixel,
    perShape,
    maxWindowPixels: Math.floor(largest / LARGEST_TENSOR_BYTES_PER_PIXEL),
  };
}
