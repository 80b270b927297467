/**
 * The README's "Layout" table as import rules: `npm run lint` fails on any import the
 * table forbids, naming the file. Type-only imports count too. Keep the two in step.
 */

/** An import of something outside `allowed` (regular expressions over resolved paths). */
const onlyImports = (name, from, allowed, comment, extra = {}) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { pathNot: allowed, ...extra },
});

const NODE_BUILTIN = { dependencyTypesNot: ['core'] };

module.exports = {
  forbidden: [
    onlyImports('core-imports-only-core', '^src/core/', '^src/core/', 'src/core/ may import nothing outside core'),
    onlyImports(
      'deflate-layer',
      '^src/deflate/',
      ['^src/deflate/', 'node_modules/fflate/'],
      'src/deflate/ may import fflate only',
    ),
    onlyImports(
      'weights-layer',
      '^src/weights/',
      ['^src/(core|deflate|weights)/', 'node_modules/(fflate|onnx-proto)/'],
      'src/weights/ may import core, deflate, fflate and onnx-proto',
    ),
    onlyImports(
      'protocol-layer',
      '^src/protocol/',
      ['^src/(core|deflate|protocol)/', 'node_modules/(base64-js|@noble/hashes)/'],
      'src/protocol/ may import core, deflate, base64-js and @noble/hashes (SHA-256 of models)',
    ),
    onlyImports(
      'runtime-layer',
      '^src/runtime/',
      ['^src/(core|runtime)/', 'node_modules/onnxruntime-(node|web|common)/'],
      'src/runtime/ may import core and onnxruntime',
    ),
    onlyImports(
      'engine-layer',
      '^src/engine/',
      ['^src/(core|weights|protocol|runtime|engine)/', 'node_modules/'],
      'src/engine/ (the engine page) may import core, weights, protocol, runtime and libraries',
    ),
    onlyImports(
      'plugin-core-layer',
      '^src/plugin-core/',
      ['^src/(core|protocol|plugin-core)/'],
      'src/plugin-core/ (host-free plugin logic) may import core and protocol',
    ),
    onlyImports(
      'gain-map-jpeg-layer',
      '^src/gain-map-jpeg/',
      ['^src/(core|gain-map-jpeg)/', 'node_modules/(jpeg-js|@monogrid/gainmap-js)/'],
      'src/gain-map-jpeg/ may import core, jpeg-js and gainmap-js',
    ),
    onlyImports(
      'host-layer',
      '^src/host/',
      [
        '^src/(core|protocol|weights|plugin-core|gain-map-jpeg|host)/',
        '^(photoshop|uxp)(/|$)',
        'node_modules/@types/photoshop/',
      ],
      'src/host/ may import core, protocol, weights (model conversion in the plugin), plugin-core, gain-map-jpeg, photoshop and uxp',
    ),
    onlyImports(
      'panel-layer',
      '^src/panel/',
      ['^src/(host|plugin-core|panel)/'],
      'src/panel/ may import host and plugin-core (the protocol only through host)',
    ),
    onlyImports(
      'cli-layer',
      '^src/cli/',
      ['^src/(core|weights|runtime|gain-map-jpeg|cli)/', 'node_modules/', '^package[.]json$'],
      'src/cli/ may import core, weights, runtime, gain-map-jpeg, libraries, Node and package.json (its --version)',
      NODE_BUILTIN,
    ),
    onlyImports(
      'plugin-entry',
      '^src/index[.]ts$',
      ['^src/(host|panel|plugin-core)/'],
      'src/index.ts may import host and panel',
    ),
    {
      name: 'photoshop-only-in-host',
      comment: 'photoshop and uxp are imported by src/host only (and the simulator that stands in for them)',
      severity: 'error',
      from: { pathNot: ['^src/host/', '^test/'] },
      to: { path: ['^(photoshop|uxp)(/|$)', 'node_modules/@types/photoshop/'] },
    },
    {
      name: 'onnxruntime-only-in-runtime',
      comment: 'onnxruntime is imported by src/runtime only',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/runtime/' },
      to: { path: 'node_modules/onnxruntime-' },
    },
    {
      name: 'nothing-imports-bench',
      comment: 'bench/ is a program, not a library: shared harness code lives in tools/ or test/helpers',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'src-imports-no-harness',
      comment: 'src/ never imports tests, tools or bench',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|tools|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'import cycles hide which module owns what',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'resolvable',
      comment: 'an import that resolves to nothing (uxp is typed by an ambient declaration, src/host/uxp.d.ts)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^uxp$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-cli|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
