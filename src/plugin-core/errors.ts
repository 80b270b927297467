/**
 * Turning whatever stopped a run into one sentence for the user. Host-free: it
 * looks only at error shapes (Photoshop's own errors are plain Errors with an
 * optional `number`; the docs give 9 for "another plugin is modal").
 */
import { CancelledError } from '../core/cancellation';
import { EngineError } from '../protocol/errors';
import { SettingsError } from './settings';

/** A problem with the user's document or choices, already worded for them; nothing was changed. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Photoshop would not show the engine dialog (REJECTION_REASON_NOT_ALLOWED or _DETACHED): not a cancel. */
export class DialogRefusedError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'DialogRefusedError';
  }
}

export const CANCELLED_MESSAGE = 'Cancelled. The document is unchanged.';

const ENGINE_MESSAGES: Partial<Record<EngineError['code'], string>> = {
  download: 'The HDRCNN weights could not be downloaded',
  model: 'The HDRCNN model could not be loaded',
  inference: 'The network failed while running',
  timeout: 'The engine stopped answering',
  version: 'The engine page belongs to another version of the plugin (reload the plugin)',
};

export function isCancellation(e: unknown): boolean {
  return e instanceof CancelledError || (e instanceof EngineError && e.code === 'cancelled');
}

/** What went wrong, in one sentence (for the panel's model line). */
export function describeProblem(e: unknown): string {
  if (e instanceof UserError) return e.message;
  if (e instanceof EngineError) return `${ENGINE_MESSAGES[e.code] ?? 'The engine failed'}: ${e.message}.`;
  const { message, number } = (e ?? {}) as { message?: string; number?: number };
  if (number === 9)
    return `Photoshop is busy with another plugin's command (${message ?? 'modal state held'}). Try again when it has finished.`;
  return `Reconstruction failed: ${message ?? String(e)}.`;
}

/** The message for the status line, an alert or a failed Action step. */
export function describeError(e: unknown): string {
  if (isCancellation(e)) return CANCELLED_MESSAGE;
  if (e instanceof SettingsError) return `This Action step cannot be played: ${e.message}. Record it again.`;
  const problem = describeProblem(e);
  return e instanceof UserError || (e as { number?: number })?.number === 9
    ? problem
    : `${problem} The document is unchanged.`;
}
