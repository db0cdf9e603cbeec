import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './exit-codes';

export interface CliConfig {
  gateway?: string;
  apiKey?: string;
}

export const CONFIG_KEYS = ['gateway', 'apiKey'] as const;
export const DEFAULT_GATEWAY = 'http://127.0.0.1:3000';

/** ~/.config/loglens/config.json, or $LOGLENS_CONFIG (tests, several profiles). */
export function configPath(): string {
  return process.env['LOGLENS_CONFIG'] || path.join(process.env['XDG_CONFIG_HOME'] || path.join(homedir(), '.config'), 'loglens', 'config.json');
}

/** The config file, refused when others can read it: it holds an API key. */
export function readConfig(file = configPath()): CliConfig {
  if (!existsSync(file)) return {};
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new UsageError(`${file} has mode ${mode.toString(8).padStart(4, '0')}: it holds an API key, so it must be readable by you alone (chmod 600 ${file})`);
  }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as CliConfig;
  } catch (e) {
    throw new UsageError(`${file} is not a valid config: ${(e as Error).message}`);
  }
}

/** Writes the file 0600 (its folder 0700), whatever the umask. */
export function writeConfig(config: CliConfig, file = configPath()): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Flag, then environment, then config file, then the default. */
export function resolveConnection(flags: { gateway?: string }): { gateway: string; apiKey?: string } {
  const config = readConfig();
  const gateway = flags.gateway || process.env['LOGLENS_GATEWAY'] || config.gateway || DEFAULT_GATEWAY;
  const apiKey = process.env['LOGLENS_API_KEY'] || config.apiKey;
  return { gateway, ...(apiKey ? { apiKey } : {}) };
}
