import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * API keys for the local stack: API_KEYS when given; otherwise keys generated on first start and kept in
 * the data folder (mode 600), printed that one time.
 */
export function resolveApiKeys(dataDir: string, given: string | undefined): { spec: string; generated: boolean; file?: string } {
  if (given?.trim()) return { spec: given.trim(), generated: false };
  const file = path.join(dataDir, 'api-keys');
  if (existsSync(file)) return { spec: readFileSync(file, 'utf8').trim(), generated: false, file };
  const key = () => randomBytes(18).toString('base64url');
  const spec = `viewer:${key()},operator:${key()},admin:${key()}`;
  writeFileSync(file, `${spec}\n`, { mode: 0o600 });
  return { spec, generated: true, file };
}
