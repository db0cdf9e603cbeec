import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogLensApiError, LogLensUnreachableError } from '@loglens/client';
import { parseArgs, UsageError } from './config';
import { isLoopbackHost, refusal } from './http';
import { fitList, toolError, ToolInputError } from './results';
import { parseRecords, readLogFile } from './tools';

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('parseArgs', () => {
  it('reads the gateway and key from the environment, as the CLI does, and flags over it', () => {
    expect(parseArgs([], { LOGLENS_GATEWAY: 'http://gw:3000', LOGLENS_API_KEY: 'k' })).toEqual({ gateway: 'http://gw:3000', apiKey: 'k', http: false, host: '127.0.0.1', port: 3333, fileRoots: [process.cwd()] });
    expect(parseArgs([], { LOGLENS_MCP_FILE_ROOTS: `/var/log${path.delimiter}/srv/logs` })).toMatchObject({ fileRoots: ['/var/log', '/srv/logs'] });
    expect(parseArgs(['--file-root', '/a', '--file-root', '/b'], { LOGLENS_MCP_FILE_ROOTS: '/var/log' })).toMatchObject({ fileRoots: ['/a', '/b'] });
    expect(parseArgs(['--http', '--port', '0', '--gateway', 'https://x'], {})).toMatchObject({ gateway: 'https://x', http: true, port: 0 });
    expect(parseArgs(['--help'], {})).toBe('help');
  });

  it('refuses what it cannot use, naming it', () => {
    expect(() => parseArgs(['--port', '70000'], {})).toThrow(new UsageError('--port must be a whole number from 0 to 65535, not "70000"'));
    expect(() => parseArgs(['--port'], {})).toThrow('--port needs a value');
    expect(() => parseArgs(['--api-key', 'k'], {})).toThrow('unknown option "--api-key"');
    expect(() => parseArgs([], { LOGLENS_GATEWAY: 'ftp://gw' })).toThrow('the gateway must be an http(s) URL, not "ftp://gw"');
  });
});

describe('refusal (Origin and Host checks of the HTTP transport)', () => {
  it('lets non-browser clients (no Origin) and loopback origins through', () => {
    expect(refusal(req({ host: '127.0.0.1:3333' }), true)).toBeNull();
    expect(refusal(req({ host: 'localhost:3333', origin: 'http://localhost:5173' }), true)).toBeNull();
    expect(refusal(req({ host: '[::1]:3333', origin: 'http://[::1]:8080' }), true)).toBeNull();
  });

  it('refuses other origins, opaque ones, and a foreign Host when bound to loopback', () => {
    expect(refusal(req({ host: '127.0.0.1:3333', origin: 'https://evil.example' }), true)).toMatch(/Origin https:\/\/evil\.example is not allowed/);
    expect(refusal(req({ host: '127.0.0.1:3333', origin: 'null' }), true)).toMatch(/Origin null is not allowed/);
    expect(refusal(req({ host: '127.0.0.1:3333', origin: 'http://127.0.0.1.evil.example' }), true)).not.toBeNull();
    expect(refusal(req({ host: 'evil.example:3333' }), true)).toMatch(/Host evil\.example:3333 is not allowed/);
    // bound elsewhere (--host 0.0.0.0): the Host may be the machine's name, the Origin rule still holds
    expect(refusal(req({ host: 'box.lan:3333' }), false)).toBeNull();
    expect(refusal(req({ host: 'box.lan:3333', origin: 'http://box.lan' }), false)).not.toBeNull();
  });

  it('knows the loopback names', () => {
    expect(['localhost', '127.0.0.1:1', '[::1]:2'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(['127.0.0.2', 'example.com', ''].map(isLoopbackHost)).toEqual([false, false, false]);
  });
});

describe('fitList', () => {
  it('keeps the most items whose JSON fits, and all when they fit', () => {
    const items = Array.from({ length: 100 }, (_, i) => 'x'.repeat(95) + String(i).padStart(3, '0'));
    const shape = (kept: string[]) => ({ kept });
    expect(fitList(items, shape, 1e6).kept).toBe(100);
    const { data, kept } = fitList(items, shape, 1000);
    expect(JSON.stringify(data).length).toBeLessThanOrEqual(1000);
    // one more would not fit
    expect(JSON.stringify(shape(items.slice(0, kept + 1))).length).toBeGreaterThan(1000);
    expect(kept).toBe(9);
  });
});

describe('toolError', () => {
  it('carries the gateway’s status, code and message, with a hint for a too-low role', () => {
    const e = new LogLensApiError(403, { code: 'FORBIDDEN', message: 'this action needs the operator role; the key has viewer' }, 'POST', '/model-management/x@1/deploy');
    const r = toolError(e, 'deploy_version');
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/^deploy_version failed: FORBIDDEN: this action needs the operator role; the key has viewer \(.*role named above/);
    expect(JSON.parse((r.content[1] as { text: string }).text)).toMatchObject({ error: { status: 403, code: 'FORBIDDEN' } });
  });

  it('turns an unreachable gateway, bad input and anything else into results too', () => {
    expect((toolError(new LogLensUnreachableError('http://127.0.0.1:9', new Error('ECONNREFUSED')), 'list_models').content[0] as { text: string }).text).toMatch(/UNREACHABLE: cannot reach the gateway/);
    expect((toolError(new ToolInputError('CONFIRMATION_REQUIRED', 'ask'), 'rollback').content[0] as { text: string }).text).toBe('rollback failed: CONFIRMATION_REQUIRED: ask');
    expect(toolError(new TypeError('boom'), 'x').isError).toBe(true);
  });
});

describe('parseRecords', () => {
  it('reads lines, JSON lines and a JSON array, as the CLI does', () => {
    expect(parseRecords('a\n\n{"message":"b"}\r\n{not json\n')).toEqual(['a', { message: 'b' }, '{not json']);
    expect(parseRecords(' ["a", {"message":"b"}] ')).toEqual(['a', { message: 'b' }]);
    expect(() => parseRecords('[1, 2')).toThrow(/looks like a JSON array but does not parse/);
    expect(() => parseRecords(' \n ')).toThrow('the input has no log lines');
  });
});

describe('readLogFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loglens-mcp-unit-'));
  const root = path.join(dir, 'logs');
  mkdirSync(root);
  writeFileSync(path.join(root, 'app.log'), 'a line\n');
  writeFileSync(path.join(dir, 'secret.txt'), 'not a log\n');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.log'));

  it('reads a file inside a root', async () => {
    await expect(readLogFile(path.join(root, 'app.log'), [root])).resolves.toBe('a line\n');
  });

  it('refuses a file outside every root, by .. or by a link, and names the roots', async () => {
    await expect(readLogFile(path.join(root, '..', 'secret.txt'), [root])).rejects.toThrow(`is outside the folders this MCP server may read (${root})`);
    await expect(readLogFile(path.join(root, 'link.log'), [root])).rejects.toThrow(/is outside the folders/);
    // a sibling whose name starts like the root is not inside it
    await expect(readLogFile(path.join(dir, 'secret.txt'), [path.join(dir, 'sec')])).rejects.toThrow(/is outside the folders/);
    await expect(readLogFile(path.join(root, 'missing.log'), [root])).rejects.toThrow(/cannot read .*missing\.log/);
  });
});
