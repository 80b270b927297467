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
    // three's ES modules (the CLI's EXR writer, gainmap-js's decoder in the gain-map test) and @noble/hashes
    // (SHA-256 of models) ship as ES modules only, as in jest.config.js.
    '^.+/node_modules/(three/(examples|src|build)|@noble/hashes)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(three/(examples|src|build)|@noble/hashes)/)'],
  moduleNameMapper: { '^three$': '<rootDir>/node_modules/three/build/three.module.js' },
  maxWorkers: 1,
  testTimeout: 120000,
};
