/**
 * Turns the plugin's {@link ModelChoice} into ONNX model bytes inside the
 * engine page: the model shipped with the plugin, the official weights from
 * the cache or downloaded (then structure-checked, converted and cached), or
 * a file the user picked. Reports each step as a model state and progress.
 */
import { EngineError } from '../protocol/errors';
import type { ModelChoice, ModelState, ProgressStage, WeightsVariant } from '../protocol/messages';
import { decodeBytes } from '../protocol/payload';
import { WeightsFormatError } from '../weights/errors';
import { convertWeights, modelFromFile } from '../weights/load-model';
import { download, type Fetch } from './download';
import type { ModelCache } from './model-cache';
import { cacheKey, type ModelSources } from './model-sources';

export interface ProvisionDeps {
  readonly fetch: Fetch;
  readonly cache: ModelCache;
  /** `model/hdrcnn.onnx` of the plugin bundle, or undefined when the build had none. */
  bundledModel(): Promise<Uint8Array | undefined>;
  readonly sources: ModelSources;
}

export interface ProvisionReport {
  status(state: ModelState, message: string): void;
  progress(stage: ProgressStage, loaded: number, total: number): void;
}

export interface ProvisionedModel {
  readonly bytes: Uint8Array;
  /** Where it came from, for the panel's model line. */
  readonly label: string;
}

/** Weights file → ONNX, as a 'model' error when the file is not HDRCNN. */
function convert(run: () => Uint8Array, what: string): Uint8Array {
  try {
    return run();
  } catch (e) {
    if (e instanceof WeightsFormatError) throw new EngineError('model', `${what}: ${e.message}`);
    throw e;
  }
}

export async function provisionModel(choice: ModelChoice, deps: ProvisionDeps, report: ProvisionReport, signal: AbortSignal): Promise<ProvisionedModel> {
  if (choice.kind === 'file') {
    report.status('converting', `reading ${choice.name}`);
    return { bytes: convert(() => modelFromFile(decodeBytes(choice.base64)), choice.name), label: choice.name };
  }
  if (choice.kind === 'bundled') {
    const bundled = await deps.bundledModel();
    if (bundled) {
      report.status('bundled', 'using the model shipped with the plugin');
      return { bytes: bundled, label: 'model shipped with the plugin' };
    }
  }
  return officialWeights(choice.variant, deps, report, signal);
}

async function officialWeights(variant: WeightsVariant, deps: ProvisionDeps, report: ProvisionReport, signal: AbortSignal): Promise<ProvisionedModel> {
  const { label, urls } = deps.sources[variant];
  const key = cacheKey(variant);
  const cached = await deps.cache.get(key).catch(() => undefined);
  if (cached) {
    report.status('cached', `${label}, from the cache`);
    return { bytes: cached, label };
  }
  const failures: EngineError[] = [];
  for (const url of urls) {
    report.status('downloading', `downloading the ${label} from ${new URL(url).host}`);
    let bytes: Uint8Array;
    try {
      const npz = await download(url, deps.fetch, signal, throttled((loaded, total) => report.progress('download', loaded, total)));
      report.status('converting', `checking and converting the ${label}`);
      report.progress('convert', 0, 1);
      bytes = convert(() => convertWeights(npz), url);
      report.progress('convert', 1, 1);
    } catch (e) {
      if (!(e instanceof EngineError) || e.code === 'cancelled') throw e;
      failures.push(e);
      continue;
    }
    try {
      await deps.cache.put(key, bytes);
    } catch (e) {
      report.status('converting', `could not cache the model (${(e as Error).message}); it will be downloaded again next time`);
    }
    return { bytes, label };
  }
  // A file that arrived whole but is not HDRCNN says more than a host that was down.
  const code = failures.some((f) => f.code === 'model') ? 'model' : 'download';
  throw new EngineError(code, `could not get the ${label}: ${failures.map((f) => f.message).join('; ') || 'no download URL configured'}`);
}

/** Progress at most once per 1% (and always at the end), so a download does not flood the bridge. */
function throttled(report: (loaded: number, total: number) => void): (loaded: number, total: number) => void {
  let last = -Infinity;
  return (loaded, total) => {
    const step = total > 0 ? total / 100 : 1 << 20;
    if (loaded - last >= step || loaded === total) {
      last = loaded;
      report(loaded, total);
    }
  };
}
