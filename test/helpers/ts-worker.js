// Starts a worker thread on a TypeScript file. The engine runs onnxruntime-web,
// whose WASM loader is an ES module it import()s: jest's module sandbox cannot do
// that without --experimental-vm-modules, a plain worker thread can.
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
require(workerData.entry);
