/**
 * A minimal ICC v2 display profile for sRGB, built from the published numbers rather than
 * copied from anyone's file: the IEC 61966-2-1 primaries adapted to the ICC's D50 PCS
 * (Bradford; the colorants every sRGB profile carries) and the sRGB transfer curve as a
 * 1024-entry table. About 2.4 KB; the JPEG primary's APP2 ICC_PROFILE segment holds it.
 */

/** s15Fixed16Number XYZ values (ICC.1 §5.1.11). */
const D50 = [0.9642, 1, 0.8249];
const RED = [0.4360747, 0.2225045, 0.0139322];
const GREEN = [0.3850649, 0.7168786, 0.0971045];
const BLUE = [0.1430804, 0.0606169, 0.7141733];
const CURVE_POINTS = 1024;
const DESCRIPTION = 'sRGB IEC61966-2.1 (HDR Reconstruct)';
const COPYRIGHT = 'No copyright, use freely';

const srgbToLinear = (v: number): number => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

class Bytes {
  readonly parts: number[] = [];
  u8(...v: number[]): this {
    this.parts.push(...v.map((b) => b & 0xff));
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8, v);
  }
  u32(v: number): this {
    return this.u8(v >>> 24, v >>> 16, v >>> 8, v);
  }
  sig(s: string): this {
    return this.u8(...Array.from(s, (c) => c.charCodeAt(0)));
  }
  xyz(v: number[]): this {
    v.forEach((x) => this.u32(Math.round(x * 65536)));
    return this;
  }
  pad(): this {
    while (this.parts.length % 4) this.u8(0);
    return this;
  }
}

const xyzTag = (v: number[]): Bytes => new Bytes().sig('XYZ ').u32(0).xyz(v);

function curveTag(): Bytes {
  const b = new Bytes().sig('curv').u32(0).u32(CURVE_POINTS);
  for (let i = 0; i < CURVE_POINTS; i++) b.u16(Math.round(65535 * srgbToLinear(i / (CURVE_POINTS - 1))));
  return b;
}

/** textDescriptionType (ICC.1:2001 §6.5.17): ASCII, then empty Unicode and ScriptCode parts. */
function descTag(text: string): Bytes {
  const b = new Bytes()
    .sig('desc')
    .u32(0)
    .u32(text.length + 1)
    .sig(text)
    .u8(0);
  b.u32(0).u32(0); // Unicode language code and count
  b.u16(0).u8(0); // ScriptCode code and count
  return b.u8(...new Array(67).fill(0));
}

const textTag = (text: string): Bytes => new Bytes().sig('text').u32(0).sig(text).u8(0);

let cached: Uint8Array | undefined;

/** The profile's bytes (built once). */
export function srgbIccProfile(): Uint8Array {
  if (cached) return cached;
  const trc = curveTag();
  const tags: Array<[string, Bytes]> = [
    ['desc', descTag(DESCRIPTION)],
    ['cprt', textTag(COPYRIGHT)],
    ['wtpt', xyzTag(D50)],
    ['rXYZ', xyzTag(RED)],
    ['gXYZ', xyzTag(GREEN)],
    ['bXYZ', xyzTag(BLUE)],
    ['rTRC', trc],
    ['gTRC', trc],
    ['bTRC', trc],
  ];
  const tableSize = 4 + 12 * tags.length;
  const body = new Bytes();
  const offsets = new Map<Bytes, number>();
  const entries = tags.map(([sig, data]) => {
    if (!offsets.has(data)) {
      offsets.set(data, 128 + tableSize + body.parts.length);
      body.parts.push(...data.parts);
      body.pad();
    }
    return { sig, offset: offsets.get(data)!, size: data.parts.length };
  });
  const size = 128 + tableSize + body.parts.length;
  const header = new Bytes().u32(size).u32(0).u32(0x02100000).sig('mntr').sig('RGB ').sig('XYZ ');
  header.u16(2026).u16(1).u16(1).u16(0).u16(0).u16(0).sig('acsp');
  header.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0); // platform, flags, maker, model, attributes
  header.u32(0).xyz(D50).u32(0); // perceptual intent, PCS illuminant, creator
  header.u8(...new Array(128 - header.parts.length).fill(0));
  const table = new Bytes().u32(tags.length);
  entries.forEach((e) => table.sig(e.sig).u32(e.offset).u32(e.size));
  cached = Uint8Array.from([...header.parts, ...table.parts, ...body.parts]);
  return cached;
}
