// Shared Jest settings for every Node project. Specs are transpiled one file at a time (isolatedModules),
// the same way the app bundler does, so decorator metadata behaves identically in tests and at run time.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: path.join(__dirname, 'tools/jest/ort-environment.js'),
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: path.join(__dirname, '/') }),
  // unit specs only; integration specs (*.int-spec.ts) run through jest.int.config.js with real NATS/Postgres
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 30000,
};
