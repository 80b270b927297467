/**
 * What "Export HDR JPEG…" needs besides the run's settings: the file-name pattern (kept in
 * localStorage) and, in a recorded Action step, the output folder's persistent token.
 * Host-free: plain data and checks.
 */
import { actionInfo, parseSettings, SettingsError, type KeyValueStore, type Settings } from './settings';

/** `{document}`: the document's name without its extension, so Batch writes one file per document. */
export const DEFAULT_NAME_PATTERN = '{document}_hdr.jpg';
export const EXPORT_KEY = 'hdr-reconstruct.export';

/** Characters no file name may hold on macOS or Windows (and control characters). */
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f]/;

/** The pattern, checked: one clear sentence for anything that cannot name a JPEG file. */
export function checkNamePattern(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw new SettingsError('the file name pattern is empty');
  const pattern = raw.trim();
  const unknown = pattern.match(/\{(?!document\})[^}]*\}/);
  if (unknown) throw new SettingsError(`the file name pattern may use {document}, not ${unknown[0]}`);
  if (FORBIDDEN.test(pattern))
    throw new SettingsError(
      `the file name pattern “${pattern}” holds a character that file names cannot (/ \\ : * ? " < > |)`,
    );
  if (!/\.jpe?g$/i.test(pattern)) throw new SettingsError(`the file name pattern “${pattern}” must end in .jpg`);
  return pattern;
}

/** The file name for a document: `{document}` is its title without extension, unusable characters as "_". */
export function fileNameFor(pattern: string, documentTitle: string): string {
  const stem = documentTitle.replace(/\.[^.]*$/, '').replace(new RegExp(FORBIDDEN.source, 'g'), '_') || 'Untitled';
  return checkNamePattern(pattern).split('{document}').join(stem);
}

export function loadNamePattern(store: KeyValueStore): string {
  try {
    return checkNamePattern(JSON.parse(store.getItem(EXPORT_KEY) ?? '{}').pattern);
  } catch {
    return DEFAULT_NAME_PATTERN;
  }
}

export function saveNamePattern(store: KeyValueStore, pattern: string): void {
  store.setItem(EXPORT_KEY, JSON.stringify({ pattern: checkNamePattern(pattern) }));
}

/** A recorded export step: the run's settings, the output folder's persistent token and the pattern. */
export interface ExportStep {
  readonly settings: Settings;
  readonly folderToken: string;
  readonly pattern: string;
}

export function parseExportStep(raw: unknown): ExportStep {
  const settings = parseSettings(raw); // also refuses a non-object
  const o = raw as Record<string, unknown>;
  if (typeof o.folderToken !== 'string' || !o.folderToken) throw new SettingsError('the output folder is missing');
  return { settings, folderToken: o.folderToken, pattern: checkNamePattern(o.pattern) };
}

export const exportStepInfo = (step: ExportStep): Record<string, unknown> => ({
  ...actionInfo(step.settings),
  folderToken: step.folderToken,
  pattern: step.pattern,
});
