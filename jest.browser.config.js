/**
 * The engine page in real Chromium (test/browser). Needs Debian's chromium
 * (/usr/bin/chromium) and the engine bundle: `npm run test:browser` builds it first.
 * One file at a time: SwiftShader's WebGPU already uses every core.
 */
/** @type {import('jest').Config} */
module.exports = {
  // Shared typed-array constructors: some tests compare with onnxruntime-node (see the helper).
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
    // @noble/hashes (SHA-256 of models) ships as ES modules only.
    '^.+/node_modules/@noble/hashes/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@noble/hashes/)'],
  maxWorkers: 1,
  testTimeout: 120000,
};
