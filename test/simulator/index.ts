/**
 * createPhotoshopSimulator(): an in-memory stand-in for the documented parts of the
 * `photoshop` and `uxp` modules that the plugin uses, plus `sim`, the test-only
 * controls. A TEST HELPER: it lives under test/ and product code never imports it.
 * See README.md in this folder for what is modelled and how tests install it.
 */
import type { BlendModeValue, DocumentModeValue, LayerKindValue } from './constants';
import { ADJUSTMENT_KINDS, constants } from './constants';
import { ActionsPanel } from './actions';
import type { PhotoshopSubset } from './api-types';
import { SimApp, SimDocument, SimLayer, addDocState } from './dom';
import { createImaging } from './imaging';
import { Modal } from './modal';
import type { Depth, DocState, LayerState, PixelBuf } from './store';
import { MAX_VALUE, allLayers, colorComponents, composite, emptyPixels, locateLayer, pixelBounds } from './store';
import { SimHtmlDocument, ui } from './html';
import type { SimElement } from './html';
import { Entrypoints, LocalFileSystem, SimLocalStorage, formats, types } from './uxp';
import type { UxpSubset } from './uxp';
import type { PageScript, WebviewOptions } from './webview';
import { WebviewBridge } from './webview';
import type { SimulatorOptions } from './world';
import { World, type EncodedImage, type NotificationListener } from './world';

export { isSimError, SimError } from './errors';
export type { SimErrorKind } from './errors';
export { SimApp, SimDocument, SimLayer } from './dom';
export { SimImageData } from './imaging';
export type { PhotoshopSubset } from './api-types';
export type { SimulatorOptions } from './world';
export type { WebviewPage, SimWebview, SimEvent, PageScript } from './webview';
export { SimElement, SimDialog, SimDropdown, SimSlider, SimProgressbar, SimTextfield, SimHtmlDocument } from './html';
export type { SimFile, SimFolder, SimLocalStorage } from './uxp';

/** A layer for sim.addDocument / sim.addLayer. Pixel values are in the document's own encoding. */
export interface LayerSpec {
  name?: string;
  /** Default: a pixel layer (LayerKind.NORMAL); GROUP when `children` is given. */
  kind?: LayerKindValue;
  visible?: boolean;
  opacity?: number;
  blendMode?: BlendModeValue;
  /** The Background layer: bottom of the stack, opaque, covers the canvas. */
  background?: boolean;
  /** Chunky values, 8-bit 0..255, 16-bit 0..32768, 32-bit linear floats; with or without an alpha component. */
  pixels?: { left?: number; top?: number; width: number; height: number; data: ArrayLike<number> };
  /** Or one colour over the whole canvas, e.g. [255, 0, 0] (an alpha value may follow). */
  fill?: number[];
  children?: LayerSpec[];
  /** Select this layer (it joins Document.activeLayers). */
  active?: boolean;
}

export interface DocumentSpec {
  name?: string;
  width: number;
  height: number;
  mode?: DocumentModeValue;
  depth?: Depth;
  /** Base profile name; default sRGB IEC61966-2.1 (RGB) or Gray Gamma 2.2 (Grayscale). */
  profile?: string;
  /** No embedded profile: colorProfileName is "None"; its values are seen in `profile`, the working space. */
  untagged?: boolean;
  resolution?: number;
  /** Top of the stack first. Default: a white Background layer. */
  layers?: LayerSpec[];
}

export interface PixelSnapshot {
  /** Bounds of the non-transparent pixels (the whole canvas for the composite). */
  bounds: { left: number; top: number; right: number; bottom: number };
  /** Colour components + 1 alpha, chunky, native encoding, cropped to `bounds`. */
  channels: number;
  data: Float32Array;
}

export interface LayerTreeNode {
  id: number;
  name: string;
  kind: string;
  visible: boolean;
  children?: LayerTreeNode[];
}

export function createPhotoshopSimulator(options: SimulatorOptions = {}) {
  const world = new World(options);
  const modal = (world.modal = new Modal(world));
  const app = new SimApp(world);
  const actions = new ActionsPanel(world);
  const entrypoints = new Entrypoints();
  const fileSystem = new LocalFileSystem();
  const localStorage = new SimLocalStorage();
  const document = new SimHtmlDocument();
  fileSystem.onPickerOpened = () => document.pickerOpened();
  actions.refuseDialogs = (refuse) => {
    document.refuseDialogs = refuse;
  };
  const bridge = new WebviewBridge(world.options.pluginId, document, (fn) => modal.runOutside(fn));
  const alerts: string[] = [];
  const panelRoots = new Map<string, SimElement>();
  /** The panel's root node: an element of the plugin document, one per panel. */
  const panelRoot = (id: string): SimElement => {
    let root = panelRoots.get(id);
    if (!root) panelRoots.set(id, (root = document.body.appendChild(document.createElement('div'))));
    return root;
  };

  const displays: Array<{ primary: boolean; headroom?: number }> = [{ primary: true }];
  const clipboard = {
    content: undefined as Record<string, string> | undefined,
    /** UXP's navigator.clipboard.setContent(data): data maps MIME types to strings. */
    setContent: async (data: Record<string, string>): Promise<void> => {
      clipboard.content = { ...data };
    },
  };
  const photoshop: PhotoshopSubset = {
    app,
    core: {
      // "Returns the current display configuration as an array with an entry for each display" (23.0+);
      // maximumExtendedDynamicRangeColorComponent from 26.5. Bounds and scale are a 1920×1080 stand-in.
      getDisplayConfiguration: async () =>
        displays.map((d) => {
          const bounds = { left: 0, top: 0, right: 1920, bottom: 1080 };
          return {
            isPrimary: d.primary,
            scaleFactor: 1,
            globalBounds: bounds,
            globalWorkingBounds: bounds,
            physicalResolution: { horizontal: 1920, vertical: 1080 },
            ...(d.headroom === undefined ? {} : { maximumExtendedDynamicRangeColorComponent: d.headroom }),
          };
        }),
      executeAsModal: (target, opts) => modal.executeAsModal(target, opts),
      isModal: () => modal.isModal(),
      // "Show a generic alert box to the user. 'OK' to dismiss." The simulated user reads it and clicks OK.
      showAlert: async (options) => {
        alerts.push(typeof options === 'string' ? options : options.message);
      },
    },
    action: {
      recordAction: actions.recordAction,
      // addNotificationListener(events, callback) / removeNotificationListener(events, callback), Photoshop 23.0+.
      addNotificationListener: async (events, listener) => {
        for (const e of events) {
          if (!world.listeners.has(e)) world.listeners.set(e, new Set());
          world.listeners.get(e)!.add(listener as NotificationListener);
        }
      },
      removeNotificationListener: async (events, listener) => {
        for (const e of events) world.listeners.get(e)?.delete(listener as NotificationListener);
      },
    },
    imaging: createImaging(world),
    constants,
  };

  /** require('uxp').host and .versions (UXP reference); sim.versions changes what they say. */
  const versions = { photoshop: '26.0.0', uxp: '8.0.0', plugin: '0.1.0' };
  const uxp: UxpSubset = {
    host: {
      name: 'Photoshop',
      get version() {
        return versions.photoshop;
      },
    },
    versions: {
      get uxp() {
        return versions.uxp;
      },
      get plugin() {
        return versions.plugin;
      },
    },
    entrypoints: { setup: entrypoints.setup },
    storage: {
      localFileSystem: {
        getFileForOpening: fileSystem.getFileForOpening,
        getFileForSaving: fileSystem.getFileForSaving,
        getDataFolder: fileSystem.getDataFolder,
        getPluginFolder: fileSystem.getPluginFolder,
        getTemporaryFolder: fileSystem.getTemporaryFolder,
        getFolder: fileSystem.getFolder,
        createPersistentToken: fileSystem.createPersistentToken,
        getEntryForPersistentToken: fileSystem.getEntryForPersistentToken,
      },
      formats,
      types,
    },
  };

  /**
   * The installed plugin and whether it is loaded. Photoshop manifest, "loadEvent" (23.1+): "`use`: The plugin is
   * loaded when needed (when its UI become visible, or when a plugin command is executed). This is the default
   * value. `startup`: The plugin is loaded automatically shortly after Photoshop is launched." Nothing documents
   * Action playback loading a plugin: a step whose plugin is not loaded finds no global handler.
   */
  let installed: { loadEvent: string; load: () => void } | undefined;
  let pluginGlobals: string[] | undefined; // set while loaded: the globals its load added
  const loadPlugin = (): void => {
    if (!installed || pluginGlobals) return;
    const before = new Set(Object.keys(globalThis));
    installed.load();
    pluginGlobals = Object.keys(globalThis).filter((k) => !before.has(k));
  };
  const unloadPlugin = (): void => {
    for (const k of pluginGlobals ?? []) delete (globalThis as Record<string, unknown>)[k];
    pluginGlobals = undefined;
  };

  const docOf = (doc: SimDocument | number): DocState => world.requireDoc(typeof doc === 'number' ? doc : doc.id);

  const sim = {
    /** Opens a document built from `spec` (no modal scope needed) and makes it active. */
    addDocument(spec: DocumentSpec): SimDocument {
      const mode = spec.mode ?? constants.DocumentMode.RGB;
      const depth = spec.depth ?? 8;
      const doc = addDocState(
        world,
        {
          name: spec.name ?? `Untitled-${world.docs.length + 1}`,
          width: spec.width,
          height: spec.height,
          resolution: spec.resolution ?? 72,
          mode,
          depth,
          profile: spec.profile ?? (mode === constants.DocumentMode.GRAYSCALE ? 'Gray Gamma 2.2' : 'sRGB IEC61966-2.1'),
          untagged: spec.untagged,
        },
        constants.DocumentFill.WHITE,
      );
      if (spec.layers) {
        doc.nextLayerId = 1;
        doc.activeIds = [];
        doc.layers = spec.layers.map((l) => buildLayer(doc, l));
        const bg = allLayers(doc.layers).filter((l) => l.isBackground);
        if (bg.length > 1 || (bg.length === 1 && doc.layers[doc.layers.length - 1] !== bg[0])) {
          throw new Error('simulator: the background layer must be the bottom top-level layer');
        }
        if (doc.activeIds.length === 0 && doc.layers.length) doc.activeIds = [doc.layers[0].id];
      }
      world.notify('open', { documentID: doc.id });
      return new SimDocument(world, doc.id);
    },

    /** Adds a layer above the stack (or at `index` of the top-level list) without a modal scope. */
    addLayer(doc: SimDocument | number, spec: LayerSpec, index = 0): SimLayer {
      const state = docOf(doc);
      const layer = buildLayer(state, spec);
      state.layers.splice(index, 0, layer);
      return new SimLayer(world, state.id, layer.id);
    },

    /** The user selects layers in the Layers panel (none: an empty selection). */
    selectLayers(doc: SimDocument | number, layers: Array<SimLayer | number>): void {
      const state = docOf(doc);
      const ids = layers.map((l) => (typeof l === 'number' ? l : l.id));
      if (ids.some((id) => !locateLayer(state, id))) throw new Error('simulator: selectLayers: no such layer');
      state.activeIds = ids;
      world.notify('select', { _target: [{ _ref: 'layer' }], documentID: state.id, layerID: ids });
    },

    /** The user brings another open document to the front (its tab). */
    activateDocument(doc: SimDocument | number): void {
      const state = docOf(doc);
      world.activeDocId = state.id;
      world.notify('select', { _target: [{ _ref: 'document', _id: state.id }], documentID: state.id });
    },

    /** The pixels behind an `<img src="data:image/jpeg;base64,…">` the plugin made with imaging.encodeImageData. */
    encodedImage(src: string): EncodedImage | undefined {
      return world.encoded.get(src.replace(/^data:image\/jpeg;base64,/, ''));
    },

    /** A layer's pixels (or the composite when `layer` is omitted), cropped to its pixel bounds. */
    pixels(doc: SimDocument | number, layer?: SimLayer | number): PixelSnapshot | null {
      const state = docOf(doc);
      let buf: PixelBuf | null;
      if (layer === undefined) buf = composite(state);
      else {
        const found = locateLayer(state, typeof layer === 'number' ? layer : layer.id);
        if (!found) throw new Error(`simulator: no layer ${String(layer)}`);
        buf = found.layer.pixels;
      }
      if (!buf) return null;
      const b = layer === undefined ? { left: 0, top: 0, right: state.width, bottom: state.height } : pixelBounds(buf);
      if (b.right === b.left) return null;
      const out = emptyPixels(b.left, b.top, b.right - b.left, b.bottom - b.top, buf.channels);
      for (let y = b.top; y < b.bottom; y++) {
        const s = ((y - buf.top) * buf.width + (b.left - buf.left)) * buf.channels;
        out.data.set(buf.data.subarray(s, s + out.width * buf.channels), (y - b.top) * out.width * buf.channels);
      }
      return { bounds: b, channels: buf.channels, data: out.data };
    },

    /** Named history states added since the document opened: one per command, or one per committed suspension. */
    history(doc: SimDocument | number): string[] {
      return [...docOf(doc).history];
    },

    /** The layer stack, top first, for assertions. */
    layerTree(doc: SimDocument | number): LayerTreeNode[] {
      const walk = (layers: LayerState[]): LayerTreeNode[] =>
        layers.map((l) => ({
          id: l.id,
          name: l.name,
          kind: l.kind,
          visible: l.visible,
          ...(l.children ? { children: walk(l.children) } : {}),
        }));
      return walk(docOf(doc).layers);
    },

    /** Modal state: cancellation hooks, API-call counting, progress reports, a competing plugin. */
    modal: {
      /** The user cancels now (Escape / progress-bar Cancel). False if this plugin is not modal. */
      cancel: (reason?: string) => modal.cancel(reason),
      /** Cancel during the n-th Photoshop API call made from now on; that call rejects. */
      cancelAtCall: (n: number, reason?: string) => modal.cancelAtCall(n, reason),
      /** Observe every API call inside a modal scope; the hook may call `cancel()`. Returns an unsubscribe function. */
      onApiCall: (hook: (apiName: string, callNumber: number) => void) => modal.onApiCall(hook),
      get apiCallCount() {
        return modal.apiCallCount;
      },
      get cancelTriggered() {
        return modal.cancelTriggered;
      },
      get progress() {
        return modal.progress;
      },
      holdByOtherPlugin: (pluginId?: string) => modal.holdByOtherPlugin(pluginId),
      releaseOtherPlugin: () => modal.releaseOtherPlugin(),
      isModal: () => modal.isModal(),
    },

    /** The Actions panel: startRecording / stopRecording / steps / play(name, {step, recordAgain, refuseDialogs}). */
    actions,

    /** The installed plugin: install({manifest, load}) once, launch() as Photoshop starts (loads it if loadEvent is "startup"). */
    plugin: {
      install(spec: { manifest: { host?: { data?: { loadEvent?: string } } }; load: () => void }): void {
        installed = { loadEvent: spec.manifest.host?.data?.loadEvent ?? 'use', load: spec.load };
      },
      launch(): void {
        if (installed?.loadEvent === 'startup') loadPlugin();
      },
      get loaded(): boolean {
        return pluginGlobals !== undefined;
      },
    },

    /**
     * The plugin's entrypoints as Photoshop drives them: runCommand, showPanel (show fires once), hidePanel (fires
     * nothing), invokePanelMenu. Running a command or showing a panel loads an installed plugin first ("use").
     */
    entrypoints: {
      runCommand: (id: string, ...args: unknown[]) => {
        loadPlugin();
        return entrypoints.runCommand(id, ...args);
      },
      /** Opens the panel: create(rootNode) the first time, then show; the root is an element of sim.document. */
      showPanel: (id: string, rootNode: unknown = panelRoot(id)) => {
        loadPlugin();
        return entrypoints.showPanel(id, rootNode);
      },
      /** The user hides the panel: no callback fires (PS-57284). */
      hidePanel: (id: string) => entrypoints.hidePanel(id),
      /** Closes the panel for good: destroy(rootNode), and its content leaves the document. */
      destroyPanel: async (id: string) => {
        await entrypoints.destroyPanel(id, panelRoot(id));
        panelRoots.get(id)?.remove();
        panelRoots.delete(id);
      },
      invokePanelMenu: (id: string, menuId: string) => entrypoints.invokePanelMenu(id, menuId),
      get isSetUp() {
        return entrypoints.isSetUp;
      },
    },

    /** Bundled files for getPluginFolder(); what the user picks in the next file-open dialog (null: Cancel). */
    files: {
      addPluginFile: (path: string, content: string | Uint8Array) => fileSystem.addPluginFile(path, content),
      pickNext: (file: { name: string; content: Uint8Array } | null) => fileSystem.pickNext(file),
      /** The name the user gives in the next save dialog (null: Cancel), and what a saved file holds. */
      saveNext: (name: string | null) => fileSystem.saveNext(name),
      saved: (name: string) => fileSystem.saved(name),
      folderNext: (path: string | null) => fileSystem.folderNext(path),
      folderNames: (path: string) => fileSystem.folderNames(path),
      diskFile: (path: string, name: string) => fileSystem.diskFile(path, name),
      removeDiskFolder: (path: string) => fileSystem.removeDiskFolder(path),
    },

    /** What host.version and versions.uxp / .plugin say (Photoshop 26.0.0, UXP 8.0.0 by default). */
    versions,

    /** The displays core.getDisplayConfiguration reports; `headroom` is maximumExtendedDynamicRangeColorComponent (26.5+). */
    displays,

    /** UXP's clipboard (navigator.clipboard, installed by install.ts): what setContent was last given. */
    clipboard,

    /** The plugin's HTML document (install.ts exposes it as globalThis.document), and what a user does with its widgets. */
    document,
    ui,

    /** Messages shown with core.showAlert, oldest first. */
    alerts,

    /** Page scripts served at URLs that webviews created by the plugin load, e.g. the engine page. */
    servePage: (url: string, page: PageScript) => bridge.pages.set(url, page),

    /** UXP's global localStorage (install.ts puts it on globalThis). */
    localStorage,

    /** The plugin's `window`: webview messages arrive here as `message` events (install.ts exposes it as globalThis.window). */
    window: bridge.window,

    /** A <webview> whose page script is `options.page` (a test double or the engine running in Node). */
    createWebview: (opts: WebviewOptions) => bridge.create(opts),

    /** Bridge traffic (bytes per message), listener errors, and settle() to wait for deliveries. */
    bridge,

    /**
     * Photoshop quits and starts again: documents close, the plugin unloads (entrypoints,
     * its HTML document and window listeners go); localStorage, the plugin's data folder
     * and recorded Actions persist. Load the plugin again afterwards.
     */
    relaunch(): void {
      world.reset();
      modal.reset();
      entrypoints.reset();
      document.reset();
      panelRoots.clear();
      bridge.window.removeAllListeners();
      unloadPlugin();
      sim.plugin.launch();
    },

    /** Back to a fresh Photoshop: no documents, modal state free, Actions, entrypoints, files and storage cleared. */
    reset(): void {
      world.reset();
      modal.reset();
      actions.reset();
      entrypoints.reset();
      fileSystem.reset();
      localStorage.clear();
      bridge.reset();
      app.resetCounters();
      document.reset();
      panelRoots.clear();
      alerts.length = 0;
      unloadPlugin();
      Object.assign(versions, { photoshop: '26.0.0', uxp: '8.0.0', plugin: '0.1.0' });
      displays.splice(0, displays.length, { primary: true });
      clipboard.content = undefined;
    },
  };

  function buildLayer(doc: DocState, spec: LayerSpec): LayerState {
    const n = colorComponents(doc.mode);
    const children = spec.children ? spec.children.map((c) => buildLayer(doc, c)) : null;
    const kind = spec.kind ?? (children ? constants.LayerKind.GROUP : constants.LayerKind.NORMAL);
    if (spec.background && (kind !== constants.LayerKind.NORMAL || children))
      throw new Error('simulator: a background layer is a pixel layer');
    const layer: LayerState = {
      id: doc.nextLayerId++,
      name: spec.name ?? (spec.background ? 'Background' : `Layer ${doc.nextLayerId - 1}`),
      kind,
      visible: spec.visible ?? true,
      opacity: spec.opacity ?? 100,
      blendMode: spec.blendMode ?? (children ? constants.BlendMode.PASSTHROUGH : constants.BlendMode.NORMAL),
      isBackground: spec.background ?? false,
      pixels: null,
      children,
    };
    const max = MAX_VALUE[doc.depth];
    if (spec.fill || (spec.background && !spec.pixels)) {
      const fill = spec.fill ?? new Array<number>(n).fill(max);
      if (fill.length !== n && fill.length !== n + 1) throw new Error(`simulator: fill needs ${n} or ${n + 1} values`);
      layer.pixels = emptyPixels(0, 0, doc.width, doc.height, n + 1);
      for (let p = 0; p < doc.width * doc.height; p++) {
        for (let c = 0; c <= n; c++)
          layer.pixels.data[p * (n + 1) + c] = c < n ? fill[c] : spec.background ? max : (fill[n] ?? max);
      }
    } else if (spec.pixels) {
      const { left = 0, top = 0, width, height, data } = spec.pixels;
      const comps = data.length / (width * height);
      if (comps !== n && comps !== n + 1)
        throw new Error(`simulator: ${data.length} values for ${width}×${height} pixels of ${n}(+1) components`);
      if (spec.background && (left !== 0 || top !== 0 || width !== doc.width || height !== doc.height))
        throw new Error('simulator: a background layer covers the canvas');
      layer.pixels = emptyPixels(left, top, width, height, n + 1);
      for (let p = 0; p < width * height; p++) {
        for (let c = 0; c <= n; c++)
          layer.pixels.data[p * (n + 1) + c] = c < n || comps === n + 1 ? data[p * comps + c] : max;
        if (spec.background) layer.pixels.data[p * (n + 1) + n] = max;
      }
    }
    if (layer.pixels && (children || ADJUSTMENT_KINDS.has(kind)))
      throw new Error(`simulator: a ${kind} layer has no pixels of its own`);
    if (spec.active) doc.activeIds.push(layer.id);
    return layer;
  }

  return { photoshop, uxp, sim };
}

export type PhotoshopSimulator = ReturnType<typeof createPhotoshopSimulator>;
export type { UxpSubset };
export type SimControls = PhotoshopSimulator['sim'];
