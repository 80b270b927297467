/**
 * The engine page in real Chromium (test/browser). Needs Debian's chromium
 * (/usr/bin/chromium) and the engine bundle: `npm run test:browser` builds it first.
 * One file at a time: SwiftShader's WebGPU already uses every core.
 * Everything else (environment, the ES-module transforms) is jest.config.js's, so the two never drift.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  // No Photoshop simulator here: the page runs in Chromium.
  setupFilesAfterEnv: [],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 120000,
};
