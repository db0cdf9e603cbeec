#!/usr/bin/env node
// nx build target of every Node app: dist/<app root>/main.js
import path from 'node:path';
import { bundleNode, workspaceRoot } from './esbuild-node.mjs';

const root = process.argv[2];
if (!root) {
  console.error('usage: build-node-app.mjs <app root, e.g. apps/gateway>');
  process.exit(2);
}
await bundleNode({
  entry: path.join(workspaceRoot, root, 'src/main.ts'),
  outfile: path.join(workspaceRoot, 'dist', root, 'main.js'),
});
console.log(`built dist/${root}/main.js`);
