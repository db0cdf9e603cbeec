#!/usr/bin/env node
// Bundles a tools/ script: for shipping (e.g. the docker image's demo-model seed job), and for tools/ts-run.mjs
// (`--quiet`: no "built" line).
import path from 'node:path';
import { bundleNode, workspaceRoot } from './esbuild-node.mjs';

const args = process.argv.slice(2);
const quiet = args[0] === '--quiet';
const [entry, outfile] = quiet ? args.slice(1) : args;
if (!entry || !outfile) {
  console.error('usage: build-tool.mjs [--quiet] <tools/…/x.ts> <dist/tools/x.js>');
  process.exit(2);
}
await bundleNode({ entry: path.resolve(workspaceRoot, entry), outfile: path.resolve(workspaceRoot, outfile) });
if (!quiet) console.log(`built ${outfile}`);
