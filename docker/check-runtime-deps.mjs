#!/usr/bin/env node
// The runtime image installs only package.json's `dependencies` (npm ci --omit=dev): every npm package a built
// bundle requires must be one of them, or the container fails at start with "Cannot find module". Run after a build:
//   node docker/check-runtime-deps.mjs        (CI runs it once `npm test` has built dist/)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const APPS = ['registry', 'inference-worker', 'agent-base', 'agent-wifi', 'gateway', 'ingest', 'trainer', 'mcp'];
const deps = new Set(
  Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {}),
);
const builtin = new Set(builtinModules);

const bundles = APPS.flatMap((app) => {
  const dir = path.join(root, 'dist/apps', app);
  if (!existsSync(dir)) {
    console.error(`✗ dist/apps/${app} is missing: build the apps first (npx nx run-many -t build)`);
    process.exit(1);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(dir, f));
});
const seed = path.join(root, 'dist/tools/seed.js');
if (existsSync(seed)) bundles.push(seed);

let bad = 0;
for (const file of bundles) {
  const text = readFileSync(file, 'utf8');
  const specifiers = new Set(
    [...text.matchAll(/\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]),
  );
  const missing = [...specifiers].filter((s) => {
    if (s.startsWith('node:') || s.startsWith('.') || s.startsWith('/') || builtin.has(s)) return false;
    const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
    return !deps.has(name);
  });
  if (missing.length > 0) {
    bad++;
    console.error(
      `✗ ${path.relative(root, file)} requires ${missing.join(', ')}: not in package.json dependencies (the image omits devDependencies)`,
    );
  }
}
console.log(
  `${bad === 0 ? '✓' : '✗'} ${bundles.length} bundles: ${bad === 0 ? 'every package they require is a production dependency' : `${bad} need packages the image does not install`}`,
);
process.exit(bad === 0 ? 0 : 1);
