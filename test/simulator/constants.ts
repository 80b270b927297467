/**
 * Runtime values for the `photoshop` constants the simulator models. @types/photoshop
 * only declares these enums; the `satisfies` clauses make the compiler check every
 * key and string value against the published declarations, so they cannot drift.
 */
import type { constants as PsConstants } from 'photoshop';

type C = typeof PsConstants;
/** Each member of a declared string enum, with its exact published string value. */
type EnumValues<E> = { readonly [K in keyof E]: `${E[K] & string}` };

const DocumentMode = {
  BITMAP: 'bitmapMode',
  CMYK: 'CMYKColorMode',
  DUOTONE: 'duotoneMode',
  GRAYSCALE: 'grayscaleMode',
  INDEXEDCOLOR: 'indexedColorMode',
  LAB: 'labColorMode',
  MULTICHANNEL: 'multichannelMode',
  RGB: 'RGBColorMode',
} as const satisfies EnumValues<C['DocumentMode']>;

const NewDocumentMode = {
  BITMAP: 'bitmapMode',
  GRAYSCALE: 'grayscaleMode',
  RGB: 'RGBColorMode',
  CMYK: 'CMYKColorMode',
  LAB: 'labColorMode',
} as const satisfies EnumValues<C['NewDocumentMode']>;

const BitsPerChannelType = {
  ONE: 'bitDepth1',
  EIGHT: 'bitDepth8',
  SIXTEEN: 'bitDepth16',
  THIRTYTWO: 'bitDepth32',
} as const satisfies EnumValues<C['BitsPerChannelType']>;

/** @types/photoshop 25.0.4 has no `PIXEL` member: a pixel layer is `NORMAL` ("pixel"). */
const LayerKind = {
  BLACKANDWHITE: 'blackAndWhite',
  BRIGHTNESSCONTRAST: 'brightnessContrast',
  CHANNELMIXER: 'channelMixer',
  COLORBALANCE: 'colorBalance',
  CURVES: 'curves',
  EXPOSURE: 'exposure',
  GRADIENTFILL: 'gradientFill',
  GRADIENTMAP: 'gradientMap',
  HUESATURATION: 'hueSaturation',
  INVERSION: 'inversion',
  LEVELS: 'levels',
  NORMAL: 'pixel',
  PATTERNFILL: 'pattern',
  PHOTOFILTER: 'photoFilter',
  POSTERIZE: 'posterize',
  SELECTIVECOLOR: 'selectiveColor',
  SMARTOBJECT: 'smartObject',
  SOLIDFILL: 'solidColor',
  TEXT: 'text',
  THRESHOLD: 'threshold',
  LAYER3D: 'threeD',
  VIBRANCE: 'vibrance',
  VIDEO: 'video',
  GROUP: 'group',
  COLORLOOKUP: 'colorLookup',
} as const satisfies EnumValues<C['LayerKind']>;

const ElementPlacement = {
  PLACEBEFORE: 'placeBefore',
  PLACEATBEGINNING: 'placeAtBeginning',
  PLACEATEND: 'placeAtEnd',
  PLACEAFTER: 'placeAfter',
  PLACEINSIDE: 'placeInside',
} as const satisfies EnumValues<C['ElementPlacement']>;

const DocumentFill = {
  WHITE: 'white',
  BLACK: 'black',
  BACKGROUNDCOLOR: 'backgroundColor',
  TRANSPARENT: 'transparent',
  COLOR: 'color',
} as const satisfies EnumValues<C['DocumentFill']>;

const BlendMode = {
  NORMAL: 'normal',
  DISSOLVE: 'dissolve',
  DARKEN: 'darken',
  MULTIPLY: 'multiply',
  COLORBURN: 'colorBurn',
  LINEARBURN: 'linearBurn',
  DARKERCOLOR: 'darkerColor',
  LIGHTEN: 'lighten',
  SCREEN: 'screen',
  COLORDODGE: 'colorDodge',
  LINEARDODGE: 'linearDodge',
  LIGHTERCOLOR: 'lighterColor',
  OVERLAY: 'overlay',
  SOFTLIGHT: 'softLight',
  HARDLIGHT: 'hardLight',
  VIVIDLIGHT: 'vividLight',
  LINEARLIGHT: 'linearLight',
  PINLIGHT: 'pinLight',
  HARDMIX: 'hardMix',
  DIFFERENCE: 'difference',
  EXCLUSION: 'exclusion',
  SUBTRACT: 'blendSubtraction',
  DIVIDE: 'blendDivide',
  HUE: 'hue',
  SATURATION: 'saturation',
  COLOR: 'color',
  LUMINOSITY: 'luminosity',
  PASSTHROUGH: 'passThrough',
} as const satisfies EnumValues<C['BlendMode']>;

export type ModelledConstants = Pick<
  C,
  | 'DocumentMode'
  | 'NewDocumentMode'
  | 'BitsPerChannelType'
  | 'LayerKind'
  | 'ElementPlacement'
  | 'DocumentFill'
  | 'BlendMode'
>;

/** The casts are sound: each object above was checked value-for-value against its enum. */
export const constants: ModelledConstants = Object.freeze({
  DocumentMode: DocumentMode as unknown as C['DocumentMode'],
  NewDocumentMode: NewDocumentMode as unknown as C['NewDocumentMode'],
  BitsPerChannelType: BitsPerChannelType as unknown as C['BitsPerChannelType'],
  LayerKind: LayerKind as unknown as C['LayerKind'],
  ElementPlacement: ElementPlacement as unknown as C['ElementPlacement'],
  DocumentFill: DocumentFill as unknown as C['DocumentFill'],
  BlendMode: BlendMode as unknown as C['BlendMode'],
});

// Enum value types, for the simulator's own signatures.
export type DocumentModeValue = C['DocumentMode'][keyof C['DocumentMode']];
export type LayerKindValue = C['LayerKind'][keyof C['LayerKind']];
export type BitsValue = C['BitsPerChannelType'][keyof C['BitsPerChannelType']];
export type BlendModeValue = C['BlendMode'][keyof C['BlendMode']];
export type PlacementValue = C['ElementPlacement'][keyof C['ElementPlacement']];

/** Adjustment-layer kinds: they carry no pixels of their own. */
export const ADJUSTMENT_KINDS: ReadonlySet<string> = new Set([
  'blackAndWhite',
  'brightnessContrast',
  'channelMixer',
  'colorBalance',
  'curves',
  'exposure',
  'gradientMap',
  'hueSaturation',
  'inversion',
  'levels',
  'photoFilter',
  'posterize',
  'selectiveColor',
  'threshold',
  'vibrance',
  'colorLookup',
]);
