#!/usr/bin/env node
// `npm test`: builds the services and the console (integration and browser specs run the built bundles, as
// `npm start` does), then every unit spec, then every integration spec against a real NATS and a real Postgres —
// NATS_URL / DATABASE_URL when set, otherwise a nats-server and an embedded Postgres started for the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ws = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(ws, 'tmp/test-results');
mkdirSync(out, { recursive: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };

function run(title, cmd, args) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ws, stdio: 'inherit', env });
  return r.status ?? 1;
}

const mode = `NATS ${process.env.NATS_URL ? `at ${process.env.NATS_URL}` : 'started for the run'}, Postgres ${process.env.DATABASE_URL ? `at ${process.env.DATABASE_URL}` : 'embedded (PGlite) for the run'}`;
console.log(`LogLens tests — ${mode}`);

if (run('build', 'npx', ['nx', 'run-many', '-t', 'build', '--projects', 'registry,inference-worker,agent-base,agent-wifi,trainer,ingest,gateway,admin,mcp', '--output-style', 'static']) !== 0) {
  console.error('build failed');
  process.exit(1);
}
const unit = run('unit specs', 'npx', ['jest', '--ci', '--json', '--outputFile', path.join(out, 'unit.json')]);
const integration = run('integration specs', 'npx', ['jest', '-c', 'jest.int.config.js', '--ci', '--runInBand', '--json', '--outputFile', path.join(out, 'integration.json')]);

let passed = 0;
let failed = 0;
for (const file of ['unit.json', 'integration.json']) {
  try {
    const r = JSON.parse(readFileSync(path.join(out, file), 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(unit === 0 && integration === 0 && failed === 0 && passed > 0 ? 0 : 1);
