/**
 * The part of `require('uxp')` and of UXP's globals the plugin uses: entrypoints.setup,
 * storage.localFileSystem (data and plugin folders, in memory), localStorage, and the
 * <webview> message bridge. Typed by hand from the UXP reference: @adobe/cc-ext-uxp-types
 * 7.3.1 cannot describe it (it has no `storage.localFileSystem`, types `setup`'s panels
 * as an array with every handler required, and its globals clash with the DOM lib).
 */
import { simError } from './errors';

// ---------------------------------------------------------------- entrypoints

type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface PanelEntrypoint {
  create?: Handler;
  show?: Handler;
  hide?: Handler;
  destroy?: Handler;
  invokeMenu?: Handler;
  menuItems?: unknown[];
}
export interface CommandEntrypoint {
  run: Handler;
  cancel?: Handler;
}
export interface EntrypointsSetup {
  plugin?: Handler | { create: Handler; destroy?: Handler };
  panels?: Record<string, Handler | PanelEntrypoint>;
  commands?: Record<string, Handler | CommandEntrypoint>;
}

/** "Manifest v5: entrypoint callbacks ... This has a default Timeout of 300 MSec." */
export const ENTRYPOINT_TIMEOUT_MS = 300;

export class Entrypoints {
  private setupData: EntrypointsSetup | null = null;
  private created = new Set<string>();
  /** Panels whose `show` has fired in this plugin load (PS-57284: it fires once). */
  private shown = new Set<string>();

  reset(): void {
    this.setupData = null;
    this.created.clear();
    this.shown.clear();
  }

  /** "This API can only be called once ... The function throws in case of any error in entrypoints data or if its called more than once." */
  setup = (entrypoints: EntrypointsSetup): void => {
    if (this.setupData) throw simError('invalid-argument', 'entrypoints.setup: already called');
    for (const [id, p] of Object.entries(entrypoints.panels ?? {})) {
      if (typeof p !== 'function' && typeof p?.create !== 'function' && typeof p?.show !== 'function') {
        throw simError('invalid-argument', `entrypoints.setup: panel "${id}" needs create or show`);
      }
    }
    for (const [id, c] of Object.entries(entrypoints.commands ?? {})) {
      if (typeof c !== 'function' && typeof c?.run !== 'function')
        throw simError('invalid-argument', `entrypoints.setup: command "${id}" needs run`);
    }
    if (
      entrypoints.plugin &&
      typeof entrypoints.plugin !== 'function' &&
      typeof entrypoints.plugin.create !== 'function'
    ) {
      throw simError('invalid-argument', 'entrypoints.setup: plugin needs create');
    }
    this.setupData = entrypoints;
  };

  get isSetUp(): boolean {
    return this.setupData !== null;
  }

  /** The user picks the command from the Plugins menu. A function entry is its `run` (manifest v5: `run(executionContext, ...args)`; the context's contents are undocumented, so an empty object stands in). */
  async runCommand(id: string, ...args: unknown[]): Promise<unknown> {
    const c = this.setupData?.commands?.[id];
    if (!c) throw new Error(`simulator: no command "${id}" was set up`);
    const run = typeof c === 'function' ? c : c.run;
    return run.call({ id }, {}, ...args);
  }

  /**
   * The panel becomes visible: `create(rootNode)` the first time, each held to the 300 ms limit.
   * Known issue PS-57284 (Known UXP Issues in Photoshop, "Events"): "`uxpshowpanel` and the
   * corresponding `show` callback occurs only once, when the panel is initially made visible.
   * It will not recur." So `show(rootNode, data)` fires at the first showing of a plugin load only.
   */
  async showPanel(id: string, rootNode: unknown = {}): Promise<void> {
    const p = this.panel(id);
    if (!this.created.has(id)) {
      this.created.add(id);
      if (typeof p !== 'function' && p.create)
        await withinTimeout(p.create.call({ id }, rootNode), `panel "${id}" create`);
    }
    if (this.shown.has(id)) return;
    this.shown.add(id);
    const show = typeof p === 'function' ? p : p.show;
    if (show) await withinTimeout(show.call({ id }, rootNode, {}), `panel "${id}" show`);
  }

  /**
   * The user hides the panel (closes its tab, collapses it). PS-57284: "`uxphidepanel` and the
   * corresponding `hide` callback never occurs, even when the panel is made invisible." So nothing
   * is called; the panel's content stays in the document.
   */
  async hidePanel(id: string): Promise<void> {
    this.panel(id);
  }

  /** The panel is closed for good: `destroy(rootNode)` (no timeout is documented for it). */
  async destroyPanel(id: string, rootNode: unknown = {}): Promise<void> {
    const p = this.panel(id);
    this.created.delete(id);
    if (typeof p !== 'function' && p.destroy) await p.destroy.call({ id }, rootNode);
  }

  async invokePanelMenu(id: string, menuId: string): Promise<void> {
    const p = this.panel(id);
    if (typeof p === 'function' || !p.invokeMenu) throw new Error(`simulator: panel "${id}" has no invokeMenu`);
    await p.invokeMenu.call({ id }, menuId);
  }

  private panel(id: string): Handler | PanelEntrypoint {
    const p = this.setupData?.panels?.[id];
    if (!p) throw new Error(`simulator: no panel "${id}" was set up`);
    return p;
  }
}

/** What Photoshop does past the limit is undocumented; the simulator fails the call so slow handlers show up. */
async function withinTimeout(value: unknown, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(simError('not-modelled', `simulator: ${what} took longer than ${ENTRYPOINT_TIMEOUT_MS} ms`)),
      ENTRYPOINT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([Promise.resolve(value), limit]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- storage
// (the module object is assembled in index.ts and checked against src/host/uxp.d.ts: see UxpSubset below)

export const formats = Object.freeze({ utf8: Symbol('utf8'), binary: Symbol('binary') });
export const types = Object.freeze({ file: Symbol('file'), folder: Symbol('folder') });

type Node =
  | { kind: 'file'; content: Uint8Array; modified: Date }
  | { kind: 'folder'; children: Map<string, Node>; modified: Date };

abstract class SimEntry {
  constructor(
    readonly name: string,
    readonly nativePath: string,
    protected readonly readOnly: boolean,
  ) {}
  abstract readonly isFile: boolean;
  abstract readonly isFolder: boolean;
  get url(): string {
    return `file://${this.nativePath}`;
  }
  toString(): string {
    return this.nativePath;
  }
  protected writable(op: string): void {
    // getPluginFolder: "this folder and everything within it are read only".
    if (this.readOnly) throw simError('invalid-argument', `${op}: ${this.nativePath} is read-only`);
  }
}

export class SimFile extends SimEntry {
  readonly isFile = true;
  readonly isFolder = false;
  constructor(
    name: string,
    path: string,
    readOnly: boolean,
    private readonly parent: Map<string, Node>,
  ) {
    super(name, path, readOnly);
  }

  private node(): Extract<Node, { kind: 'file' }> | undefined {
    const n = this.parent.get(this.name);
    return n?.kind === 'file' ? n : undefined;
  }

  /** read({format = formats.utf8}): a string, or an ArrayBuffer with formats.binary. */
  async read(options: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
    const n = this.node();
    if (!n) throw simError('not-found', `read: ${this.nativePath} does not exist`);
    if (options.format === formats.binary) return n.content.slice().buffer;
    return new TextDecoder().decode(n.content);
  }

  /** write(data, {format = formats.utf8, append = false}) → the number of bytes written. The file is created on first write. */
  async write(
    data: string | ArrayBuffer | ArrayBufferView,
    options: { format?: symbol; append?: boolean } = {},
  ): Promise<number> {
    this.writable('write');
    let bytes: Uint8Array;
    if (options.format === formats.binary) {
      if (typeof data === 'string') throw simError('invalid-argument', 'write: binary format needs an ArrayBuffer');
      bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data.slice(0))
          : new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    } else {
      if (typeof data !== 'string') throw simError('invalid-argument', 'write: utf8 format needs a string');
      bytes = new TextEncoder().encode(data);
    }
    const old = options.append ? (this.node()?.content ?? new Uint8Array(0)) : new Uint8Array(0);
    const content = new Uint8Array(old.length + bytes.length);
    content.set(old);
    content.set(bytes, old.length);
    this.parent.set(this.name, { kind: 'file', content, modified: new Date() });
    return bytes.length;
  }

  async delete(): Promise<void> {
    this.writable('delete');
    if (!this.parent.delete(this.name)) throw simError('not-found', `delete: ${this.nativePath} does not exist`);
  }

  /** moveTo(folder, {newName, overwrite = false}): "If `true` allows the move to overwrite existing files". */
  async moveTo(folder: SimFolder, options: { newName?: string; overwrite?: boolean } = {}): Promise<void> {
    this.writable('moveTo');
    const node = this.node();
    if (!node) throw simError('not-found', `moveTo: ${this.nativePath} does not exist`);
    const name = options.newName ?? this.name;
    const target = folder.childMap('moveTo');
    if (target.has(name) && !options.overwrite)
      throw simError('invalid-argument', `moveTo: ${folder.nativePath}/${name} exists`);
    if (target.get(name)?.kind === 'folder')
      throw simError('invalid-argument', `moveTo: ${folder.nativePath}/${name} is a folder`);
    this.parent.delete(this.name);
    target.set(name, node);
  }

  async getMetadata(): Promise<{ name: string; size: number; dateModified: Date; isFile: boolean; isFolder: boolean }> {
    const n = this.node();
    if (!n) throw simError('not-found', `getMetadata: ${this.nativePath} does not exist`);
    return { name: this.name, size: n.content.length, dateModified: n.modified, isFile: true, isFolder: false };
  }
}

export class SimFolder extends SimEntry {
  readonly isFile = false;
  readonly isFolder = true;
  constructor(
    name: string,
    path: string,
    readOnly: boolean,
    private readonly children: Map<string, Node>,
  ) {
    super(name, path, readOnly);
  }

  async moveTo(): Promise<void> {
    throw simError('not-modelled', 'simulator: moving a folder');
  }

  /** For moveTo into this folder. */
  childMap(op: string): Map<string, Node> {
    this.writable(op);
    return this.children;
  }

  private wrap(name: string, node: Node): SimFile | SimFolder {
    const path = `${this.nativePath}/${name}`;
    return node.kind === 'file'
      ? new SimFile(name, path, this.readOnly, this.children)
      : new SimFolder(name, path, this.readOnly, node.children);
  }

  async getEntries(): Promise<(SimFile | SimFolder)[]> {
    return [...this.children].map(([name, node]) => this.wrap(name, node));
  }

  /** getEntry(filePath): a name or a relative path; rejects when nothing is there. */
  async getEntry(filePath: string): Promise<SimFile | SimFolder> {
    const parts = filePath.split('/').filter((p) => p && p !== '.');
    let folder: SimFolder = this;
    for (let i = 0; i < parts.length; i++) {
      const node = folder.children.get(parts[i]);
      if (!node) throw simError('not-found', `getEntry: ${folder.nativePath}/${parts[i]} does not exist`);
      const entry = folder.wrap(parts[i], node);
      if (i === parts.length - 1) return entry;
      if (!(entry instanceof SimFolder)) throw simError('not-found', `getEntry: ${entry.nativePath} is not a folder`);
      folder = entry;
    }
    return folder;
  }

  /** createFile(name, {overwrite = false}): an entry object; the file itself appears on first write. */
  async createFile(name: string, options: { overwrite?: boolean } = {}): Promise<SimFile> {
    this.writable('createFile');
    if (this.children.has(name) && !options.overwrite)
      throw simError('invalid-argument', `createFile: ${this.nativePath}/${name} exists`);
    return new SimFile(name, `${this.nativePath}/${name}`, false, this.children);
  }

  async createFolder(name: string): Promise<SimFolder> {
    this.writable('createFolder');
    if (this.children.has(name)) throw simError('invalid-argument', `createFolder: ${this.nativePath}/${name} exists`);
    const node: Node = { kind: 'folder', children: new Map(), modified: new Date() };
    this.children.set(name, node);
    return new SimFolder(name, `${this.nativePath}/${name}`, false, node.children);
  }

  /** createEntry(name, {type = types.file, overwrite}). */
  async createEntry(name: string, options: { type?: symbol; overwrite?: boolean } = {}): Promise<SimFile | SimFolder> {
    return options.type === types.folder ? this.createFolder(name) : this.createFile(name, options);
  }
}

export class LocalFileSystem {
  private data = new Map<string, Node>();
  private plugin = new Map<string, Node>();
  private temp = new Map<string, Node>();
  private picks: Array<{ name: string; content: Uint8Array } | null> = [];
  private saves: Array<string | null> = [];
  private savedFiles = new Map<string, Node>();
  /** The user's disk outside the sandbox: folders by path (/Users/me/Pictures), reached only through getFolder. */
  private disk = new Map<string, Map<string, Node>>();
  private folderPicks: Array<string | null> = [];
  private tokens = new Map<string, string>();
  /** Called as a file dialog opens (index.ts: the document's PS-57264 click repeat). */
  onPickerOpened: () => void = () => undefined;

  reset(): void {
    this.data = new Map();
    this.plugin = new Map();
    this.temp = new Map();
    this.picks = [];
    this.saves = [];
    this.savedFiles = new Map();
    this.disk = new Map();
    this.folderPicks = [];
    this.tokens = new Map();
  }

  /** Test control: a folder of the user's disk (created empty the first time). */
  private diskFolder(path: string): SimFolder {
    let children = this.disk.get(path);
    if (!children) this.disk.set(path, (children = new Map()));
    return new SimFolder(path.slice(path.lastIndexOf('/') + 1), path, false, children);
  }

  /** Test control: the folder the user picks in the next folder dialog (null: they cancel). */
  folderNext(path: string | null): void {
    this.folderPicks.push(path);
  }

  /** Test control: the names in a folder of the user's disk, and a file's bytes there. */
  folderNames(path: string): string[] {
    return [...(this.disk.get(path)?.keys() ?? [])].sort();
  }

  diskFile(path: string, name: string): Uint8Array | undefined {
    const node = this.disk.get(path)?.get(name);
    return node?.kind === 'file' ? node.content : undefined;
  }

  /** Test control: the folder is gone (moved, deleted, or its permission revoked): its tokens no longer resolve. */
  removeDiskFolder(path: string): void {
    this.disk.delete(path);
  }

  /** getFolder(): "the selected folder or `null` if no folder is selected"; files within are read-write. */
  getFolder = async (): Promise<SimFolder | null> => {
    this.onPickerOpened();
    if (!this.folderPicks.length)
      throw new Error('simulator: a folder dialog opened but the test queued no pick (sim.files.folderNext)');
    const path = this.folderPicks.shift()!;
    return path === null ? null : this.diskFolder(path);
  };

  /**
   * createPersistentToken(entry) → Promise<string>. The docs say the token may stop working ("moving files,
   * changing permissions"); "you'll get an error at the time of use". Modelled for folders of the user's disk.
   */
  createPersistentToken = async (entry: SimFile | SimFolder): Promise<string> => {
    if (!(entry instanceof SimFolder) || !this.disk.has(entry.nativePath))
      throw simError('not-modelled', 'simulator: tokens for this entry');
    const token = `sim-token-${this.tokens.size + 1}`;
    this.tokens.set(token, entry.nativePath);
    return token;
  };

  /** getEntryForPersistentToken(token): the entry; an unknown token is "Reference Error: token is not defined". */
  getEntryForPersistentToken = async (token: string): Promise<SimFolder> => {
    const path = this.tokens.get(token);
    if (path === undefined || !this.disk.has(path)) throw new ReferenceError('token is not defined');
    return this.diskFolder(path);
  };

  /** Test control: what the user picks in the next open dialog (null: they cancel). */
  pickNext(file: { name: string; content: Uint8Array } | null): void {
    this.picks.push(file);
  }

  /**
   * getFileForOpening({types}): a read-only File, or nothing when the user cancels
   * ("Return empty if no file was selected"). `types` are extensions without the dot;
   * the picker only offers matching files, so a queued pick of another type is a test bug.
   */
  getFileForOpening = async (options: { types?: string[]; allowMultiple?: boolean } = {}): Promise<SimFile | null> => {
    if (options.allowMultiple) throw simError('not-modelled', 'simulator: getFileForOpening({allowMultiple: true})');
    this.onPickerOpened();
    if (!this.picks.length)
      throw new Error('simulator: a file dialog opened but the test queued no pick (sim.files.pickNext)');
    const pick = this.picks.shift()!;
    if (!pick) return null;
    const ext = pick.name.includes('.') ? pick.name.slice(pick.name.lastIndexOf('.') + 1) : '';
    const types = options.types ?? ['*'];
    if (!types.includes('*') && !types.includes(ext))
      throw new Error(`simulator: the picker offers ${types.join(', ')} files, not ${pick.name}`);
    const folder = new Map<string, Node>([
      [pick.name, { kind: 'file', content: pick.content.slice(), modified: new Date() }],
    ]);
    return new SimFile(pick.name, `/sim/picked/${pick.name}`, true, folder);
  };

  /** Test control: what the user names in the next save dialog (null: they cancel). */
  saveNext(name: string | null): void {
    this.saves.push(name);
  }

  /** What was written to a file saved through the save dialog, by name. */
  saved(name: string): string | undefined {
    const node = this.savedFiles.get(name);
    return node?.kind === 'file' ? new TextDecoder().decode(node.content) : undefined;
  }

  /**
   * getFileForSaving(suggestedName, {types}): a writable File where the user chose, or nothing when they
   * cancel. It opens a file dialog, so PS-57264 applies as for getFileForOpening.
   */
  getFileForSaving = async (suggestedName: string, options: { types?: string[] } = {}): Promise<SimFile | null> => {
    if (typeof suggestedName !== 'string' || !suggestedName)
      throw simError('invalid-argument', 'getFileForSaving: a suggested name is required');
    this.onPickerOpened();
    if (!this.saves.length)
      throw new Error('simulator: a save dialog opened but the test queued no answer (sim.files.saveNext)');
    const name = this.saves.shift()!;
    if (name === null) return null;
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
    if (options.types && !options.types.includes(ext))
      throw new Error(`simulator: the save dialog offers ${options.types.join(', ')} files, not ${name}`);
    return new SimFile(name, `/sim/saved/${name}`, false, this.savedFiles);
  };

  /** "a folder that can be used for extension's data storage without user interaction." */
  getDataFolder = async (): Promise<SimFolder> => new SimFolder('PluginData', '/sim/plugin-data', false, this.data);
  /** "this folder and everything within it are read only." */
  getPluginFolder = async (): Promise<SimFolder> => new SimFolder('plugin', '/sim/plugin', true, this.plugin);
  getTemporaryFolder = async (): Promise<SimFolder> => new SimFolder('tmp', '/sim/plugin-temp', false, this.temp);

  /** Test control: put a bundled file into the (read-only) plugin folder. */
  addPluginFile(path: string, content: string | Uint8Array): void {
    const parts = path.split('/').filter(Boolean);
    let dir = this.plugin;
    for (const part of parts.slice(0, -1)) {
      let node = dir.get(part);
      if (!node) dir.set(part, (node = { kind: 'folder', children: new Map(), modified: new Date() }));
      if (node.kind !== 'folder') throw new Error(`simulator: ${part} is a file`);
      dir = node.children;
    }
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content.slice();
    dir.set(parts[parts.length - 1], { kind: 'file', content: bytes, modified: new Date() });
  }
}

/** UXP's global `localStorage`: string values; getItem returns null for a missing key. */
export class SimLocalStorage {
  private items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(String(key)) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(String(key), String(value));
  }
  removeItem(key: string): void {
    this.items.delete(String(key));
  }
  clear(): void {
    this.items.clear();
  }
}

// ---------------------------------------------------------------- typing

/** The simulated `uxp` module. It must satisfy the declaration the plugin compiles against (src/host/uxp.d.ts). */
export interface UxpSubset {
  host: { readonly name: string; readonly version: string };
  versions: { readonly uxp: string; readonly plugin: string };
  entrypoints: { setup: Entrypoints['setup'] };
  storage: {
    localFileSystem: Pick<
      LocalFileSystem,
      | 'getFileForOpening'
      | 'getFileForSaving'
      | 'getDataFolder'
      | 'getPluginFolder'
      | 'getTemporaryFolder'
      | 'getFolder'
      | 'createPersistentToken'
      | 'getEntryForPersistentToken'
    >;
    formats: typeof formats;
    types: typeof types;
  };
}
type Assert<T extends true> = T;
type Conforms<S, R> = S extends R ? true : false;
/** Compile-time: the simulator's module can stand in for what src/host/uxp.d.ts declares. */
export type UxpChecks = [
  Assert<Conforms<UxpSubset, Pick<typeof import('uxp'), 'host' | 'versions' | 'entrypoints' | 'storage'>>>,
];
