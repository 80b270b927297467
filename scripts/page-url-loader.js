/**
 * webpack loader for onnxruntime-web's bundled build, an ES module: the engine page
 * is a classic script, where `import.meta` is a syntax error, and webpack would put
 * the build machine's file: URL in its place. The runtime only uses the URL to find
 * files next to itself; with env.wasm.wasmBinary set and no proxy or thread workers
 * it fetches none, so the page's own address stands in.
 */
module.exports = function pageUrlLoader(source) {
  return source.replaceAll('import.meta.url', 'self.location.href');
};
