/** Registers the manifest's entry points with UXP (allowed once per plugin load). */
import { entrypoints, type EntrypointsSetup } from 'uxp';

export function setupEntrypoints(setup: EntrypointsSetup): void {
  entrypoints.setup(setup);
}
