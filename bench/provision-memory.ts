/**
 * Peak memory of provisioning the full-width model in the plugin's code path
 * (src/host/model-provisioning.ts, then EngineClient.init's chunked transfer),
 * in a fresh Node process: the official-format .npz (full-width random weights,
 * ~118 MB) streamed by a fetch in 1 MiB pieces with its Content-Length, checked,
 * converted, cached on disk (bench/fs-folder.ts) and sent as JSON chunks to an
 * endpoint that acknowledges each; then, in another process, the same from the cache.
 * Measured as each child's peak RSS (VmHWM in /proc/self/status, Linux) against its
 * RSS before provisioning, and process.memoryUsage() at the end of each phase.
 */
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { ModelFileCache } from '../src/host/model-file-cache';
import { provisionModel, type ProvisionDeps } from '../src/host/model-provisioning';
import { EngineClient, type BridgeEndpoint } from '../src/protocol/client';
import { PROTOCOL_VERSION } from '../src/protocol/messages';
import { randomHdrcnnParams } from '../src/weights/random-params';
import { dtype, PickleWriter, reconstruct } from '../test/weights/pickle-writer';
import { diskStore } from './fs-folder';
import { BENCH_DIR } from './make-model';
import { printTable } from './stats';

const MIB = 2 ** 20;

/** The official file layout for full-width random weights (the test helper's writer, with the big arrays spliced in). */
export function fullWidthNpz(): string {
  const file = path.join(BENCH_DIR, 'hdrcnn-random-w1.npz');
  if (existsSync(file)) return file;
  const params = randomHdrcnnParams(1, 2017);
  const parts: Uint8Array[] = [];
  const head = reconstruct(new PickleWriter().proto(3)).raw('(').int(1).tuple([params.length]);
  dtype(head, 'O8', '|', 63);
  parts.push(head.raw('\x89](').finish());
  for (const p of params) {
    const w = reconstruct(new PickleWriter()).raw('(').int(1).tuple(p.shape);
    dtype(w, 'f4', '<', 0);
    parts.push(
      w.raw('\x89').lengthOp('B', p.data.byteLength).finish(),
      new Uint8Array(p.data.buffer),
      new PickleWriter().raw('tb').finish(),
    );
  }
  parts.push(new PickleWriter().raw('etb.').finish());
  const header = `{'descr': '|O', 'fortran_order': False, 'shape': (${params.length},), }`;
  const text = header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const npyHead = Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
    Buffer.from([text.length % 256, text.length >> 8]),
    Buffer.from(text, 'latin1'),
  ]);
  mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(file, zipSync({ 'params.npy': Buffer.concat([npyHead, ...parts]) }, { level: 0 }));
  return file;
}

const peakRss = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

/** A fetch that streams `file` from disk in 1 MiB pieces, declaring its length (the "server" holds no copy). */
function fileFetch(file: string): ProvisionDeps['fetch'] {
  return async () => {
    const body = Readable.toWeb(createReadStream(file, { highWaterMark: MIB })) as ReadableStream<Uint8Array>;
    return new Response(body, { headers: { 'content-length': String(statSync(file).size) } });
  };
}

/** Stringifies every message (as UXP's bridge does) and acknowledges chunks; answers init once every chunk came. */
function ackingEndpoint(): BridgeEndpoint {
  const listeners = new Set<(event: { data: unknown }) => void>();
  let received = 0;
  let chunks = 0;
  const answer = (m: object) =>
    setImmediate(() => listeners.forEach((l) => l({ data: { ...m, version: PROTOCOL_VERSION } })));
  return {
    postMessage: (message) => {
      const m = JSON.parse(JSON.stringify(message)) as {
        type: string;
        id: number;
        target: number;
        index: number;
        data: string;
        model: { chunks: number };
      };
      if (m.type === 'init') chunks = m.model.chunks;
      if (m.type !== 'model-chunk') return;
      received += Buffer.from(m.data, 'base64').length;
      answer({ type: 'chunk', id: m.id, index: m.index, received });
      if (m.index === chunks - 1)
        answer({
          type: 'ready',
          id: m.target,
          provider: 'wasm',
          reason: '',
          model: '',
          wasmThreads: 1,
          crossOriginIsolated: false,
        });
    },
    addEventListener: (_t, l) => listeners.add(l),
    removeEventListener: (_t, l) => listeners.delete(l),
  };
}

/** One provisioning and transfer, in this (fresh) process; the cache folder is `dir`. */
async function child(file: string, dir: string, what: string): Promise<void> {
  const sources = {
    clean: { label: 'clean', urls: ['https://weights.test/hdrcnn_params.npz'] },
    jpeg: { label: 'jpeg', urls: [] },
  };
  const deps: ProvisionDeps = {
    fetch: fileFetch(file),
    cache: new ModelFileCache(diskStore(dir)),
    bundledModel: async () => undefined,
    sources,
  };
  const report = { status: () => undefined, progress: () => undefined };
  const before = process.memoryUsage().rss;
  const rows: Array<Array<string | number>> = [];
  const phase = (name: string) => {
    const m = process.memoryUsage();
    const row = [
      name,
      (before / MIB).toFixed(0),
      (peakRss() / MIB).toFixed(0),
      ((peakRss() - before) / MIB).toFixed(0),
    ];
    rows.push([...row, (m.heapUsed / MIB).toFixed(0), (m.arrayBuffers / MIB).toFixed(0)]);
  };
  const model = await provisionModel('clean', deps, report, new AbortController().signal);
  phase(`${what}: provisioned (${(model.bytes.length / MIB).toFixed(0)} MiB ONNX)`);
  const client = new EngineClient(ackingEndpoint());
  await client.init(model);
  await client.dispose();
  phase(`${what}: and sent in chunks`);
  process.stdout.write(JSON.stringify(rows));
}

export function benchProvisionMemory(): void {
  const file = fullWidthNpz();
  const dir = mkdtempSync(path.join(tmpdir(), 'hdr-provision-'));
  // A fresh process each, so a peak is that provisioning's alone (garbage not yet collected included).
  const run = (what: string) =>
    JSON.parse(execFileSync(process.execPath, [__filename, '--child', file, dir, what], { encoding: 'utf8' })) as Array<
      Array<string | number>
    >;
  const rows = [...run('download, check, convert, cache'), ...run('from the cache')];
  rmSync(dir, { recursive: true });
  printTable(
    `Provisioning the full-width model in the plugin's code path (Node ${process.version}), one process each`,
    ['after', 'RSS at start MiB', 'peak RSS MiB', 'peak above start MiB', 'heap used MiB', 'ArrayBuffers MiB'],
    rows,
  );
}

if (require.main === module) {
  if (process.argv[2] === '--child') void child(process.argv[3], process.argv[4], process.argv[5]);
  else benchProvisionMemory();
}
