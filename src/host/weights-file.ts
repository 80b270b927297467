/**
 * Weights the user chose ("choose file…"): picked with the UXP file picker
 * (manifest: localFileSystem "request"), copied into the plugin's data folder so
 * Action playback finds them in later sessions, and handed to the engine page as a
 * 'file' model (an official .npz, converted there, or an already converted .onnx).
 */
import { storage } from 'uxp';
import type { ModelChoice } from '../protocol/messages';
import { encodeBytes } from '../protocol/payload';
import { UserError } from '../plugin-core/errors';
import type { KeyValueStore, WeightsChoice } from '../plugin-core/settings';
import { checksum } from '../plugin-core/checksum';

export const STORED_FILE = 'user-weights';
export const WEIGHTS_NAME_KEY = 'hdr-reconstruct.weights-file';
/** The copy's checksum at copy time, for Diagnostics. */
export const WEIGHTS_CHECKSUM_KEY = 'hdr-reconstruct.weights-file-checksum';

/** The chosen file's original name, or null when none was chosen. */
export const userWeightsName = (store: KeyValueStore): string | null => store.getItem(WEIGHTS_NAME_KEY);

/** Opens the file picker; copies the file into the data folder. Returns its name, or undefined when the user cancelled. */
export async function chooseWeightsFile(store: KeyValueStore): Promise<string | undefined> {
  const picked = await storage.localFileSystem.getFileForOpening({ types: ['npz', 'onnx'] });
  if (!picked) return undefined;
  const bytes = await picked.read({ format: storage.formats.binary });
  const folder = await storage.localFileSystem.getDataFolder();
  const copy = await folder.createFile(STORED_FILE, { overwrite: true });
  await copy.write(bytes as ArrayBuffer, { format: storage.formats.binary });
  store.setItem(WEIGHTS_NAME_KEY, picked.name);
  store.setItem(WEIGHTS_CHECKSUM_KEY, checksum(new Uint8Array(bytes as ArrayBuffer)));
  return picked.name;
}

/** What the engine page is asked to load for a weights choice. */
export async function modelChoice(weights: WeightsChoice, store: KeyValueStore): Promise<ModelChoice> {
  if (weights !== 'file') return { kind: 'bundled', variant: weights }; // the bundled model, else the official download
  const name = userWeightsName(store);
  let bytes: ArrayBuffer | undefined;
  try {
    const entry = await (await storage.localFileSystem.getDataFolder()).getEntry(STORED_FILE);
    if (name && entry.isFile) bytes = (await (entry as import('uxp').File).read({ format: storage.formats.binary })) as ArrayBuffer;
  } catch {
    bytes = undefined; // no stored copy: said below
  }
  if (!name || !bytes) throw new UserError('No weights file has been chosen: use “Choose file…” in the HDR Reconstruct panel, or pick the official weights.');
  return { kind: 'file', name, base64: encodeBytes(new Uint8Array(bytes)) };
}

/** Identifies a model for reuse: the same key means the engine need not load it again. */
export const modelKey = (weights: WeightsChoice, store: KeyValueStore): string => (weights === 'file' ? `file:${userWeightsName(store) ?? ''}` : weights);
