/**
 * The one interface between the host-free core and an inference runtime
 * (onnxruntime-node, onnxruntime-web on WASM or WebGPU). The core hands the
 * network planar tiles; the runtime knows nothing about images or tiling.
 */

/** Name of the model's input: 1×3×H×W RGB in [0, 1] (after scaling and gamma). */
export const MODEL_INPUT = 'ldr';
/** Name of the model's output: 1×3×H×W log-HDR prediction `y` of HDRCNN. */
export const MODEL_OUTPUT = 'log_hdr';
/** The network downsamples five times: tile sides must be multiples of this. */
export const SIZE_MULTIPLE = 32;

/** Planar (NCHW, N = 1) RGB: the R plane, then G, then B. */
export interface PlanarTile {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export interface InferenceBackend {
  /** What runs the network, for status lines and logs, e.g. "onnxruntime-node (cpu)". */
  readonly name: string;
  /** Runs HDRCNN on one tile; returns the log-HDR output in the same planar layout. */
  run(tile: PlanarTile): Promise<Float32Array>;
  /** Frees the session and its memory; the backend is unusable afterwards. */
  dispose(): Promise<void>;
}
