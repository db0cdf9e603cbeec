#!/usr/bin/env node
// Bundles a tools/ script for shipping (e.g. the docker image's demo-model seed job).
import path from 'node:path';
import { bundleNode, workspaceRoot } from './esbuild-node.mjs';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: build-tool.mjs <tools/…/x.ts> <dist/tools/x.js>');
  process.exit(2);
}
await bundleNode({ entry: path.resolve(workspaceRoot, entry), outfile: path.resolve(workspaceRoot, outfile) });
console.log(`built ${outfile}`);
