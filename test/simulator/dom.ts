/**
 * The `app`, Document and Layer objects of the photoshop DOM that the plugin uses.
 * Handles hold only ids and read the World on every access (Photoshop's DOM objects
 * are references by id: `new Layer(id, docId)`), so history rollback and deletion
 * are visible through handles the plugin already holds.
 */
import type { DocumentCreateOptions } from 'photoshop/dom/types/DocumentTypes';
import type { PixelLayerCreateOptions } from 'photoshop/dom/types/LayerTypes';
import type { AppShape, BoundsShape, DocumentShape, LayerShape } from './api-types';
import type { BitsValue, DocumentModeValue, LayerKindValue, PlacementValue } from './constants';
import { ADJUSTMENT_KINDS, constants } from './constants';
import { simError } from './errors';
import type { Depth, DocState, LayerState } from './store';
import {
  BITS_TO_DEPTH,
  DEPTH_TO_BITS,
  LINEAR_SUFFIX,
  MAX_VALUE,
  allLayers,
  colorComponents,
  convertDepth,
  emptyPixels,
  locateLayer,
  pixelBounds,
  profileName,
} from './store';
import type { World } from './world';

const K = constants.LayerKind;
const M = constants.DocumentMode;

export class SimLayer implements LayerShape {
  constructor(
    private readonly world: World,
    private readonly docId: number,
    readonly id: number,
  ) {}

  private get state(): { doc: DocState; layer: LayerState; parent: LayerState | null; siblings: LayerState[] } {
    const doc = this.world.findDoc(this.docId);
    const found = doc && locateLayer(doc, this.id);
    if (!doc || !found) throw simError('not-found', `Layer ${this.id} of document ${this.docId} no longer exists`);
    return { doc, ...found };
  }

  get typename(): 'Layer' {
    return 'Layer';
  }
  get name(): string {
    return this.state.layer.name;
  }
  set name(name: string) {
    this.change('Layer.name', 'Rename Layer', (l) => {
      l.name = String(name);
    });
  }
  get kind(): LayerKindValue {
    return this.state.layer.kind;
  }
  get visible(): boolean {
    return this.state.layer.visible;
  }
  set visible(v: boolean) {
    this.change('Layer.visible', v ? 'Show Layer' : 'Hide Layer', (l) => {
      l.visible = Boolean(v);
    });
  }
  get opacity(): number {
    return this.state.layer.opacity;
  }
  set opacity(v: number) {
    this.change('Layer.opacity', 'Layer Opacity', (l) => {
      l.opacity = Math.min(100, Math.max(0, v));
    });
  }
  get blendMode() {
    return this.state.layer.blendMode;
  }
  get isBackgroundLayer(): boolean {
    return this.state.layer.isBackground;
  }

  /** "Bounds of the layer": the box around its non-transparent pixels, in document pixels (right/bottom exclusive). */
  get bounds(): BoundsShape {
    return bounds(this.state.layer);
  }
  /** Effects are not modelled, so this equals `bounds`; the imaging docs name it as the valid getPixels region. */
  get boundsNoEffects(): BoundsShape {
    return bounds(this.state.layer);
  }
  get document(): SimDocument {
    return new SimDocument(this.world, this.docId);
  }
  get parent(): SimLayer | null {
    const p = this.state.parent;
    return p ? new SimLayer(this.world, this.docId, p.id) : null;
  }
  /** Group children, top first; null for a non-group layer. */
  get layers(): SimLayer[] | null {
    const c = this.state.layer.children;
    return c ? c.map((l) => new SimLayer(this.world, this.docId, l.id)) : null;
  }

  /** Layer.delete(). Photoshop keeps at least one layer in a document; the simulator refuses to delete the last. */
  delete(): void {
    const { doc, layer, siblings } = this.state;
    this.world.modal.assertMutable('Layer.delete');
    if (allLayers(doc.layers).length === 1)
      throw simError('invalid-argument', 'Layer.delete: a document needs at least one layer');
    siblings.splice(siblings.indexOf(layer), 1);
    const gone = new Set(allLayers([layer]).map((l) => l.id));
    doc.activeIds = doc.activeIds.filter((id) => !gone.has(id));
    this.world.touch(doc, 'Delete Layer');
  }

  /**
   * Layer.move(relativeObject, insertLocation): "placeBefore" puts the layer above
   * relativeObject, "placeAfter" below it, "placeInside" into a group. The background
   * layer stays at the bottom (it cannot be moved, nothing goes below it).
   */
  move(relativeObject: LayerShape, insertLocation: PlacementValue): void {
    const { doc, layer, siblings } = this.state;
    this.world.modal.assertMutable('Layer.move');
    if (!(relativeObject instanceof SimLayer) || relativeObject.docId !== this.docId) {
      throw simError('invalid-argument', 'Layer.move: relativeObject must be a layer of the same document');
    }
    const target = relativeObject.state;
    if (layer.isBackground) throw simError('invalid-argument', 'Layer.move: the background layer cannot be moved');
    if (target.layer === layer || allLayers([layer]).includes(target.layer)) {
      throw simError('invalid-argument', 'Layer.move: cannot move a layer relative to itself or into itself');
    }
    const P = constants.ElementPlacement;
    let list: LayerState[], index: number;
    if (insertLocation === P.PLACEINSIDE) {
      if (!target.layer.children) throw simError('invalid-argument', 'Layer.move: PLACEINSIDE needs a group');
      [list, index] = [target.layer.children, 0];
    } else if (insertLocation === P.PLACEBEFORE || insertLocation === P.PLACEAFTER) {
      if (insertLocation === P.PLACEAFTER && target.layer.isBackground) {
        throw simError('invalid-argument', 'Layer.move: nothing can go below the background layer');
      }
      list = target.siblings;
      index = -1; // computed after removal
    } else {
      throw simError('not-modelled', `simulator: Layer.move with "${insertLocation}"`);
    }
    siblings.splice(siblings.indexOf(layer), 1);
    if (index < 0) index = list.indexOf(target.layer) + (insertLocation === P.PLACEAFTER ? 1 : 0);
    list.splice(index, 0, layer);
    this.world.touch(doc, 'Layer Order');
  }

  private change(op: string, history: string, apply: (layer: LayerState) => void): void {
    const { doc, layer } = this.state;
    this.world.modal.assertMutable(op);
    apply(layer);
    this.world.touch(doc, history);
  }
}

/** A group's bounds enclose its children's; adjustment and empty layers have {0, 0, 0, 0}. */
function bounds(layer: LayerState): BoundsShape {
  const boxes = (layer.children ? allLayers(layer.children) : [layer])
    .filter((l) => !ADJUSTMENT_KINDS.has(l.kind))
    .map((l) => pixelBounds(l.pixels))
    .filter((r) => r.right > r.left);
  const r =
    boxes.length === 0
      ? { left: 0, top: 0, right: 0, bottom: 0 }
      : {
          left: Math.min(...boxes.map((b) => b.left)),
          top: Math.min(...boxes.map((b) => b.top)),
          right: Math.max(...boxes.map((b) => b.right)),
          bottom: Math.max(...boxes.map((b) => b.bottom)),
        };
  return { ...r, width: r.right - r.left, height: r.bottom - r.top };
}

export class SimDocument implements DocumentShape {
  constructor(
    private readonly world: World,
    readonly id: number,
  ) {}

  private get state(): DocState {
    const doc = this.world.findDoc(this.id);
    if (!doc) throw simError('not-found', `Document ${this.id} is closed`);
    return doc;
  }

  get typename(): 'Document' {
    return 'Document';
  }
  get name(): string {
    return this.state.name;
  }
  get title(): string {
    return this.state.name;
  }
  get width(): number {
    return this.state.width;
  }
  get height(): number {
    return this.state.height;
  }
  get resolution(): number {
    return this.state.resolution;
  }
  get mode(): DocumentModeValue {
    return this.state.mode;
  }
  /**
   * 32-bit documents report a linear profile name (imaging docs: "(Linear RGB Profile)").
   * "Valid only when colorProfileType is CUSTOM or WORKING, returns "None" otherwise" (document.md).
   */
  get colorProfileName(): string {
    return this.state.untagged ? 'None' : profileName(this.state.profile, this.state.mode, this.state.depth);
  }
  get layers(): SimLayer[] {
    return this.state.layers.map((l) => new SimLayer(this.world, this.id, l.id));
  }
  get activeLayers(): SimLayer[] {
    return this.state.activeIds.map((id) => new SimLayer(this.world, this.id, id));
  }

  get bitsPerChannel(): BitsValue {
    return DEPTH_TO_BITS[this.state.depth];
  }
  /**
   * Settable since 23.0. Converts every layer's pixels (see store.convertDepth for the
   * exact encodings). 32 bits/channel exists for RGB and Grayscale documents only.
   */
  set bitsPerChannel(bits: BitsValue) {
    const doc = this.state;
    this.world.modal.assertMutable('Document.bitsPerChannel');
    const depth = BITS_TO_DEPTH[bits];
    if (!depth)
      throw simError(
        bits === constants.BitsPerChannelType.ONE ? 'not-modelled' : 'invalid-argument',
        `Document.bitsPerChannel: ${String(bits)}`,
      );
    if (depth === doc.depth) return;
    if (depth === 32 && doc.mode !== M.RGB && doc.mode !== M.GRAYSCALE) {
      throw simError(
        'invalid-argument',
        `Document.bitsPerChannel: 32 bits/channel needs an RGB or Grayscale document (mode ${doc.mode})`,
      );
    }
    if (doc.mode === M.INDEXEDCOLOR || doc.mode === M.BITMAP)
      throw simError('invalid-argument', `Document.bitsPerChannel: not available in ${doc.mode}`);
    convertDepth(doc, depth);
    this.world.touch(doc, `${depth} Bits/Channel`);
  }

  /**
   * createPixelLayer (24.1+). Like Layer > New, the layer goes directly above the
   * top-most selected layer (at the top when none is) and becomes the only selected one.
   */
  async createPixelLayer(options: PixelLayerCreateOptions = {}): Promise<SimLayer | null> {
    const doc = this.state;
    this.world.modal.assertMutable('Document.createPixelLayer');
    this.world.modal.enterApi('Document.createPixelLayer');
    if (options.fillNeutral) throw simError('not-modelled', 'simulator: createPixelLayer({fillNeutral: true})');
    const layer: LayerState = {
      id: doc.nextLayerId++,
      name: options.name ?? nextLayerName(doc),
      kind: K.NORMAL,
      visible: true,
      opacity: options.opacity ?? 100,
      blendMode: options.blendMode ?? options.mode ?? constants.BlendMode.NORMAL,
      isBackground: false,
      pixels: null,
      children: null,
    };
    const topSelected = allLayers(doc.layers).find((l) => doc.activeIds.includes(l.id));
    const anchor = topSelected && locateLayer(doc, topSelected.id);
    if (anchor) anchor.siblings.splice(anchor.siblings.indexOf(anchor.layer), 0, layer);
    else doc.layers.unshift(layer);
    doc.activeIds = [layer.id];
    this.world.touch(doc, 'New Layer');
    return new SimLayer(this.world, this.id, layer.id);
  }

  /** "Close the document, discarding all unsaved changes." */
  closeWithoutSaving(): void {
    const doc = this.state;
    this.world.modal.assertMutable('Document.closeWithoutSaving');
    this.world.closeDoc(doc.id);
  }
}

function nextLayerName(doc: DocState): string {
  const numbers = allLayers(doc.layers)
    .map((l) => /^Layer (\d+)$/.exec(l.name))
    .filter((m) => m)
    .map((m) => Number(m![1]));
  return `Layer ${Math.max(0, ...numbers) + 1}`;
}

/** Default profile per new-document mode (Photoshop's default working spaces; gray assumed "Gray Gamma 2.2"). */
const DEFAULT_PROFILE: Record<string, string> = {
  RGBColorMode: 'sRGB IEC61966-2.1',
  grayscaleMode: 'Gray Gamma 2.2',
  labColorMode: 'Lab D50',
  CMYKColorMode: 'U.S. Web Coated (SWOP) v2',
  bitmapMode: '',
};

/** What a new document is made from: its state's own fields, untagged by default false. */
export type NewDocState = Pick<DocState, 'name' | 'width' | 'height' | 'resolution' | 'mode' | 'depth' | 'profile'> &
  Partial<Pick<DocState, 'untagged'>>;

/** A new document in the World; `fill` as in DocumentCreateOptions ('transparent' makes "Layer 1"). */
export function addDocState(world: World, spec: NewDocState, fill: string): DocState {
  const doc: DocState = {
    id: world.nextDocId++,
    ...spec,
    untagged: spec.untagged ?? false,
    layers: [],
    activeIds: [],
    nextLayerId: 1,
    revision: 0,
    history: [],
    suspension: null,
  };
  const n = colorComponents(spec.mode);
  const max = MAX_VALUE[spec.depth];
  const pixelModel = spec.mode === M.RGB || spec.mode === M.GRAYSCALE;
  const transparent = fill === constants.DocumentFill.TRANSPARENT;
  const buf = pixelModel ? emptyPixels(0, 0, spec.width, spec.height, n + 1) : null;
  if (buf && !transparent) {
    const value = fill === constants.DocumentFill.BLACK ? 0 : max; // white, or the default white background colour
    for (let i = 0; i < buf.data.length; i++) buf.data[i] = i % (n + 1) === n ? max : value;
  }
  doc.layers.push({
    id: doc.nextLayerId++,
    name: transparent ? 'Layer 1' : 'Background',
    kind: K.NORMAL,
    visible: true,
    opacity: 100,
    blendMode: constants.BlendMode.NORMAL,
    isBackground: !transparent,
    pixels: transparent ? null : buf,
    children: null,
  });
  doc.activeIds = [doc.layers[0].id];
  world.docs.push(doc);
  world.activeDocId = doc.id;
  return doc;
}

export class SimApp implements AppShape {
  private untitled = 1;
  constructor(private readonly world: World) {}

  get typename(): 'Photoshop' {
    return 'Photoshop';
  }
  /** null when no document is open (Adobe's imaging sample tests `app.activeDocument === null`). */
  get activeDocument(): SimDocument | null {
    return this.world.activeDocId === null ? null : new SimDocument(this.world, this.world.activeDocId);
  }
  get documents(): SimDocument[] {
    return this.world.docs.map((d) => new SimDocument(this.world, d.id));
  }

  /**
   * createDocument: "Any parameter missing will be set to the default of: width 2100
   * pixels, height 1500 pixels, resolution 300 pixels per inch, mode: RGBColorMode and
   * a fill of white"; depth defaults to 8 and is one of 8, 16, 32.
   */
  async createDocument(options: DocumentCreateOptions = {}): Promise<SimDocument | null> {
    this.world.modal.assertMutable('app.createDocument');
    this.world.modal.enterApi('app.createDocument');
    if (
      options.preset !== undefined ||
      options.presetJSON !== undefined ||
      options.fillColor !== undefined ||
      options.fill === constants.DocumentFill.COLOR
    )
      throw simError('not-modelled', 'simulator: createDocument presets and custom fill colours');
    const mode = (options.mode ?? constants.NewDocumentMode.RGB) as string as DocumentModeValue;
    const depth = (options.depth ?? 8) as Depth;
    // "None" is what colorProfileName reports for an untagged document, not a profile name.
    if (options.profile === 'None')
      throw simError('invalid-argument', 'createDocument: there is no colour profile named "None"');
    if (![8, 16, 32].includes(depth)) throw simError('invalid-argument', `createDocument: depth ${options.depth}`);
    if (depth === 32 && mode !== M.RGB && mode !== M.GRAYSCALE)
      throw simError('invalid-argument', 'createDocument: 32-bit needs RGB or Grayscale');
    const doc = addDocState(
      this.world,
      {
        name: options.name ?? `Untitled-${this.untitled++}`,
        width: options.width ?? 2100,
        height: options.height ?? 1500,
        resolution: options.resolution ?? 300,
        mode,
        depth,
        profile: (options.profile ?? DEFAULT_PROFILE[mode] ?? '').replace(LINEAR_SUFFIX, ''),
      },
      options.fill ?? constants.DocumentFill.WHITE,
    );
    return new SimDocument(this.world, doc.id);
  }

  resetCounters(): void {
    this.untitled = 1;
  }
}
