/**
 * The engine page's places in the UI: a small <webview> in the panel, or, when the
 * panel is closed, a modal dialog (uxpShowModal) holding the webview, a status line,
 * a progress bar and Cancel (Photoshop hides its own progress bar while modal UI is up).
 * The page is local content (manifest: webview.allowLocalRendering, UXP 8 / Photoshop 26).
 */
import { DialogRefusedError } from '../plugin-core/errors';
import type { DialogSurface, EngineEvents, ProgressStage } from '../host/webview-leases';
import { engineUrl, type WebviewLike } from '../host/webview-endpoint';
import { h, type Progressbar } from './dom';

export { ENGINE_URL } from '../host/webview-endpoint';

/** A webview showing the engine page on a channel of its own (see src/protocol/channel.ts). */
export const engineWebview = (id: string, height: string, extra?: string): HTMLElement & WebviewLike =>
  h('webview', { id, src: engineUrl(extra), width: '100%', height }) as HTMLElement & WebviewLike;

const MB = 1024 * 1024;

/** "Downloading: 12.5 of 120.0 MB" and the like, for model progress. */
export function progressText(stage: ProgressStage, loaded: number, total: number): string {
  if (stage === 'convert') return 'Converting the weights';
  if (stage === 'transfer')
    return `Loading into the engine: ${(loaded / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`;
  return total > 0
    ? `Downloading: ${(loaded / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`
    : `Downloading: ${(loaded / MB).toFixed(1)} MB`;
}

const dialogRefused = (e: unknown): DialogRefusedError =>
  new DialogRefusedError(
    `Photoshop did not allow HDR Reconstruct’s engine dialog to open (${(e as Error).message}), ` +
      'so the engine could not start; nothing was changed. Open the HDR Reconstruct panel and try again: ' +
      'its engine is used then.',
  );

/** The run dialog; `cancel` is called on Cancel or when the user dismisses it. */
export function openEngineDialog(cancel: () => void): DialogSurface {
  const status = h('sp-body', { id: 'hdr-dialog-status' }, 'Starting the engine…');
  const bar = h('sp-progressbar', {
    id: 'hdr-dialog-progress',
    max: '100',
    value: '0',
    style: 'width: 100%',
  }) as Progressbar;
  const cancelButton = h('sp-button', { id: 'hdr-dialog-cancel', variant: 'secondary' }, 'Cancel');
  const webview = engineWebview('hdr-dialog-engine', '24px');
  const dialog = h('dialog', { id: 'hdr-engine-dialog' }, [
    h('sp-heading', { size: 'XS' }, 'HDR Reconstruct'),
    status,
    bar,
    h('div', { style: 'display: flex; justify-content: flex-end' }, [cancelButton]),
    webview,
  ]) as HTMLDialogElement;
  document.body.appendChild(dialog);

  let cancelling = false;
  const stop = (): void => {
    if (cancelling) return;
    cancelling = true;
    status.textContent = 'Cancelling…';
    cancel();
  };
  cancelButton.addEventListener('click', stop);
  let refuse!: (e: Error) => void;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => undefined); // observed by the lease
  // Resolves when we close it; rejects when the user dismisses it (Escape, window close), or when
  // Photoshop does not show it (e.g. during Action playback): that is no cancel, and is said so.
  const showing = dialog.uxpShowModal({ title: 'HDR Reconstruct', resize: 'none', size: { width: 420, height: 200 } });
  showing.catch((e: unknown) => {
    const code = (e as { code?: unknown } | undefined)?.code;
    const refusedBy = code === dialog.REJECTION_REASON_NOT_ALLOWED || code === dialog.REJECTION_REASON_DETACHED;
    if (refusedBy) refuse(dialogRefused(e));
    else stop();
  });

  const events: EngineEvents = {
    onModelStatus: (_state, message) => (status.textContent = message),
    onProgress: (stage, loaded, total) => {
      status.textContent = progressText(stage, loaded, total);
      bar.value = total > 0 ? (100 * loaded) / total : 0;
    },
    onNotice: (message) => (status.textContent = message),
  };
  return {
    webview,
    events,
    refused,
    feedback: {
      progress: (fraction, text) => {
        bar.value = Math.round(100 * fraction);
        if (!cancelling) status.textContent = text;
      },
    },
    close: () => {
      dialog.close();
      dialog.remove();
    },
  };
}
