// Integration specs (*.int-spec.ts): real NATS, real Postgres, real onnxruntime. The global setup uses NATS_URL /
// DATABASE_URL when set and otherwise starts its own nats-server and embedded Postgres. Specs run one at a time:
// they start services that join NATS queue groups, and two registries on one NATS would answer each other's calls.
const fs = require('node:fs');
const path = require('node:path');
const preset = require('./jest.preset.js');

function projectsWithIntegrationSpecs() {
  const found = [];
  for (const group of ['apps', 'libs']) {
    for (const name of fs.readdirSync(path.join(__dirname, group))) {
      const root = path.join(__dirname, group, name);
      if (hasIntSpec(path.join(root, 'src'))) found.push({ root, name });
    }
  }
  // the deploy project (deploy/: Kubernetes manifests and their tools) sits at the top level
  if (hasIntSpec(path.join(__dirname, 'deploy/src')))
    found.push({ root: path.join(__dirname, 'deploy'), name: 'deploy' });
  return found;
}

function hasIntSpec(dir) {
  if (!fs.existsSync(dir)) return false;
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .some((e) => (e.isDirectory() ? hasIntSpec(path.join(dir, e.name)) : e.name.endsWith('.int-spec.ts')));
}

module.exports = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tools/jest/tsconfig.json') }] },
  // a global option: project entries cannot set it
  testTimeout: 120000,
  globalSetup: path.join(__dirname, 'tools/jest/integration-setup.ts'),
  globalTeardown: path.join(__dirname, 'tools/jest/integration-teardown.ts'),
  projects: projectsWithIntegrationSpecs().map(({ root, name }) => ({
    ...preset,
    displayName: `${name}:int`,
    rootDir: root,
    testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  })),
};
