/**
 * "Export HDR JPEG…" for each way one starts: the panel's button (folder dialog, then the
 * run in executeAsModal, then a step recorded into the Action being recorded, holding the
 * settings, the folder's persistent token and the file-name pattern), and the step's
 * playback (no dialog: the recorded folder, the pattern applied to the current document, so
 * Batch writes one file per document). Runs share the Runner's one-at-a-time rule, engine,
 * Cancel and listeners.
 */
import { action, core } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import type { ActionHandler } from './actions';
import { describeError } from '../plugin-core/errors';
import { folderOfToken, pickOutputFolder } from './export-folder';
import { checkNamePattern, exportStepInfo, fileNameFor, parseExportStep } from '../plugin-core/export-settings';
import { EXPORT_COMMAND, exportInModal, type ExportSummary } from './gain-map-export';
import type { RunOutcome, Runner } from './runner';
import { formatGamma, SettingsError, type Settings } from '../plugin-core/settings';
import { findTarget } from './target';

/** Only this name is stored in the step: keep it stable across versions. */
export const EXPORT_METHOD = 'hdrReconstructExportStep';
export const EXPORT_STEP_NAME = 'HDR Reconstruct: Export HDR JPEG';

const NOT_WRITTEN = 'Export cancelled: nothing was written.';

function describeExport(s: ExportSummary, settings: Settings, seconds: number, backend: string): string {
  const replaced = s.replaced ? ' (it replaced the file of that name)' : '';
  const notices = s.notices.length ? ` ${s.notices.join(' ')}` : '';
  return (
    `Exported “${s.fileName}”${replaced}, ${(s.bytes / 1024).toFixed(0)} KB, max boost ${s.maxBoostStops.toFixed(2)} stops:` +
    ` ${s.computedTiles} of ${s.tiles} tiles ran through the network on ${backend} in ${seconds.toFixed(1)} s` +
    ` (gamma ${formatGamma(settings.gamma)}).${notices}`
  );
}

export class GainMapExporter {
  constructor(private readonly runner: Runner) {}

  /** The panel's button; never throws. The outcome's message is for the status line. */
  async exportFromPanel(settings: Settings, pattern: string): Promise<RunOutcome<ExportSummary>> {
    let folder;
    try {
      fileNameFor(checkNamePattern(pattern), findTarget().documentTitle); // before any dialog
      folder = await pickOutputFolder();
    } catch (e) {
      return {
        ok: false,
        cancelled: false,
        message: e instanceof SettingsError ? `File name: ${e.message}.` : describeError(e),
      };
    }
    if (!folder) return { ok: false, cancelled: true, message: NOT_WRITTEN };
    const picked = folder;
    const outcome = await this.runner.runOther(
      settings,
      true,
      (lease, feedback, run, target) =>
        core.executeAsModal(
          (ctx) =>
            exportInModal(ctx, target, settings, lease.client, feedback, run, {
              folder: picked.folder,
              fileName: fileNameFor(pattern, target.documentTitle),
            }),
          { commandName: EXPORT_COMMAND },
        ),
      (s, seconds, backend) => describeExport(s, settings, seconds, backend),
    );
    if (!outcome.ok) return outcome;
    try {
      const info = exportStepInfo({ settings, folderToken: picked.token, pattern: checkNamePattern(pattern) });
      await action.recordAction({ name: EXPORT_STEP_NAME, methodName: EXPORT_METHOD }, info);
    } catch (e) {
      return {
        ...outcome,
        message: `${outcome.message} (It could not be recorded into the Action: ${(e as Error).message}.)`,
      };
    }
    return outcome;
  }

  /** The global Action step handler: the recorded settings, folder and pattern; "Record Again" stores the same. */
  readonly playAction: ActionHandler = async (ctx: ExecutionContext, info: unknown) => {
    let step;
    let folder;
    try {
      step = parseExportStep(info);
      folder = await folderOfToken(step.folderToken);
    } catch (e) {
      throw new Error(describeError(e));
    }
    const { settings, pattern } = step;
    const outcome = await this.runner.runOther(
      settings,
      false,
      (lease, feedback, run, target) =>
        exportInModal(ctx, undefined, settings, lease.client, feedback, run, {
          folder,
          fileName: fileNameFor(pattern, target.documentTitle),
        }),
      (s, seconds, backend) => describeExport(s, settings, seconds, backend),
    );
    if (!outcome.ok) throw new Error(outcome.message);
    return exportStepInfo(step);
  };
}

/** Puts the export step's handler where Photoshop looks for it on playback (see actions.ts). */
export function installExportHandler(handler: ActionHandler): void {
  (globalThis as Record<string, unknown>)[EXPORT_METHOD] = handler;
}
