/**
 * Weights the user chose ("choose file…"): picked with the UXP file picker
 * (manifest: localFileSystem "request"), checked and converted to ONNX at once,
 * and cached in the plugin's data folder (see model-provisioning.ts), so Action
 * playback finds them in later sessions. A file that is not HDRCNN is refused
 * before anything is stored; the previous choice stays.
 */
import { storage } from 'uxp';
import type { KeyValueStore, WeightsChoice } from '../plugin-core/settings';
import type { ModelFileCache } from './model-file-cache';
import { importWeightsFile } from './model-provisioning';
import { dataFolderCache } from './uxp-provision';

export const WEIGHTS_NAME_KEY = 'hdr-reconstruct.weights-file';

/** The chosen file's original name, or null when none was chosen. */
export const userWeightsName = (store: KeyValueStore): string | null => store.getItem(WEIGHTS_NAME_KEY);

/**
 * Opens the file picker; converts and stores the file. Returns its name, or undefined when the user
 * cancelled; throws UserError when the file is not HDRCNN weights.
 */
export async function chooseWeightsFile(
  store: KeyValueStore,
  cache: ModelFileCache = dataFolderCache(),
): Promise<string | undefined> {
  const picked = await storage.localFileSystem.getFileForOpening({ types: ['npz', 'onnx'] });
  if (!picked) return undefined;
  const bytes = new Uint8Array((await picked.read({ format: storage.formats.binary })) as ArrayBuffer);
  await importWeightsFile(picked.name, bytes, cache);
  store.setItem(WEIGHTS_NAME_KEY, picked.name);
  return picked.name;
}

/** Identifies a model for reuse: the same key means the engine need not load it again. */
export const modelKey = (weights: WeightsChoice, store: KeyValueStore): string =>
  weights === 'file' ? `file:${userWeightsName(store) ?? ''}` : weights;
