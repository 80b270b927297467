/** Writes text to a file the user picks in the save dialog (UXP getFileForSaving). */
import { storage } from 'uxp';

/** Resolves with the file's path, or undefined when the user cancelled the dialog. */
export async function saveTextFile(suggestedName: string, text: string): Promise<string | undefined> {
  const file = await storage.localFileSystem.getFileForSaving(suggestedName, { types: ['txt'] });
  if (!file) return undefined;
  await file.write(text, { format: storage.formats.utf8 });
  return file.nativePath;
}
