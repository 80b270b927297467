/**
 * The layout rules (.dependency-cruiser.cjs) really fail: a scratch tree with one
 * forbidden import per rule, cruised with the project's config, must report each
 * one with its file, and nothing for the allowed imports beside them. (The scratch tree
 * has no node_modules, so 'photoshop' does not resolve there: those reports are left out.)
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

const FILES: Record<string, string> = {
  'src/core/image.ts': 'export const one = 1;\n',
  'src/core/stray-host.ts': "import { app } from 'photoshop';\nexport const a = app;\n",
  'src/core/stray-protocol.ts': "import { x } from '../protocol/messages';\nexport const b = x;\n",
  'src/protocol/messages.ts': "import { one } from '../core/image';\nexport const x = one;\n",
  'src/panel/stray.ts': "import { x } from '../protocol/messages';\nexport const c = x;\n",
  'src/panel/fine.ts': "import { h } from '../host/fine';\nexport const d = h;\n",
  'src/host/fine.ts':
    "import { app } from 'photoshop';\nimport { x } from '../protocol/messages';\nexport const h = [app, x];\n",
  'src/weights/stray.ts': "import { h } from '../host/fine';\nexport const e = h;\n",
  'test/stray.ts': "import { f } from '../bench/tool';\nexport const g = f;\n",
  'bench/tool.ts': 'export const f = 1;\n',
  'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node" } }\n',
};

function cruise(dir: string): Promise<string> {
  const bin = path.join(REPO, 'node_modules', '.bin', 'depcruise');
  const args = ['src', 'test', 'bench', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'err'];
  return new Promise((resolve) =>
    execFile(bin, args, { cwd: dir }, (_error, stdout, stderr) => resolve(stdout + stderr)),
  );
}

test('every forbidden import is reported with its rule and file; allowed ones are not', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdr-layout-'));
  try {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const report = await cruise(dir);
    const violations = report
      .split('\n')
      .filter((l) => /^\s*error (?!resolvable)/.test(l))
      .map((l) => l.trim())
      .sort();
    expect(violations).toEqual([
      'error core-imports-only-core: src/core/stray-host.ts → photoshop',
      'error core-imports-only-core: src/core/stray-protocol.ts → src/protocol/messages.ts',
      'error nothing-imports-bench: test/stray.ts → bench/tool.ts',
      'error panel-layer: src/panel/stray.ts → src/protocol/messages.ts',
      'error photoshop-only-in-host: src/core/stray-host.ts → photoshop',
      'error weights-layer: src/weights/stray.ts → src/host/fine.ts',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
