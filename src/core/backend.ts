/**
 * The one interface between the host-free core and an inference runtime
 * (onnxruntime-node, onnxruntime-web on WASM or WebGPU). The core hands the
 * network planar tiles; the runtime knows nothing about images or tiling.
 */
import type { CancelSignal } from './cancellation';
import type { Rect } from './image';
import type { WindowCostModel } from './tile-cost';

/** Planar (NCHW, N = 1) RGB: the R plane, then G, then B. */
export interface PlanarTile {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
  /**
   * The part of the tile (its own coordinates) whose output the caller reads; unset: all of it.
   * A backend may leave the output elsewhere zero (the engine page does not send it back).
   */
  readonly used?: Rect;
}

export interface InferenceBackend {
  /** What runs the network, for status lines and logs, e.g. "onnxruntime-node (cpu)". */
  readonly name: string;
  /**
   * What a window costs this backend, for the cost planner (tile-cost.ts). Absent: the fixed
   * tile plan, one read per tile window (reconstruct.ts).
   */
  readonly cost?: WindowCostModel;
  /**
   * Runs HDRCNN on one tile; returns the log-HDR output in the same planar layout.
   * A backend that can drop a tile in flight rejects when `signal` aborts; others finish it.
   */
  run(tile: PlanarTile, signal?: CancelSignal): Promise<Float32Array>;
  /** Frees the session and its memory; the backend is unusable afterwards. */
  dispose(): Promise<void>;
}
