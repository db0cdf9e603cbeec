#!/usr/bin/env node
// `npm run k8s:check [-- --overlay dev] [-- --file rendered.yaml]`
// Renders every overlay under deploy/k8s/overlays with `kubectl kustomize` and validates each object (see
// k8s-validate.mjs). The overlays need their secret files: the check renders a copy of deploy/k8s in which
// `npm run k8s:secrets` wrote throwaway ones, so it also proves the generator writes what the kustomizations read.
// --file validates one YAML stream instead (no kubectl). Exit 0 only when every object is valid.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kindCounts, parseManifests, validateObjects } from './k8s-validate.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const kubectl = process.env.KUBECTL || 'kubectl';

function args() {
  const out = { overlays: [], files: [] };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--overlay') out.overlays.push(argv[++i]);
    else if (argv[i] === '--file') out.files.push(argv[++i]);
    else {
      console.error(`unknown argument ${argv[i]}: use --overlay NAME or --file FILE`);
      process.exit(2);
    }
  }
  return out;
}

async function check(label, text) {
  const { objects, errors } = parseManifests(text);
  errors.push(...(await validateObjects(objects)));
  if (objects.length === 0) errors.push('no objects');
  if (errors.length > 0) {
    console.error(`✗ ${label}: ${errors.length} problem(s)`);
    for (const e of errors) console.error(`  - ${e}`);
    return false;
  }
  console.log(`✓ ${label}: ${objects.length} objects valid (${kindCounts(objects)})`);
  return true;
}

function run(cmd, argv, what) {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error?.code === 'ENOENT') {
    console.error(
      `✗ ${what}: ${cmd} not found (kubectl: apt-get install -y kubernetes-client, or set KUBECTL)`,
    );
    return null;
  }
  if (r.error || r.status !== 0) {
    console.error(
      `✗ ${what}: ${cmd} ${argv.join(' ')} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}\n${r.stderr ?? ''}`,
    );
    return null;
  }
  return r.stdout;
}

async function main() {
  const started = Date.now();
  const { overlays, files } = args();
  let ok = true;
  if (files.length > 0) {
    for (const file of files) ok = (await check(file, readFileSync(file, 'utf8'))) && ok;
    process.exit(ok ? 0 : 1);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loglens-k8s-'));
  try {
    const copy = path.join(tmp, 'k8s');
    // the user's own secret files never enter the copy
    cpSync(path.join(root, 'deploy/k8s'), copy, {
      recursive: true,
      filter: (src) => !/[\\/]overlays[\\/][^\\/]+[\\/]secrets$/.test(src),
    });
    const names = overlays.length > 0 ? overlays : readdirSync(path.join(copy, 'overlays'));
    const dirs = names.map((name) => path.join(copy, 'overlays', name));
    if (
      run(
        'node',
        ['tools/ts-run.mjs', 'deploy/src/k8s-secrets.ts', ...dirs, '--quiet'],
        'throwaway secrets',
      ) === null
    )
      process.exit(1);
    for (const [i, name] of names.entries()) {
      const dir = dirs[i];
      const rendered = run(kubectl, ['kustomize', dir], `${name}: render`);
      if (rendered === null) {
        ok = false;
        continue;
      }
      ok = (await check(`overlay ${name}`, rendered)) && ok;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`k8s check ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(ok ? 0 : 1);
}

await main();
