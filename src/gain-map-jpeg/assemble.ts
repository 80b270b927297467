/**
 * The one call site of gainmap-js's port of libultrahdr's assembler, for both front ends
 * (the CLI's sharp JPEGs, the plugin's jpeg-js ones): hdrgm XMP with Container:Directory,
 * ISO 21496-1 APP2 and MPF APP2 around an already encoded primary and gain map.
 */
import { encodeJPEGMetadata } from '@monogrid/gainmap-js/libultrahdr';
import type { GainMapMetadata } from '../core/gain-map';

export interface EncodedJpeg {
  readonly data: Uint8Array<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

export function assembleGainMapJpeg(primary: EncodedJpeg, gainMap: EncodedJpeg, m: GainMapMetadata): Uint8Array {
  return encodeJPEGMetadata({
    ...m,
    gainMapMin: [...m.gainMapMin],
    gainMapMax: [...m.gainMapMax],
    gamma: [...m.gamma],
    offsetSdr: [...m.offsetSdr],
    offsetHdr: [...m.offsetHdr],
    sdr: { ...primary, mimeType: 'image/jpeg' },
    gainMap: { ...gainMap, mimeType: 'image/jpeg' },
  });
}
