#!/usr/bin/env node
// `npx loglens-mcp …`: runs the bundled MCP server (dist/apps/mcp/main.js), building it first when it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/apps/mcp/main.js');
if (!existsSync(bundle)) {
  execFileSync(process.execPath, [path.join(root, 'tools/build/build-node-app.mjs'), 'apps/mcp'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
createRequire(import.meta.url)(bundle);
