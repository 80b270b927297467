/**
 * Tone curves of colour profiles: how Photoshop maps an 8/16-bit document's
 * display-referred values to the linear values of its 32-bit conversion (32-bit
 * documents carry the same primaries with a linear curve, "… (Linear RGB Profile)").
 * Host-free. Profiles are recognised by their base name; an unknown profile gets
 * the sRGB curve and says so (it only shapes what the network sees: in 'photoshop'
 * linearisation the output outside highlights is Photoshop's own linear value).
 */

export interface ToneCurve {
  /** Which curve, for notices. */
  readonly name: string;
  /** Display value (0..1) → linear. */
  toLinear(v: number): number;
  /** Linear → display value, clamped to 0..1. */
  toDisplay(l: number): number;
  /** False when the profile was not recognised and a stand-in curve is used. */
  readonly known: boolean;
}

/** IEC 61966-2-1. */
const srgb = (known: boolean): ToneCurve => ({
  name: 'sRGB',
  known,
  toLinear: (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4),
  toDisplay: (l) => (l <= 0 ? 0 : l >= 1 ? 1 : l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055),
});

const power = (g: number, name: string): ToneCurve => ({
  name,
  known: true,
  toLinear: (v) => (v <= 0 ? 0 : v ** g),
  toDisplay: (l) => (l <= 0 ? 0 : l >= 1 ? 1 : l ** (1 / g)),
});

/** Base profile name → curve (Adobe RGB's 2.2 is 563/256 in its ICC profile). */
const CURVES: Record<string, () => ToneCurve> = {
  'sRGB IEC61966-2.1': () => srgb(true),
  'Display P3': () => srgb(true),
  sGray: () => srgb(true),
  'Adobe RGB (1998)': () => power(563 / 256, 'gamma 2.2'),
  'Gray Gamma 2.2': () => power(2.2, 'gamma 2.2'),
  'ProPhoto RGB': () => power(1.8, 'gamma 1.8'),
  'Apple RGB': () => power(1.8, 'gamma 1.8'),
  'ColorMatch RGB': () => power(1.8, 'gamma 1.8'),
  'Gray Gamma 1.8': () => power(1.8, 'gamma 1.8'),
};

/** "sRGB IEC61966-2.1 (Linear RGB Profile)" → "sRGB IEC61966-2.1": the imaging API wants the base name. */
export const baseProfileName = (name: string): string =>
  name.replace(/\s*\(Linear (RGB|Gray|Grayscale) Profile\)$/i, '').trim();

/** An untagged document (no profile name) is seen through the sRGB curve, as an unknown profile is. */
export function toneCurve(profileName: string | undefined): ToneCurve {
  const make = profileName === undefined ? undefined : CURVES[baseProfileName(profileName)];
  return make ? make() : srgb(false);
}
