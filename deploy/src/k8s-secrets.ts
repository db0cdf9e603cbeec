// `npm run k8s:secrets -- deploy/k8s/overlays/<overlay>… [--namespace loglens]`
// Writes the files an overlay's secretGenerator and configMapGenerator read, under <overlay>/secrets/ (git-ignored):
// - nats/credentials/<namespace>/<principal>.nk: one nkey seed per LogLens principal (0600), the same model as
//   `npm run nats:config` (libs/dev-infra nats-security.ts: the permission table nats-permissions.ts);
// - nats/auth.conf: the nats-server `authorization` block (public keys and permissions only, nothing secret);
// - api-keys: the gateway's API_KEYS (viewer, operator, admin: random 32-hex-digit keys);
// - gateway-token-secret: GATEWAY_TOKEN_SECRET, shared by every gateway replica (a live-events token one signs, the
//   others accept);
// - postgres-password and database-url, when the overlay runs its own Postgres (dev).
// Files already there are kept (seeds, keys, password), so re-running only rewrites auth.conf after a permission
// table change. Put your own values in these files instead if you prefer (a trailing newline is removed: Kubernetes
// would hand it to the app as part of the value); never commit them.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NAMESPACE_PATTERN } from '@loglens/contracts';
import { writeNatsSecurity } from '@loglens/dev-infra';

function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The value in `file` (created when missing), stored without surrounding whitespace. */
function keepOrCreate(file: string, create: () => string): string {
  const value = existsSync(file) ? readFileSync(file, 'utf8').trim() : create();
  if (!existsSync(file) || readFileSync(file, 'utf8') !== value) writeSecret(file, value);
  return value;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function main(): void {
  const argv = process.argv.slice(2);
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i] ?? '');
    else positional.push(argv[i]);
  }
  if (positional.length === 0 || positional.some((o) => !existsSync(path.join(o, 'kustomization.yaml')))) {
    console.error(
      'usage: npm run k8s:secrets -- deploy/k8s/overlays/<overlay>… [--namespace loglens]  (folders with a kustomization.yaml)',
    );
    process.exit(2);
  }
  const namespace = flags.get('namespace') ?? 'loglens';
  if (!NAMESPACE_PATTERN.test(namespace)) {
    console.error(`--namespace must be 1-32 letters, digits, "_" or "-" (got ${JSON.stringify(namespace)})`);
    process.exit(2);
  }
  for (const overlay of positional) writeOverlaySecrets(overlay, namespace, !flags.has('quiet'));
}

/** LOGLENS_LOG_PARTITIONS as the overlay (or the base it builds on) sets it in loglens-config; 1 when neither does. */
function logPartitionsOf(overlay: string): number {
  for (const file of [path.join(overlay, 'kustomization.yaml'), path.resolve(overlay, '../../base/kustomization.yaml')]) {
    const m = existsSync(file) ? /LOGLENS_LOG_PARTITIONS=(\d+)/.exec(readFileSync(file, 'utf8')) : null;
    if (m) return Number(m[1]);
  }
  return 1;
}

function writeOverlaySecrets(overlay: string, namespace: string, verbose: boolean): void {
  const dir = path.resolve(overlay, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);

  const security = writeNatsSecurity({
    dir: path.join(dir, 'nats'),
    namespaces: [namespace],
    host: '0.0.0.0',
    port: 4222,
    storeDir: '/data',
    // the agents' durables: one per LOGS partition the manifests configure
    logPartitions: logPartitionsOf(overlay),
  });
  const config = readFileSync(security.configFile, 'utf8');
  const start = config.indexOf('authorization {');
  if (start < 0) throw new Error(`no authorization block in ${security.configFile}`);
  writeSecret(
    path.join(dir, 'nats', 'auth.conf'),
    `# written by npm run k8s:secrets from the permission table (libs/dev-infra nats-permissions.ts): do not edit\n${config.slice(start)}`,
  );

  keepOrCreate(path.join(dir, 'api-keys'), () => `viewer:${hex(16)},operator:${hex(16)},admin:${hex(16)}`);
  keepOrCreate(path.join(dir, 'gateway-token-secret'), () => hex(32));

  const kustomization = readFileSync(path.join(overlay, 'kustomization.yaml'), 'utf8');
  if (kustomization.includes('secrets/postgres-password')) {
    const password = keepOrCreate(path.join(dir, 'postgres-password'), () => hex(24));
    writeSecret(
      path.join(dir, 'database-url'),
      `postgres://loglens:${encodeURIComponent(password)}@postgres:5432/loglens`,
    );
  }

  if (verbose) {
    console.log(`secrets for ${overlay} (namespace ${namespace}) in ${dir}:`);
    console.log(`  NATS: ${security.credentialsDir(namespace)}/<principal>.nk and nats/auth.conf`);
    console.log(
      `  gateway API keys: ${path.join(dir, 'api-keys')} (role:key pairs; give each key to its users)`,
    );
    console.log(`next: kubectl apply -k ${overlay}`);
  }
}

main();
