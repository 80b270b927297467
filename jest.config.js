/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/simulator-modules.ts'],
  // Real-Chromium tests run apart: npm run test:browser (jest.browser.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
    // three's EXR exporter ships as ES modules only; compile it to CommonJS for jest.
    '^.+/node_modules/three/(examples|src|build)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!three/(examples|src|build)/)'],
  // The exporter imports 'three'; its CommonJS entry is a deprecated shim around the ES build.
  moduleNameMapper: { '^three$': '<rootDir>/node_modules/three/build/three.module.js' },
  testTimeout: 60000,
  // Plugin tests tear their engine workers down while the plugin's engine client still has
  // request timers pending (up to 120 s); they must not hold the run open.
  forceExit: true,
};
