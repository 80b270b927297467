/**
 * Where the official HDRCNN weights are downloaded from: the one place to
 * change them. The plugin downloads them with its own fetch, so the manifest
 * must list these hosts in network.domains (no CORS headers needed).
 *
 * URLs as documented in the README of github.com/gabrieleilertsen/hdrcnn: its
 * current revision points at computergraphics.on.liu.se/hdrcnn/material/; the
 * 2017 revisions pointed at hdrv.org/hdrcnn/material/ (over http), kept as a
 * second try. Neither host could be reached from where this was written: that
 * they still serve the files over https is unconfirmed.
 */
import type { WeightsVariant } from '../protocol/messages';

export interface WeightsSource {
  /** For status lines: "official weights (clean inputs)". */
  readonly label: string;
  /** Tried in order until one gives a well-formed file. */
  readonly urls: readonly string[];
}

export type ModelSources = Readonly<Record<WeightsVariant, WeightsSource>>;

const mirrors = (file: string): string[] => [
  `https://computergraphics.on.liu.se/hdrcnn/material/${file}`,
  `https://hdrv.org/hdrcnn/material/${file}`,
];

export const MODEL_SOURCES: ModelSources = {
  clean: { label: 'official weights (clean inputs)', urls: mirrors('hdrcnn_params.npz') },
  jpeg: { label: 'official weights (JPEG-trained)', urls: mirrors('hdrcnn_params_compr.npz') },
};

/**
 * Cache entries hold the converted ONNX model, so a change to what
 * src/weights/onnx-builder.ts emits must bump this to retire old entries.
 */
export const MODEL_CACHE_VERSION = 3;

/** The data-folder file of a variant's converted model. */
export const cacheName = (variant: WeightsVariant): string => `hdrcnn-${variant}-v${MODEL_CACHE_VERSION}.onnx`;
/** The data-folder file of the model converted from the file the user chose. */
export const USER_MODEL = `user-model-v${MODEL_CACHE_VERSION}.onnx`;
