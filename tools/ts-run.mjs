#!/usr/bin/env node
// Runs a TypeScript tool (tools/**/*.ts) with the workspace path aliases: bundles it into tmp/ts-run, then
// executes it with the remaining arguments. Usage: node tools/ts-run.mjs tools/models/demo-model.ts --out x
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleNode, workspaceRoot } from './build/esbuild-node.mjs';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: ts-run.mjs <file.ts> [args…]');
  process.exit(2);
}
const outDir = path.join(workspaceRoot, 'tmp/ts-run');
mkdirSync(outDir, { recursive: true });
const rel = path.relative(workspaceRoot, path.resolve(entry));
const outfile = path.join(outDir, rel.replace(/[\\/]/g, '__').replace(/\.ts$/, '.cjs'));
await bundleNode({ entry: path.resolve(entry), outfile });
process.argv = [process.argv[0], outfile, ...rest];
await import(pathToFileURL(outfile).href);
