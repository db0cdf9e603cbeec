import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCjsPreset } from 'jest-preset-angular/presets';
import { pathsToModuleNameMapper } from 'ts-jest';

// Read rather than imported: ts-node compiles this file with the app tsconfig (module "preserve"), where a JSON
// import does not resolve.
const { compilerOptions } = JSON.parse(readFileSync(join(__dirname, '../../tsconfig.base.json'), 'utf8'));

// Not the root jest.preset.js: that one is for the Node services (ONNX test environment); Angular needs jsdom.
export default {
  // jest-environment-jsdom is not installed; jest-preset-angular ships an equivalent on the jsdom we have
  ...createCjsPreset({ testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env' }),
  displayName: 'admin',
  rootDir: '.',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../../' }),
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/admin',
};
