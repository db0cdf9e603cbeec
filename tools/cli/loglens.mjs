#!/usr/bin/env node
// `npx loglens …`: runs the bundled CLI (dist/apps/cli/main.js), building it first when it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/apps/cli/main.js');
if (!existsSync(bundle)) {
  execFileSync(process.execPath, [path.join(root, 'tools/build/build-node-app.mjs'), 'apps/cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
createRequire(import.meta.url)(bundle);
