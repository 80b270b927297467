/**
 * The part of `require('uxp')` this plugin uses, typed from Adobe's UXP reference
 * ("require('uxp').entrypoints", "Persistent File Storage": FileSystemProvider,
 * File, Folder). @adobe/cc-ext-uxp-types 7.3.1 lacks storage.localFileSystem and
 * types setup's panels as an array with every handler required, hence this file.
 * Ambient (no top-level import), so it declares the module rather than augmenting it.
 */
declare module 'uxp' {
  type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

  /** setup(): a panel needs `create` or `show`; create/show/hide have a 300 ms timeout (manifest v5). */
  interface PanelEntrypoint {
    create?(rootNode: HTMLElement): unknown;
    show?(rootNode: HTMLElement, data?: unknown): unknown;
    hide?(rootNode: HTMLElement, data?: unknown): unknown;
    destroy?(rootNode: HTMLElement): unknown;
    invokeMenu?(menuId: string): unknown;
    menuItems?: Array<string | { id: string; label?: string; enabled?: boolean; checked?: boolean }>;
  }

  /** Manifest v5: `run(executionContext, ...arguments)`; may return a promise. */
  interface CommandEntrypoint {
    run: Handler;
    cancel?: Handler;
  }

  interface EntrypointsSetup {
    plugin?: Handler | { create: Handler; destroy?: Handler };
    panels?: Record<string, Handler | PanelEntrypoint>;
    commands?: Record<string, Handler | CommandEntrypoint>;
  }

  interface Entry {
    readonly name: string;
    readonly nativePath: string;
    readonly isFile: boolean;
    readonly isFolder: boolean;
    /** Moves (or, in the same folder, renames) the entry; `overwrite` replaces an existing file. */
    moveTo(folder: Folder, options?: { newName?: string; overwrite?: boolean }): Promise<void>;
  }

  interface File extends Entry {
    /** Size and dates (known issue PS-57307: invalid for files in the plugin's bundle, fine in the data folder). */
    getMetadata(): Promise<{ readonly size: number; readonly dateModified: Date }>;
    /** `formats.utf8` (default) gives a string, `formats.binary` an ArrayBuffer. */
    read(options?: { format?: symbol }): Promise<string | ArrayBuffer>;
    /** Creates the file on first write; returns the number of bytes written. */
    write(
      data: string | ArrayBuffer | ArrayBufferView,
      options?: { format?: symbol; append?: boolean },
    ): Promise<number>;
    delete(): Promise<void>;
  }

  interface Folder extends Entry {
    getEntries(): Promise<Array<File | Folder>>;
    getEntry(filePath: string): Promise<File | Folder>;
    createFile(name: string, options?: { overwrite?: boolean }): Promise<File>;
    createFolder(name: string): Promise<Folder>;
  }

  interface FileSystemProvider {
    /** The save dialog; undefined/null when the user cancels. */
    getFileForSaving(suggestedName: string, options?: { types?: string[] }): Promise<File | undefined | null>;
    /** Read-only files; `types` are extensions without the dot. Undefined/empty when nothing was picked. */
    getFileForOpening(options?: {
      types?: string[];
      allowMultiple?: false;
      initialDomain?: symbol;
    }): Promise<File | undefined | null>;
    getDataFolder(): Promise<Folder>;
    /** Read-only. */
    getPluginFolder(): Promise<Folder>;
    getTemporaryFolder(): Promise<Folder>;
    /** The folder dialog; null when the user cancels. Files within are read-write. */
    getFolder(options?: { initialDomain?: symbol }): Promise<Folder | null>;
    /** A token to store (e.g. in an Action step) and reach the entry again in later sessions. */
    createPersistentToken(entry: Entry): Promise<string>;
    /** The entry of a persistent token; rejects when the token no longer resolves ("token is not defined"). */
    getEntryForPersistentToken(token: string): Promise<File | Folder>;
  }

  /** The host application: `host.version` is Photoshop's version, e.g. "26.0.0" (UXP reference, "host"). */
  export const host: { readonly name: string; readonly version: string };
  /** `versions.uxp`: the UXP version; `versions.plugin`: the plugin's, from its manifest. */
  export const versions: { readonly uxp: string; readonly plugin: string };
  export const entrypoints: { setup(entrypoints: EntrypointsSetup): void };
  export const storage: {
    localFileSystem: FileSystemProvider;
    formats: { readonly utf8: symbol; readonly binary: symbol };
    types: { readonly file: symbol; readonly folder: symbol };
  };
}

/**
 * UXP's `<dialog>`: `uxpShowModal` resolves with the return value when closed, rejects when dismissed
 * (Escape) or refused: then `error.code` "can be equal to" one of these (HTMLDialogElement docs).
 */
interface HTMLDialogElement {
  /** "the application does not allow showing dialogs (e.g. only one dialog is allowed)". */
  readonly REJECTION_REASON_NOT_ALLOWED: unknown;
  /** "the node has been detached from DOM tree". */
  readonly REJECTION_REASON_DETACHED: unknown;
  uxpShowModal(options?: {
    title?: string;
    resize?: 'none' | 'horizontal' | 'vertical' | 'both';
    size?: { width: number; height: number };
  }): Promise<unknown>;
}
