/**
 * A gain-map JPEG from `predict --format jpg` decoded in real Chromium by gainmap-js's own
 * WebGL decoder (HDRJPGLoader: its file reader, its shader, the GPU's sRGB decode and
 * bilinear sampling) at full headroom, against the reference decode in Node
 * (bench/gain-map-decode.ts, also what the CLI tests check against the PFM).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, REPO, fileRoute, startServer, type TestServer } from '../../bench/browser-harness';
import { decodeGainMapJpeg, quantile } from '../../bench/gain-map-decode';
import { DEFAULT_GAIN_MAP_JPEG, encodeGainMapJpeg } from '../../src/cli/gain-map-jpeg';
import { readImage } from '../../src/cli/image-input';
import { DEFAULT_SETTINGS, highlightAlpha } from '../../src/core/hdrcnn';
import { createRgbImage } from '../../src/core/image';
import { fixturePath } from '../helpers/fixture';

jest.setTimeout(120_000);

const PAGE = `<!doctype html><script type="importmap">{"imports":{"three":"/three/three.module.js"}}</script>
<script type="module">
import * as THREE from 'three';
import { HDRJPGLoader } from '/gainmap/decode.js';
window.decodeGainMap = async (url) => {
  const renderer = new THREE.WebGLRenderer();
  const result = await new HDRJPGLoader(renderer).loadAsync(url);
  result.material.maxDisplayBoost = 2 ** result.material.hdrCapacityMax;
  result.render();
  const data = result.toArray();
  return { width: result.width, height: result.height, half: data instanceof Uint16Array, data: Array.from(data) };
};
window.ready = true;
</script>`;

const halfToFloat = (h: number): number => {
  const e = (h >> 10) & 31, m = h & 1023, s = h >> 15 ? -1 : 1;
  return e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
};

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  const args = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run'];
  [browser, server] = await Promise.all([chromium.launch({ executablePath: CHROMIUM, args }), startServer()]);
  server.routes.set('/page.html', (_q, r) => r.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE));
  const dirs = { '/three/': path.join(REPO, 'node_modules/three/build'), '/gainmap/': path.join(REPO, 'node_modules/@monogrid/gainmap-js/dist') };
  for (const [prefix, dir] of Object.entries(dirs)) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const body = readFileSync(path.join(dir, f));
      server.routes.set(prefix + f, (_q, r) => r.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body));
    }
  }
});
afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});

it('decodes in Chromium to what the reference decode gives, within half-float and 8-bit texture error', async () => {
  // The fixture photo with a smooth made-up reconstruction: up to 4 stops more in the highlights.
  const photo = await readImage(fixturePath('input.png'));
  const hdr = createRgbImage(photo.width, photo.height);
  for (let p = 0; p < photo.width * photo.height; p++) {
    const x = [0, 1, 2].map((c) => photo.samples[3 * p + c] / 255);
    const alpha = highlightAlpha(x[0], x[1], x[2]);
    for (let c = 0; c < 3; c++) hdr.data[3 * p + c] = x[c] * x[c] * (1 + 15 * alpha * (1 + c) / 3);
  }
  const { bytes } = await encodeGainMapJpeg(photo, hdr, DEFAULT_SETTINGS, DEFAULT_GAIN_MAP_JPEG);
  const file = Buffer.from(bytes);
  server.routes.set('/photo.jpg', fileRoute(file));
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/page.html`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  const result = await page.evaluate((url) => (window as unknown as { decodeGainMap(u: string): Promise<{ width: number; height: number; half: boolean; data: number[] }> }).decodeGainMap(url), '/photo.jpg');
  expect(errors).toEqual([]);
  const reference = await decodeGainMapJpeg(new Uint8Array(file));
  expect([result.width, result.height]).toEqual([96, 64]);
  // Render-target rows come back bottom-up (GL order), RGBA.
  const stops: number[] = [];
  for (let y = 0; y < result.height; y++) {
    for (let x = 0; x < result.width; x++) {
      for (let c = 0; c < 3; c++) {
        const raw = result.data[((result.height - 1 - y) * result.width + x) * 4 + c];
        const v = result.half ? halfToFloat(raw) : raw;
        const o = 1 / 64;
        stops.push(Math.abs(Math.log2((v + o) / (reference.hdr[(y * result.width + x) * 3 + c] + o))));
      }
    }
  }
  expect(quantile(stops, 0.5)).toBeLessThan(0.01);
  expect(quantile(stops, 0.99)).toBeLessThan(0.1);
});
