/**
 * Finds a WebGPU device for the engine. TypeScript's DOM library has no
 * WebGPU types yet, so the little the engine touches is declared here.
 */

export interface GpuDevice {
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
  destroy(): void;
}

interface GpuAdapter {
  readonly limits: Readonly<Record<string, number>>;
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly isFallbackAdapter?: boolean };
  /** Older name of info.isFallbackAdapter. */
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor: { requiredLimits: Record<string, number> }): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapter | null>;
}

export type GpuChoice = { readonly device: GpuDevice; readonly description: string } | { readonly reason: string };

/**
 * Raised from WebGPU's defaults to whatever the adapter allows (as onnxruntime
 * does for devices it creates itself): a full-width model's first block holds
 * 64 channels × window² float32, 256 MiB for a 1024² window, twice the default
 * storage binding size.
 */
const MODEL_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
];

/**
 * A device, or why there is none. A software adapter (SwiftShader and the
 * like) runs HDRCNN about 100× slower than WASM, so it is refused unless
 * `allowSoftware` (an explicit request for WebGPU, as the tests make).
 */
export async function requestGpu(gpu: Gpu | undefined, { allowSoftware = false } = {}): Promise<GpuChoice> {
  if (!gpu) return { reason: 'this browser has no WebGPU' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { reason: 'no WebGPU adapter' };
    const software = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
    const name = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    if (software && !allowSoftware)
      return { reason: `the only WebGPU adapter (${name}) is a software renderer, slower than WASM` };
    const requiredLimits = Object.fromEntries(
      MODEL_LIMITS.filter((n) => adapter.limits[n] !== undefined).map((n) => [n, adapter.limits[n]]),
    );
    const device = await adapter.requestDevice({ requiredLimits });
    return { device, description: `${name}${software ? ' (software)' : ''}` };
  } catch (e) {
    return { reason: `WebGPU failed to start: ${(e as Error).message}` };
  }
}
