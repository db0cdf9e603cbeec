#!/usr/bin/env node
// nx build target of every Node app: dist/<app root>/main.js, plus any extra entry given after the root (a worker
// thread's script, e.g. `src/jobs/train-worker.ts` → dist/<app root>/train-worker.js)
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
for (const extra of process.argv.slice(3)) {
  await bundleNode({
    entry: path.join(workspaceRoot, root, extra),
    outfile: path.join(workspaceRoot, 'dist', root, `${path.basename(extra, '.ts')}.js`),
  });
}
console.log(`built dist/${root}/main.js${process.argv.length > 3 ? ` and ${process.argv.length - 3} more` : ''}`);
