/**
 * The Diagnostics command's checks and report, host-free: every probe of Photoshop, UXP, the
 * engine page and the disk comes in as a function (diagnostics-host.ts and the dialog supply
 * them), so each check can fail on its own, in tests as in Photoshop. A check that throws
 * becomes a FAIL line with the reason; the others still run. Nothing here changes a document.
 */
import type { SelfTestReport } from '../protocol/messages';

export type Verdict = 'PASS' | 'FAIL' | 'INFO';

export interface ReportLine {
  readonly verdict: Verdict;
  /** What was checked, e.g. "Bridge 4 MB". */
  readonly check: string;
  /** The figure or the reason, one sentence. */
  readonly text: string;
}

/** What the engine page's `?self-test` posts (src/engine/self-test.ts). */
export type { SelfTestReport };

export interface Versions {
  readonly photoshop: string;
  readonly uxp: string;
  readonly plugin: string;
}

/** One display's HDR headroom: the largest colour component it shows (1 for SDR), when Photoshop says. */
export interface DisplayHeadroom {
  readonly primary: boolean;
  readonly headroom?: number;
}

export interface ModelCacheState {
  /** What was looked at, e.g. "chosen weights file". */
  readonly what: string;
  readonly present: boolean;
  readonly bytes?: number;
  /** The stored model's SHA-256 when its size and SHA-256 are the ones recorded with it; else undefined. */
  readonly sha256?: string;
  /** What the user can do about a damaged entry, e.g. "choose the file again". */
  readonly remedy: string;
}

export interface DataFolderState {
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
  /** Undefined when the host does not say (UXP documents no free-space call). */
  readonly freeBytes?: number;
}

export type Depth = 8 | 16 | 32;

export interface DiagnosticsProbes {
  versions(): Versions;
  /** Loads the engine page's self-test and resolves with what it posted. */
  selfTest(): Promise<SelfTestReport>;
  /** Sends `bytes` of text to the engine page and back; rejects if it fails or comes back different. */
  bridgeRoundTrip(bytes: number): Promise<void>;
  /**
   * 64×64 pixels through getPixels → createImageDataFromBuffer → putPixels → getPixels in a temporary
   * document; the difference, or undefined.
   */
  imagingRoundTrip(depth: Depth): Promise<string | undefined>;
  /** Undefined where this Photoshop has no core.getDisplayConfiguration. */
  displays(): Promise<readonly DisplayHeadroom[] | undefined>;
  modelCache(): Promise<readonly ModelCacheState[]>;
  dataFolder(): Promise<DataFolderState>;
  /** Milliseconds, for timings. */
  now(): number;
}

/** Photoshop 26.0: WebView local content and the message bridge (UXP 8). */
export const MIN_PHOTOSHOP = [26, 0] as const;
export const BRIDGE_SIZES_MB = [1, 4, 16] as const;
export const IMAGING_DEPTHS: readonly Depth[] = [8, 16, 32];
const MB = 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const line = (verdict: Verdict, check: string, text: string): ReportLine => ({ verdict, check, text });
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');

function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    if (!Number.isFinite(v)) return false;
    if (v !== min[i]) return v > min[i];
  }
  return true;
}

function versionLines(v: Versions): ReportLine[] {
  const ok = versionAtLeast(v.photoshop, MIN_PHOTOSHOP);
  const needs = ok ? '' : `; HDR Reconstruct needs Photoshop ${MIN_PHOTOSHOP.join('.')} or later`;
  return [
    line(
      ok ? 'PASS' : 'FAIL',
      'Versions',
      `Photoshop ${v.photoshop}, UXP ${v.uxp}, HDR Reconstruct ${v.plugin}${needs}`,
    ),
  ];
}

function selfTestLines(r: SelfTestReport): ReportLine[] {
  const ms = Math.round(r.ms);
  const threads = plural(r.wasmThreads, 'thread');
  return [
    r.ok
      ? line('PASS', 'Engine page', `self-test passed in ${ms} ms on ${r.provider}`)
      : line('FAIL', 'Engine page', `self-test failed after ${ms} ms: ${r.error ?? 'no reason given'}`),
    // Without a usable adapter the page says why in `adapter` and runs on WASM.
    r.provider === 'webgpu'
      ? line('PASS', 'WebGPU', `adapter ${r.adapter}`)
      : line('FAIL', 'WebGPU', `${r.adapter || 'no adapter'}: the engine runs on WASM, much slower`),
    line(
      'INFO',
      'WASM',
      r.crossOriginIsolated
        ? `${threads}, cross-origin isolated`
        : `${threads}, not cross-origin isolated (so no WASM threads)`,
    ),
  ];
}

async function bridgeLine(size: number, p: DiagnosticsProbes): Promise<ReportLine> {
  const check = `Bridge ${size} MB`;
  const start = p.now();
  try {
    await p.bridgeRoundTrip(size * MB);
  } catch (e) {
    return line('FAIL', check, `failed after ${Math.round(p.now() - start)} ms: ${reason(e)}`);
  }
  const ms = Math.max(p.now() - start, 1);
  const rate = ((2 * size * 1000) / ms).toFixed(1);
  return line('PASS', check, `round trip in ${Math.round(ms)} ms (${rate} MB/s both ways)`);
}

async function imagingLine(depth: Depth, p: DiagnosticsProbes): Promise<ReportLine> {
  const check = `Imaging ${depth}-bit`;
  const difference = await p.imagingRoundTrip(depth);
  return difference === undefined
    ? line('PASS', check, '64×64 pixels came back equal (temporary document closed without saving)')
    : line('FAIL', check, `64×64 pixels came back different: ${difference}`);
}

function displayLines(displays: readonly DisplayHeadroom[] | undefined): ReportLine[] {
  if (!displays) return [line('INFO', 'Display', 'this Photoshop has no core.getDisplayConfiguration')];
  if (!displays.length) return [line('INFO', 'Display', 'Photoshop reported no display')];
  return displays.map((d, i) => {
    const which = d.primary ? 'primary display' : `display ${i + 1}`;
    if (d.headroom === undefined)
      return line('INFO', 'Display', `${which}: HDR headroom not reported (Photoshop 26.5+ reports it)`);
    const hdr =
      d.headroom > 1
        ? `HDR, headroom ${d.headroom.toFixed(1)}× SDR white`
        : 'SDR (headroom 1.0): HDR values show clipped';
    return line('INFO', 'Display', `${which}: ${hdr}`);
  });
}

function cacheLine(c: ModelCacheState): ReportLine {
  if (!c.present) return line('INFO', 'Model cache', `${c.what}: none`);
  const size = mb(c.bytes ?? 0);
  return c.sha256
    ? line('PASS', 'Model cache', `${c.what}: ${size}, SHA-256 ${c.sha256.slice(0, 16)}… as recorded`)
    : line('FAIL', 'Model cache', `${c.what}: ${size}, size or SHA-256 not as recorded: ${c.remedy}`);
}

function folderLine(f: DataFolderState): ReportLine {
  const free = f.freeBytes === undefined ? 'free space not reported by UXP' : `${mb(f.freeBytes)} free`;
  return line('INFO', 'Data folder', `${f.path}: ${plural(f.files, 'file')}, ${mb(f.bytes)}; ${free}`);
}

/** Runs every check in order; `onLine` sees each line as it is known. Never throws. */
export async function runDiagnostics(
  p: DiagnosticsProbes,
  onLine: (line: ReportLine) => void = () => undefined,
): Promise<ReportLine[]> {
  const lines: ReportLine[] = [];
  const step = async (check: string, run: () => ReportLine[] | Promise<ReportLine[]>): Promise<void> => {
    let got: ReportLine[];
    try {
      got = await run();
    } catch (e) {
      got = [line('FAIL', check, reason(e))];
    }
    got.forEach((l) => {
      lines.push(l);
      onLine(l);
    });
  };
  await step('Versions', () => versionLines(p.versions()));
  await step('Engine page', async () => selfTestLines(await p.selfTest()));
  for (const size of BRIDGE_SIZES_MB) await step(`Bridge ${size} MB`, async () => [await bridgeLine(size, p)]);
  for (const depth of IMAGING_DEPTHS) await step(`Imaging ${depth}-bit`, async () => [await imagingLine(depth, p)]);
  await step('Display', async () => displayLines(await p.displays()));
  await step('Model cache', async () => (await p.modelCache()).map(cacheLine));
  await step('Data folder', async () => [folderLine(await p.dataFolder())]);
  return lines;
}

export const formatLine = (l: ReportLine): string => `${l.verdict.padEnd(4)}  ${l.check}: ${l.text}`;

/** The text the dialog shows, Copy copies and Save writes. */
export function formatReport(lines: readonly ReportLine[], when: string): string {
  const failed = lines.filter((l) => l.verdict === 'FAIL').length;
  const summary = failed ? `${plural(failed, 'check')} failed` : 'all checks passed';
  return [`HDR Reconstruct diagnostics, ${when}: ${summary}`, '', ...lines.map(formatLine), ''].join('\n');
}
