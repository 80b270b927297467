/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/simulator-modules.ts'],
  // Real-Chromium tests run apart: npm run test:browser (jest.browser.config.js, which extends this one).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
    // three's EXR loader, commander and @noble/hashes (SHA-256 of models) ship as ES modules only;
    // compile them to CommonJS for jest.
    '^.+/node_modules/(three/(examples|src|build)|commander|@noble/hashes)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(three/(examples|src|build)|commander|@noble/hashes)/)'],
  // The loader imports 'three'; its CommonJS entry is a deprecated shim around the ES build.
  moduleNameMapper: { '^three$': '<rootDir>/node_modules/three/build/three.module.js' },
  testTimeout: 60000,
};
