/**
 * The plugin bundle's loader for jpeg-js's encoder: UXP has no Node Buffer, and the encoder
 * calls Buffer.from whenever `module` exists (as in a webpack bundle). Run in a fresh V8
 * context without Buffer, as UXP would run it.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const loader = require('../../scripts/uxp-buffer-loader.js') as (source: string) => string;
const source = readFileSync(require.resolve('jpeg-js/lib/encoder.js'), 'utf8');

function encodeIn(code: string): { data: unknown } {
  const module = { exports: {} as unknown };
  const context = vm.createContext({ module, console });
  vm.runInContext(code, context);
  const encode = module.exports as (image: object, quality: number) => { data: unknown };
  const pixels = vm.runInContext('new Uint8Array(8 * 8 * 4).fill(200)', context);
  return encode({ data: pixels, width: 8, height: 8 }, 90);
}

test('without the loader the encoder needs Buffer; with it, it gives a JPEG as a Uint8Array', () => {
  expect(() => encodeIn(source)).toThrow(/Buffer is not defined/);
  const { data } = encodeIn(loader(source));
  const bytes = data as Uint8Array;
  expect(Object.prototype.toString.call(bytes)).toBe('[object Uint8Array]');
  expect([bytes[0], bytes[1], bytes[bytes.length - 2], bytes[bytes.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
});
