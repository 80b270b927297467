/**
 * `npm run bench`: prints the project's performance figures as tables.
 * Sections: inference, cost (window cost models), tiling, scale, provision (plugin-side model memory), exr (EXR
 * writing vs oiiotool), browser (the engine page in Chromium), gainmap, gainmap-encoders (the CLI's and the plugin's
 * JPEG encoders side by side, 24 MP), preview (the panel's crop), plugin (the plugin's tile path per stage).
 * `node dist-cli/bench/bench.js [section…] [image filter…]` runs only the named sections.
 */
import { DEFAULT_TILE_SETTINGS } from '../src/core/tile-plan';
import { createOrtNodeBackend } from '../src/runtime/ort-node';
import { readFileSync } from 'node:fs';
import { benchBrowser } from './browser';
import { benchExrWrite } from './exr-write';
import { benchGainMap } from './gain-map';
import { benchGainMapEncoders } from './gain-map-encoders';
import { benchInference } from './inference';
import { benchPlugin } from './plugin';
import { benchPreview } from './preview';
import { benchModel } from './make-model';
import { benchProvisionMemory } from './provision-memory';
import { benchScale } from './scale';
import { benchWindowCost } from './window-cost';
import { benchImages, benchTiling } from './tiling';

const SECTIONS = [
  'inference',
  'cost',
  'tiling',
  'scale',
  'provision',
  'exr',
  'browser',
  'gainmap',
  'gainmap-encoders',
  'preview',
  'plugin',
];

async function main(): Promise<void> {
  // Words that are no section name filter the tiling section's images (e.g. `tiling img_002 night`).
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => SECTIONS.includes(a));
  const filters = args.filter((a) => !SECTIONS.includes(a));
  const run = (name: string) => wanted.length === 0 || wanted.includes(name);
  console.log(
    `HDR Reconstruct benchmark — ${new Date().toISOString()}, node ${process.version}, ${require('node:os').cpus().length} cores`,
  );
  if (run('inference')) benchInference();
  if (run('cost')) benchWindowCost();
  if (run('tiling')) {
    const model = new Uint8Array(readFileSync(benchModel(1)));
    await benchTiling(() => createOrtNodeBackend(model), await benchImages(filters), DEFAULT_TILE_SETTINGS);
  }
  if (run('scale')) await benchScale();
  if (run('provision')) benchProvisionMemory();
  if (run('exr')) await benchExrWrite();
  if (run('browser')) await benchBrowser();
  if (run('gainmap')) await benchGainMap();
  if (run('gainmap-encoders')) await benchGainMapEncoders();
  if (run('preview')) await benchPreview();
  if (run('plugin')) await benchPlugin(filters);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
