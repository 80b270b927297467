/**
 * Actions panel support ("Action Recording", Photoshop 25.0+): a run the user
 * started is recorded as a step holding its settings; playback calls the global
 * function named by the step as (executionContext, info). Bundlers wrap modules,
 * so the handler is put on globalThis explicitly.
 */
import { action } from 'photoshop';
import type { ExecutionContext } from 'photoshop/dom/CoreModules';
import { actionInfo, type Settings } from '../plugin-core/settings';

/** Only this name is stored in the step: keep it stable across versions. */
export const ACTION_METHOD = 'hdrReconstructActionStep';
export const ACTION_STEP_NAME = 'HDR Reconstruct';

export type ActionHandler = (executionContext: ExecutionContext, info: unknown) => Promise<Record<string, unknown>>;

/** Adds a step to the Action being recorded; does nothing when none is. */
export function recordRun(settings: Settings): Promise<void> {
  return action.recordAction({ name: ACTION_STEP_NAME, methodName: ACTION_METHOD }, actionInfo(settings));
}

export function installActionHandler(handler: ActionHandler): void {
  (globalThis as Record<string, unknown>)[ACTION_METHOD] = handler;
}
