/**
 * The Diagnostics probes that ask Photoshop and UXP: versions, the imaging round trip in a
 * temporary document, the displays' HDR headroom, the model cache and the data folder. The
 * engine page's probes: the self-test in engine-self-test.ts, the bridge in engine-probe.ts.
 */
import { app, constants, core, imaging } from 'photoshop';
import { host, storage, versions, type File, type Folder } from 'uxp';
import { WEIGHTS_VARIANTS } from '../protocol/messages';
import type { KeyValueStore } from '../plugin-core/settings';
import type { DataFolderState, Depth, DisplayHeadroom, ModelCacheState, Versions } from './diagnostics';
import type { ModelFileCache } from './model-file-cache';
import { cacheName, MODEL_SOURCES, USER_MODEL } from './model-sources';
import { dataFolderCache } from './uxp-provision';
import { userWeightsName } from './weights-file';

const SIZE = 64;
const MAX: Record<Depth, number> = { 8: 255, 16: 32768, 32: 4 }; // 32-bit: HDR values above 1 too

export const hostVersions = (): Versions => ({ photoshop: host.version, uxp: versions.uxp, plugin: versions.plugin });

/** RGBA gradients over the depth's range, opaque (transparent pixels' colour need not survive). */
function pattern(depth: Depth): Uint8Array | Uint16Array | Float32Array {
  const n = SIZE * SIZE * 4;
  const data = depth === 8 ? new Uint8Array(n) : depth === 16 ? new Uint16Array(n) : new Float32Array(n);
  const max = MAX[depth];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = (y * SIZE + x) * 4;
      const v = [x / (SIZE - 1), y / (SIZE - 1), ((x + y) % SIZE) / (SIZE - 1)];
      for (let c = 0; c < 3; c++) data[p + c] = depth === 32 ? v[c] * max : Math.round(v[c] * max);
      data[p + 3] = depth === 32 ? 1 : max;
    }
  }
  return data;
}

/** "12 of 16384 samples differ (largest difference 3)", or undefined when equal. */
function difference(expected: ArrayLike<number>, got: ArrayLike<number>): string | undefined {
  if (expected.length !== got.length) return `${got.length} samples came back for ${expected.length}`;
  let [count, largest] = [0, 0];
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(expected[i] - got[i]);
    if (d > 0 || Number.isNaN(d)) [count, largest] = [count + 1, Math.max(largest, d)];
  }
  if (!count) return undefined;
  return `${count} of ${expected.length} samples differ (largest difference ${+largest.toPrecision(3)})`;
}

/**
 * A temporary 64×64 RGB document of `depth` bits: the pattern goes in with putPixels; what getPixels
 * gives back goes through createImageDataFromBuffer and putPixels again, then getPixels; both reads
 * must equal the pattern. The document is registered for automatic closing, so it goes (unsaved) when
 * the modal scope ends, whatever happens in it (executeAsModal docs, "Automatic document closing").
 */
export function imagingRoundTrip(depth: Depth): Promise<string | undefined> {
  return core.executeAsModal(
    async (ctx) => {
      const doc = await app.createDocument({
        name: `HDR Reconstruct diagnostics ${depth}-bit`,
        width: SIZE,
        height: SIZE,
        resolution: 72,
        mode: constants.NewDocumentMode.RGB,
        depth,
        fill: constants.DocumentFill.TRANSPARENT,
      });
      if (!doc) throw new Error('Photoshop did not create the temporary document');
      await ctx.hostControl.registerAutoCloseDocument(doc.id);
      const layerID = doc.layers[0].id;
      const put = async (data: Uint8Array | Uint16Array | Float32Array): Promise<void> => {
        const imageData = await imaging.createImageDataFromBuffer(data, {
          width: SIZE,
          height: SIZE,
          components: 4,
          chunky: true,
          colorSpace: 'RGB',
        });
        try {
          await imaging.putPixels({ documentID: doc.id, layerID, imageData, replace: true });
        } finally {
          imageData.dispose();
        }
      };
      const get = async (): Promise<Uint8Array | Uint16Array | Float32Array> => {
        const { imageData } = await imaging.getPixels({ documentID: doc.id, layerID });
        try {
          return (await imageData.getData({ chunky: true })) as Uint8Array | Uint16Array | Float32Array;
        } finally {
          imageData.dispose();
        }
      };
      const expected = pattern(depth);
      await put(expected);
      const first = await get();
      const firstDiff = difference(expected, first);
      if (firstDiff) return `after putPixels, ${firstDiff}`;
      await put(first);
      const second = difference(expected, await get());
      return second && `after a second round trip, ${second}`;
    },
    { commandName: 'HDR Reconstruct diagnostics' },
  );
}

/** core.getDisplayConfiguration (23.0+); the headroom field from 26.5. Undefined where the call is missing. */
export async function displayHeadroom(): Promise<DisplayHeadroom[] | undefined> {
  if (typeof core.getDisplayConfiguration !== 'function') return undefined;
  const displays = await core.getDisplayConfiguration({});
  return displays.map((d) => ({ primary: d.isPrimary, headroom: d.maximumExtendedDynamicRangeColorComponent }));
}

/**
 * The data-folder model cache: the official weights' converted models and the chosen file's, each
 * present or not, its size, and whether size and SHA-256 are the ones recorded with it. One at a
 * time: each is read whole (about 120 MB) and hashed.
 */
export async function modelCacheState(
  store: KeyValueStore,
  cache: ModelFileCache = dataFolderCache(),
): Promise<ModelCacheState[]> {
  const name = userWeightsName(store);
  const entries = [
    ...WEIGHTS_VARIANTS.map((v) => ({
      what: MODEL_SOURCES[v].label,
      file: cacheName(v),
      remedy: 'it is downloaded again when next used',
    })),
    {
      what: name ? `chosen weights file “${name}”` : 'chosen weights file',
      file: USER_MODEL,
      remedy: 'choose the file again',
    },
  ];
  const states: ModelCacheState[] = [];
  for (const { what, file, remedy } of entries) states.push({ what, remedy, ...(await cache.inspect(file)) });
  return states;
}

/** The data folder's path, file count and size. */
export async function dataFolderState(): Promise<DataFolderState> {
  const root = await storage.localFileSystem.getDataFolder();
  let [files, bytes] = [0, 0];
  const walk = async (folder: Folder): Promise<void> => {
    for (const entry of await folder.getEntries()) {
      if (entry.isFolder) await walk(entry as Folder);
      else {
        files++;
        bytes += (await (entry as File).getMetadata()).size;
      }
    }
  };
  await walk(root);
  return { path: root.nativePath, files, bytes };
}
