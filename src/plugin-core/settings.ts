/**
 * The user's choices for a run, as the panel stores them (localStorage) and as an
 * Action step records them (recordAction's info). Host-free: plain data and checks.
 */

/** Official weights trained on clean inputs, on JPEG-compressed inputs, or a file the user chose. */
export type WeightsChoice = 'clean' | 'jpeg' | 'file';
/** A new layer in this document (converted to 32 bits), or a new 32-bit document. */
export type OutputChoice = 'layer' | 'document';
/**
 * How the layer is linearised outside reconstructed highlights: 'photoshop' matches
 * Photoshop's own 32-bit conversion; 'hdrcnn' is the CLI's output as is (x² there).
 */
export type LineariseChoice = 'photoshop' | 'hdrcnn';

export interface Settings {
  readonly gamma: number;
  readonly weights: WeightsChoice;
  readonly output: OutputChoice;
  readonly linearise: LineariseChoice;
}

export const GAMMA_MIN = 0.5;
export const GAMMA_MAX = 2;
export const DEFAULT_SETTINGS: Settings = { gamma: 1, weights: 'clean', output: 'layer', linearise: 'photoshop' };

const CHOICES = {
  weights: ['clean', 'jpeg', 'file'],
  output: ['layer', 'document'],
  linearise: ['photoshop', 'hdrcnn'],
} as const;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const isGamma = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= GAMMA_MIN && v <= GAMMA_MAX;

/**
 * Settings from a recorded Action step or another untrusted object: every field
 * is checked; a missing one takes its default (steps recorded by older versions).
 */
export function parseSettings(raw: unknown): Settings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SettingsError('the recorded settings are not an object');
  const o = raw as Record<string, unknown>;
  const gamma = o.gamma ?? DEFAULT_SETTINGS.gamma;
  if (!isGamma(gamma))
    throw new SettingsError(`gamma must be a number from ${GAMMA_MIN} to ${GAMMA_MAX}, got ${JSON.stringify(gamma)}`);
  const pick = <K extends keyof typeof CHOICES>(key: K): (typeof CHOICES)[K][number] => {
    const v = o[key] ?? DEFAULT_SETTINGS[key];
    if (!(CHOICES[key] as readonly unknown[]).includes(v))
      throw new SettingsError(`${key} must be one of ${CHOICES[key].join(', ')}, got ${JSON.stringify(v)}`);
    return v as (typeof CHOICES)[K][number];
  };
  return { gamma, weights: pick('weights'), output: pick('output'), linearise: pick('linearise') };
}

/** What recordAction stores: a plain object of the settings, nothing else. */
export const actionInfo = (s: Settings): Record<string, unknown> => ({
  gamma: s.gamma,
  weights: s.weights,
  output: s.output,
  linearise: s.linearise,
});

/** The part of the Web Storage API that persistence needs (UXP's localStorage). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const SETTINGS_KEY = 'hdr-reconstruct.settings';

/** The saved settings; anything unreadable falls back to the defaults rather than blocking the panel. */
export function loadSettings(store: KeyValueStore): Settings {
  try {
    return parseSettings(JSON.parse(store.getItem(SETTINGS_KEY) ?? '{}'));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(store: KeyValueStore, settings: Settings): void {
  store.setItem(SETTINGS_KEY, JSON.stringify(actionInfo(settings)));
}

/** "1.2", "0.75": the gamma as the layer name and status line show it. */
export const formatGamma = (gamma: number): string => String(Math.round(gamma * 100) / 100);
