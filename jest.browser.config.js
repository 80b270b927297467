/**
 * The engine page in real Chromium (test/browser). Needs Debian's chromium
 * (/usr/bin/chromium) and the engine bundle: `npm run test:browser` builds it first.
 * One file at a time: SwiftShader's WebGPU already uses every core.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  maxWorkers: 1,
  testTimeout: 120000,
};
