/**
 * The subset of the `photoshop` module the simulator provides, written in terms of
 * @types/photoshop 25.0.4 (plus src/host/photoshop-types.d.ts). Members are picked
 * from the published classes, so their names and types are Adobe's; where a member
 * returns a DOM object, the shape names the simulator's handle instead (Photoshop's
 * classes have private members that no other object can satisfy) and the checks
 * at the bottom pin the parameter types to the real ones. A member that the real API
 * lacks fails to compile here, and so does its use in a test.
 */
/// <reference path="../../src/host/photoshop-types.d.ts" />
import type * as PS from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';
import type { Bounds } from 'photoshop/dom/objects/Bounds';
import type { Photoshop } from 'photoshop/dom/Photoshop';
import type { ModelledConstants } from './constants';

export type BoundsShape = Pick<Bounds, 'left' | 'top' | 'right' | 'bottom' | 'width' | 'height'>;

export interface LayerShape extends Pick<
  Layer,
  'typename' | 'id' | 'name' | 'kind' | 'visible' | 'opacity' | 'blendMode' | 'isBackgroundLayer' | 'delete'
> {
  readonly bounds: BoundsShape;
  readonly boundsNoEffects: BoundsShape;
  readonly document: DocumentShape;
  readonly parent: LayerShape | null;
  readonly layers: LayerShape[] | null;
  move(relativeObject: LayerShape, insertLocation: Parameters<Layer['move']>[1]): void;
}

export interface DocumentShape extends Pick<
  Document,
  | 'typename'
  | 'id'
  | 'title'
  | 'name'
  | 'width'
  | 'height'
  | 'resolution'
  | 'mode'
  | 'bitsPerChannel'
  | 'colorProfileName'
  | 'closeWithoutSaving'
> {
  readonly layers: LayerShape[];
  readonly activeLayers: LayerShape[];
  createPixelLayer(options?: Parameters<Document['createPixelLayer']>[0]): Promise<LayerShape | null>;
}

export interface AppShape extends Pick<Photoshop, 'typename'> {
  /** Typed `Document` in @types/photoshop, but null when no document is open. */
  readonly activeDocument: DocumentShape | null;
  readonly documents: DocumentShape[];
  createDocument(options?: Parameters<Photoshop['createDocument']>[0]): Promise<DocumentShape | null>;
}

/** The modelled part of `require('photoshop')`. */
export interface PhotoshopSubset {
  app: AppShape;
  core: Pick<typeof PS.core, 'executeAsModal' | 'isModal' | 'showAlert' | 'getDisplayConfiguration'>;
  action: Pick<typeof PS.action, 'recordAction' | 'addNotificationListener' | 'removeNotificationListener'>;
  imaging: Pick<typeof PS.imaging, 'getPixels' | 'putPixels' | 'createImageDataFromBuffer' | 'encodeImageData'>;
  constants: ModelledConstants;
}

// ---- compile-time checks: no invented members, real parameter types ----
type Assert<T extends true> = T;
type OnlyRealKeys<S, R> = Exclude<keyof S, keyof R> extends never ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type Checks = [
  Assert<OnlyRealKeys<LayerShape, Layer>>,
  Assert<OnlyRealKeys<DocumentShape, Document>>,
  Assert<OnlyRealKeys<AppShape, Photoshop>>,
  Assert<OnlyRealKeys<PhotoshopSubset, typeof PS>>,
  Assert<Same<Parameters<DocumentShape['createPixelLayer']>, Parameters<Document['createPixelLayer']>>>,
  Assert<Same<Parameters<AppShape['createDocument']>, Parameters<Photoshop['createDocument']>>>,
  Assert<Same<Parameters<LayerShape['move']>[1], Parameters<Layer['move']>[1]>>,
];
