/**
 * Two bundles (select one with `webpack --config-name engine|plugin`):
 * - engine: the inference page loaded in the plugin's <webview> → dist/engine/
 *   (engine.html, engine.js, and the onnxruntime-web runtime files it loads).
 * - plugin: the UXP plugin itself → dist/ (index.js, manifest, panel HTML,
 *   icons, the bundled model if any); built only once src/index.ts exists.
 * Type checking is `tsc -p tsconfig.json` (npm run build): loaders only transpile.
 */
const fs = require('node:fs');
const path = require('node:path');
const CopyPlugin = require('copy-webpack-plugin');

const root = __dirname;
const dist = path.join(root, 'dist');
const ortDist = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');

const typescript = {
  test: /\.ts$/,
  exclude: /node_modules/,
  loader: 'ts-loader',
  options: { configFile: path.join(root, 'tsconfig.json'), transpileOnly: true, compilerOptions: { noEmit: false, sourceMap: false } },
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

const engine = (mode) => ({
  ...common(mode),
  name: 'engine',
  target: ['web', 'es2022'],
  entry: { engine: './src/engine/page.ts' },
  // onnxruntime's own module also lands here as an asset (its proxy-worker source, unused: no proxy).
  output: { path: path.join(dist, 'engine'), filename: '[name].js', assetModuleFilename: '[name][ext]', clean: true },
  resolve: {
    extensions: ['.ts', '.js'],
    alias: {
      // The package's default build (JSEP) ignores a GPUDevice passed in the session options;
      // the native WebGPU EP build takes it. This build loads its runtime from wasmPaths: see below.
      'onnxruntime-web$': path.join(ortDist, 'ort.webgpu.min.mjs'),
    },
  },
  plugins: [
    new CopyPlugin({
      patterns: [
        { from: 'src/engine/engine.html' },
        // The WebGPU build's WASM runtime (also runs the WASM provider): fetched next to engine.html.
        { from: path.join(ortDist, 'ort-wasm-simd-threaded.asyncify.mjs') },
        { from: path.join(ortDist, 'ort-wasm-simd-threaded.asyncify.wasm') },
      ],
    }),
  ],
});

const plugin = (mode) => ({
  ...common(mode),
  name: 'plugin',
  // UXP's JavaScript engine is V8 of Photoshop's era; it loads index.js as a classic script with require().
  target: ['web', 'es2020'],
  entry: './src/index.ts',
  output: { path: dist, filename: 'index.js', clean: { keep: /^engine[\\/]/ } },
  module: {
    rules: [typescript, { test: /jpeg-js[\\/]lib[\\/]encoder\.js$/, loader: path.join(root, 'scripts', 'uxp-buffer-loader.js') }],
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
