/**
 * Where the exported JPEG goes: a folder the user picked, kept as a UXP persistent token so
 * an Action step reaches it again in a later session. The file is written under a temporary
 * name in that folder and renamed into place, so a reader never sees half a file and a
 * failed write leaves the old file, if any, as it was.
 */
import { storage, type Folder } from 'uxp';
import { UserError } from '../plugin-core/errors';

export interface PickedFolder {
  readonly folder: Folder;
  readonly token: string;
}

/** The folder dialog; undefined when the user cancels. */
export async function pickOutputFolder(): Promise<PickedFolder | undefined> {
  const fs = storage.localFileSystem;
  const folder = await fs.getFolder();
  if (!folder) return undefined;
  return { folder, token: await fs.createPersistentToken(folder) };
}

/** The folder of a recorded step; a UserError when the token no longer reaches it. */
export async function folderOfToken(token: string): Promise<Folder> {
  let entry;
  try {
    entry = await storage.localFileSystem.getEntryForPersistentToken(token);
  } catch (e) {
    throw new UserError(
      `The Action's output folder cannot be reached any more (${(e as Error).message}): record the step again.`,
    );
  }
  if (!entry.isFolder) throw new UserError("The Action's output is not a folder: record the step again.");
  return entry as Folder;
}

let serial = 0;

/** Writes `bytes` as `name` in `folder` (temporary name, then rename); says whether a file was replaced. */
export async function writeIntoFolder(
  folder: Folder,
  name: string,
  bytes: Uint8Array,
): Promise<{ path: string; replaced: boolean }> {
  const entries = await folder.getEntries();
  const existing = entries.find((e) => e.name === name);
  if (existing?.isFolder)
    throw new UserError(`“${name}” is a folder in ${folder.nativePath}: choose another file name.`);
  const temp = await folder.createFile(`.${name}.${Date.now()}-${++serial}.tmp`, { overwrite: true });
  try {
    await temp.write(bytes, { format: storage.formats.binary });
    await temp.moveTo(folder, { newName: name, overwrite: true });
  } catch (e) {
    await temp.delete().catch(() => undefined); // may never have been created
    throw new UserError(`Could not write “${name}” in ${folder.nativePath}: ${(e as Error).message}.`);
  }
  return { path: `${folder.nativePath}/${name}`, replaced: existing !== undefined };
}
