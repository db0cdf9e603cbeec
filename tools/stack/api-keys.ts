import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AuthSubjects, LogLensError, type ApiKeyRole, type CreateApiKeyRequest } from '@loglens/contracts/protocol';
import type { RpcClient } from '@loglens/nest-common';

/** the file older versions kept plain keys in: imported (hashed) into the registry and removed */
const LEGACY_KEYS_FILE = 'api-keys';
const TOKEN_SECRET_FILE = 'gateway-token-secret';

export interface FirstKeys {
  /** role → key: the keys made on this start, to print once; empty when keys existed already */
  created: Array<{ role: ApiKeyRole; key: string }>;
  /** keys imported from the legacy plain-text file (which is then removed) */
  imported: number;
}

/**
 * The stack's first keys, when API_KEYS is not given: on a registry with no key yet, an admin, an operator and a viewer
 * key, stored as hashes in the registry and returned to be printed once. Nothing is written to disk. A plain-text
 * `<dataDir>/api-keys` left by an older version is imported (hashed) and deleted.
 */
export async function ensureFirstKeys(rpc: RpcClient, dataDir: string, log: (line: string) => void, waitMs = 60_000): Promise<FirstKeys> {
  const imported = await importLegacyKeys(rpc, dataDir, log);
  const created: FirstKeys['created'] = [];
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const key = `llk_${randomBytes(32).toString('base64url')}`;
    // the first one only if the registry has no key at all: two launchers on one database never both make keys
    const req: CreateApiKeyRequest = { name: `first-${role}`, role, hash: sha256(key), actor: 'npm-start', ...(role === 'admin' ? { onlyIfNone: true } : {}) };
    try {
      await untilRegistry(() => rpc.call(AuthSubjects.createKey, req, { timeoutMs: 5000 }), log, waitMs);
    } catch (e) {
      if (role === 'admin' && e instanceof LogLensError && e.code === 'CONFLICT') return { created, imported };
      throw e;
    }
    created.push({ role, key });
  }
  return { created, imported };
}

/** GATEWAY_TOKEN_SECRET, or the one generated into the data folder on first start (mode 600), shared by all gateways. */
export function gatewayTokenSecret(dataDir: string, given: string | undefined): string {
  if (given?.trim()) return given.trim();
  const file = path.join(dataDir, TOKEN_SECRET_FILE);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function importLegacyKeys(rpc: RpcClient, dataDir: string, log: (line: string) => void): Promise<number> {
  const file = path.join(dataDir, LEGACY_KEYS_FILE);
  if (!existsSync(file)) return 0;
  let count = 0;
  for (const pair of readFileSync(file, 'utf8').trim().split(',').map((p) => p.trim()).filter(Boolean)) {
    const idx = pair.indexOf(':');
    const role = pair.slice(0, idx) as ApiKeyRole;
    const req: CreateApiKeyRequest = { name: `imported-${role}`, role, hash: sha256(pair.slice(idx + 1)), actor: 'npm-start' };
    try {
      await untilRegistry(() => rpc.call(AuthSubjects.createKey, req, { timeoutMs: 5000 }), log);
      count += 1;
    } catch (e) {
      // imported by an earlier start that stopped before removing the file
      if (!(e instanceof LogLensError && e.code === 'CONFLICT')) throw e;
    }
  }
  rmSync(file);
  log(`imported ${count} key(s) from ${file} into the registry (hashed) and removed the file: the keys keep working`);
  return count;
}

async function untilRegistry<T>(call: () => Promise<T>, log: (line: string) => void, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const transient = e instanceof LogLensError && (e.code === 'UNAVAILABLE' || e.code === 'TIMEOUT');
      if (!transient || Date.now() > deadline) throw e;
      if (attempt % 10 === 0) log(`waiting for the registry to store API keys: ${e.message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function sha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
