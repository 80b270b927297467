/** Model provisioning wired to UXP: its fetch, the data folder (cache), the plugin folder (bundled model). */
import { storage, type File } from 'uxp';
import { ModelFileCache } from './model-file-cache';
import type { ProvisionDeps } from './model-provisioning';
import { MODEL_SOURCES } from './model-sources';

/** Where a bundled model sits in the plugin folder (webpack copies model/hdrcnn.onnx there). */
const BUNDLED_MODEL = 'model/hdrcnn.onnx';

/** The cache in the plugin's data folder. */
export const dataFolderCache = (): ModelFileCache =>
  new ModelFileCache({ folder: () => storage.localFileSystem.getDataFolder(), formats: storage.formats });

export function pluginProvisionDeps(): ProvisionDeps {
  return {
    fetch: (url, init) => fetch(url, init),
    cache: dataFolderCache(),
    bundledModel: async () => {
      try {
        const file = await (await storage.localFileSystem.getPluginFolder()).getEntry(BUNDLED_MODEL);
        return new Uint8Array((await (file as File).read({ format: storage.formats.binary })) as ArrayBuffer);
      } catch {
        return undefined; // no bundled model: not an error, the official weights are the fallback
      }
    },
    sources: MODEL_SOURCES,
  };
}
