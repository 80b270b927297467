/**
 * Turns the panel's weights choice into an ONNX model for the engine page, in
 * the plugin: the model shipped with the plugin, else the official weights
 * from the data-folder cache, else downloaded with UXP's fetch (progress,
 * cancel), checked (size, zip, pickle, structure), converted with the host-free
 * weights code and cached; or the file the user chose, converted when chosen.
 * Nothing is cached before it passed every check. Host-free but for what comes
 * in through ProvisionDeps (uxp-provision.ts wires UXP), so Node can run it.
 */
import { sha256Hex } from '../protocol/checksum';
import type { EngineModel } from '../protocol/client';
import { EngineError } from '../protocol/errors';
import type { ModelState, ProgressStage, WeightsVariant } from '../protocol/messages';
import { WeightsFormatError } from '../weights/errors';
import { parseHdrcnnParams } from '../weights/hdrcnn-structure';
import { modelFromFile } from '../weights/load-model';
import { buildHdrcnnOnnx } from '../weights/onnx-builder';
import { readParamsFile } from '../weights/params-file';
import { download, type Fetch } from './download';
import { UserError } from '../plugin-core/errors';
import type { ModelFileCache } from './model-file-cache';
import { cacheName, USER_MODEL, type ModelSources } from './model-sources';
import type { WeightsChoice } from '../plugin-core/settings';

export interface ProvisionDeps {
  readonly fetch: Fetch;
  readonly cache: ModelFileCache;
  /** `model/hdrcnn.onnx` of the plugin bundle, or undefined when the build had none. */
  bundledModel(): Promise<Uint8Array | undefined>;
  readonly sources: ModelSources;
}

export interface ProvisionReport {
  status(state: ModelState, message: string): void;
  progress(stage: ProgressStage, loaded: number, total: number): void;
}

/** A step of reading or converting weights, as a 'model' error when the file is not HDRCNN. */
function convert<T>(run: () => T, what: string): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof WeightsFormatError) throw new EngineError('model', `${what}: ${e.message}`);
    throw e;
  }
}

/** `chosenName`: the original name of the file the user chose, for 'file'. */
export async function provisionModel(
  weights: WeightsChoice,
  deps: ProvisionDeps,
  report: ProvisionReport,
  signal: AbortSignal,
  chosenName = 'the chosen weights file',
): Promise<EngineModel> {
  if (weights === 'file') return userModel(deps, chosenName);
  const bundled = await deps.bundledModel();
  if (bundled) {
    report.status('bundled', 'using the model shipped with the plugin');
    return { label: 'model shipped with the plugin', bytes: bundled };
  }
  return officialWeights(weights, deps, report, signal);
}

async function officialWeights(
  variant: WeightsVariant,
  deps: ProvisionDeps,
  report: ProvisionReport,
  signal: AbortSignal,
): Promise<EngineModel> {
  const { label, urls } = deps.sources[variant];
  const name = cacheName(variant);
  const cached = await deps.cache.get(name).catch(() => 'absent' as const);
  if (typeof cached === 'object') {
    report.status('cached', `${label}, from the cache`);
    return { label, bytes: cached.bytes, sha256: cached.sha256 };
  }
  const failures: EngineError[] = [];
  for (const url of urls) {
    const again = cached === 'damaged' ? ' (the cached copy was damaged)' : '';
    report.status('downloading', `downloading the ${label} from ${new URL(url).host}${again}`);
    let bytes: Uint8Array;
    try {
      bytes = await downloadAndConvert(url, label, deps, report, signal);
    } catch (e) {
      if (!(e instanceof EngineError) || e.code === 'cancelled') throw e;
      failures.push(e);
      continue;
    }
    const sha256 = sha256Hex(bytes); // once, for the cache and the transfer
    try {
      await deps.cache.put(name, bytes, sha256);
    } catch (e) {
      report.status(
        'converting',
        `could not cache the model (${(e as Error).message}); it will be downloaded again next time`,
      );
    }
    return { label, bytes, sha256 };
  }
  // A file that arrived whole but is not HDRCNN says more than a host that was down.
  const code = failures.some((f) => f.code === 'model') ? 'model' : 'download';
  throw new EngineError(
    code,
    `could not get the ${label}: ${failures.map((f) => f.message).join('; ') || 'no download URL configured'}`,
  );
}

/**
 * Download, check, convert. The 120 MB download is dropped once its arrays are read, before the
 * graph is built: with it, the download, the arrays and the model would be alive together.
 */
async function downloadAndConvert(
  url: string,
  label: string,
  deps: ProvisionDeps,
  report: ProvisionReport,
  signal: AbortSignal,
): Promise<Uint8Array> {
  let npz: Uint8Array | undefined = await download(
    url,
    deps.fetch,
    signal,
    throttled((loaded, total) => report.progress('download', loaded, total)),
  );
  if (signal.aborted) throw new EngineError('cancelled', 'download cancelled');
  report.status('converting', `checking and converting the ${label}`);
  report.progress('convert', 0, 1);
  const arrays = convert(() => readParamsFile(npz!), url);
  npz = undefined;
  const bytes = convert(() => buildHdrcnnOnnx(parseHdrcnnParams(arrays)), url);
  report.progress('convert', 1, 1);
  return bytes;
}

const CHOOSE_AGAIN = 'use “Choose file…” in the HDR Reconstruct panel, or pick the official weights.';

/** The file the user chose, as converted when it was chosen. */
async function userModel(deps: ProvisionDeps, label: string): Promise<EngineModel> {
  const cached = await deps.cache.get(USER_MODEL).catch(() => 'absent' as const);
  if (cached === 'absent') throw new UserError(`No weights file has been chosen: ${CHOOSE_AGAIN}`);
  if (cached === 'damaged')
    throw new UserError(`The stored copy of the chosen weights file was damaged: ${CHOOSE_AGAIN}`);
  return { label, bytes: cached.bytes, sha256: cached.sha256 };
}

/**
 * A file the user picked (an official .npz or a converted .onnx): checked and converted now, cached only
 * if it is HDRCNN; throws UserError with the reason otherwise, leaving the previous choice as it was.
 */
export async function importWeightsFile(name: string, contents: Uint8Array, cache: ModelFileCache): Promise<void> {
  let model: Uint8Array;
  try {
    model = modelFromFile(contents);
  } catch (e) {
    if (e instanceof WeightsFormatError) throw new UserError(`${name} is not an HDRCNN weights file: ${e.message}.`);
    throw e;
  }
  await cache.put(USER_MODEL, model);
}

/** Progress at most once per 1% (and always at the end), so a download does not flood the panel. */
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
