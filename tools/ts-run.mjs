#!/usr/bin/env node
// Runs a TypeScript tool (tools/**/*.ts) with the workspace path aliases: bundles it into tmp/ts-run, then
// executes it with the remaining arguments. Usage: node tools/ts-run.mjs tools/models/demo-model.ts --out x
// The bundling (TypeScript's compiler and an esbuild service process) runs in a child process that exits before the
// tool starts: a long-running tool (`npm start`, the embedded Postgres) keeps neither the compiler's heap nor the
// esbuild service alive (together ~100 MB RSS).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: ts-run.mjs <file.ts> [args…]');
  process.exit(2);
}
const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(workspaceRoot, 'tmp/ts-run');
mkdirSync(outDir, { recursive: true });
const rel = path.relative(workspaceRoot, path.resolve(entry));
const outfile = path.join(outDir, rel.replace(/[\\/]/g, '__').replace(/\.ts$/, '.cjs'));
const built = spawnSync(process.execPath, [path.join(workspaceRoot, 'tools/build/build-tool.mjs'), '--quiet', path.resolve(entry), outfile], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (built.status !== 0) process.exit(built.status ?? 1);
process.argv = [process.argv[0], outfile, ...rest];
await import(pathToFileURL(outfile).href);
