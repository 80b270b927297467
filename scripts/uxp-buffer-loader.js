/**
 * Webpack loader for jpeg-js's encoder in the plugin bundle: the encoder returns
 * `Buffer.from(bytes)` whenever `module` exists (it does in a webpack bundle), and UXP has
 * no Node Buffer. A module-local stand-in gives a Uint8Array, as jpeg-js does in browsers.
 */
module.exports = function uxpBufferLoader(source) {
  return `var Buffer = { from: function (bytes) { return Uint8Array.from(bytes); } };\n${source}`;
};
