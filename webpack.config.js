/**
 * Two bundles (select one with `webpack --config-name engine|plugin`):
 * - engine: the inference page loaded in the plugin's <webview> → dist/engine/engine.html,
 *   one self-contained file: the script and onnxruntime's .wasm are inlined (see InlineEnginePage).
 * - plugin: the UXP plugin itself → dist/ (index.js, manifest, panel HTML,
 *   icons, the bundled model if any); built only once src/index.ts exists.
 * Type checking is `tsc -p tsconfig.json` (npm run build): loaders only transpile.
 */
const fs = require('node:fs');
const path = require('node:path');
const CopyPlugin = require('copy-webpack-plugin');
const { Compilation, sources } = require('webpack');

const root = __dirname;
const dist = path.join(root, 'dist');
const ortDist = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');

const typescript = {
  test: /\.ts$/,
  exclude: /node_modules/,
  loader: 'ts-loader',
  options: {
    configFile: path.join(root, 'tsconfig.json'),
    transpileOnly: true,
    compilerOptions: { noEmit: false, sourceMap: false },
  },
};

const common = (mode) => ({
  mode,
  // UXP refuses eval (no allowCodeGenerationFromStrings), so no eval-based source maps anywhere.
  devtool: false,
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [typescript] },
  performance: { hints: false },
  // protobufjs probes for optional modules with eval'd requires; it copes with their absence.
  ignoreWarnings: [{ module: /@protobufjs[\\/]inquire/ }],
});

/** The WebGPU build's WASM runtime (it also runs the WASM provider). */
const ORT_WASM = path.join(ortDist, 'ort-wasm-simd-threaded.asyncify.wasm');

/**
 * Writes engine.html with engine.js inline and the runtime .wasm as base64 in a script element
 * of a non-JavaScript type (never executed, read by page.ts), then drops engine.js: local webview
 * content may be served with no Content-Type, which a module script, an import() of .mjs or
 * WebAssembly.instantiateStreaming would refuse; one file with no fetch needs no type at all.
 */
class InlineEnginePage {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('InlineEnginePage', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'InlineEnginePage', stage: Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE },
        () => {
          const script = compilation.getAsset('engine.js').source.source().toString();
          // Inside an inline script the HTML parser ends the element at "</script" (and "<!--" can hide that end).
          if (/<\/script|<!--/i.test(script))
            throw new Error('engine.js contains "</script" or "<!--": it cannot be inlined');
          const wasm = fs.readFileSync(ORT_WASM).toString('base64');
          const html = fs
            .readFileSync(path.join(root, 'src', 'engine', 'engine.html'), 'utf8')
            .replace(
              '<!-- inline:ort-wasm -->',
              () => `<script type="application/octet-stream" id="ort-wasm">${wasm}</script>`,
            )
            .replace('<!-- inline:engine.js -->', () => `<script>${script}</script>`);
          compilation.emitAsset('engine.html', new sources.RawSource(html));
          compilation.deleteAsset('engine.js');
        },
      );
    });
  }
}

const engine = (mode) => ({
  ...common(mode),
  name: 'engine',
  target: ['web', 'es2022'],
  entry: { engine: './src/engine/page.ts' },
  output: { path: path.join(dist, 'engine'), filename: '[name].js', clean: true },
  resolve: {
    extensions: ['.ts', '.js'],
    alias: {
      // The package's default build (JSEP) ignores a GPUDevice passed in the session options; the native
      // WebGPU EP build takes it. Its "bundle" variant has the runtime's JavaScript glue built in (no import()).
      'onnxruntime-web$': path.join(ortDist, 'ort.webgpu.bundle.min.mjs'),
    },
  },
  module: {
    rules: [
      typescript,
      { test: /ort\.webgpu\.bundle\.min\.mjs$/, loader: path.join(root, 'scripts', 'page-url-loader.js') },
    ],
    // The runtime's new URL('….wasm', …) must not make webpack copy the 27 MB file beside the page.
    parser: { javascript: { url: false } },
  },
  plugins: [new InlineEnginePage()],
});

const plugin = (mode) => ({
  ...common(mode),
  name: 'plugin',
  // UXP's JavaScript engine is V8 of Photoshop's era; it loads index.js as a classic script with require().
  target: ['web', 'es2020'],
  entry: './src/index.ts',
  output: { path: dist, filename: 'index.js', clean: { keep: /^engine[\\/]/ } },
  module: {
    rules: [
      typescript,
      { test: /jpeg-js[\\/]lib[\\/]encoder\.js$/, loader: path.join(root, 'scripts', 'uxp-buffer-loader.js') },
    ],
  },
  externals: { photoshop: 'commonjs2 photoshop', uxp: 'commonjs2 uxp', fs: 'commonjs2 fs', os: 'commonjs2 os' },
  plugins: [
    new CopyPlugin({
      patterns: [
        { from: 'manifest.json' },
        { from: 'src/panel/*.html', to: '[name][ext]', noErrorOnMissing: true },
        { from: 'icons', to: 'icons', noErrorOnMissing: true },
        { from: 'model/hdrcnn.onnx', to: 'model/hdrcnn.onnx', noErrorOnMissing: true },
      ],
    }),
  ],
});

module.exports = (_env, argv) => {
  const mode = argv.mode ?? 'production';
  return fs.existsSync(path.join(root, 'src', 'index.ts')) ? [engine(mode), plugin(mode)] : [engine(mode)];
};
