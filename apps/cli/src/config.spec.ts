import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogLensApiError, LogLensUnreachableError } from '@loglens/client';
import { readConfig, writeConfig } from './config';
import { EXIT, UsageError, exitCodeOf } from './exit-codes';
import { renderTable } from './output';

describe('cli config file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loglens-cli-config-'));

  it('writes the key readable by its owner alone, whatever the umask', () => {
    const file = path.join(dir, 'a', 'config.json');
    const old = process.umask(0o000);
    try {
      writeConfig({ gateway: 'http://gw:3000', apiKey: 'k' }, file);
    } finally {
      process.umask(old);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ gateway: 'http://gw:3000', apiKey: 'k' });
    expect(readConfig(file)).toEqual({ gateway: 'http://gw:3000', apiKey: 'k' });
  });

  it('refuses a config group or others can read, naming the chmod to run', () => {
    const file = path.join(dir, 'loose.json');
    writeFileSync(file, '{"apiKey":"k"}');
    chmodSync(file, 0o640);
    expect(() => readConfig(file)).toThrow(UsageError);
    expect(() => readConfig(file)).toThrow(/mode 0640.*chmod 600/);
  });

  it('refuses a config that is not a JSON object', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '[1]', { mode: 0o600 });
    expect(() => readConfig(file)).toThrow(/not a valid config: not a JSON object/);
  });
});

describe('cli exit codes and tables', () => {
  it('maps 4xx to 2, 5xx and unreachable to 3, anything else to 1', () => {
    expect(exitCodeOf(new LogLensApiError(404, { code: 'NOT_FOUND', message: 'x' }, 'GET', '/'))).toBe(EXIT.api4xx);
    expect(exitCodeOf(new LogLensApiError(503, null, 'GET', '/'))).toBe(EXIT.api5xxOrUnreachable);
    expect(exitCodeOf(new LogLensUnreachableError('http://x', new Error('refused')))).toBe(EXIT.api5xxOrUnreachable);
    expect(exitCodeOf(new UsageError('bad'))).toBe(EXIT.usage);
  });

  it('pads table columns to their widest cell', () => {
    expect(renderTable([{ name: 'iris', n: 12 }, { name: 'a', n: 3 }], ['name', 'n'])).toBe('NAME  N\niris  12\na     3\n');
    expect(renderTable([], ['name'])).toBe('NAME\n(none)\n');
  });
});
