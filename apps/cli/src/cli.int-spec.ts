import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the spec starts a real stack with the shared test helpers; the CLI itself only uses @loglens/client
import { StackProcess, uniqueSchema, waitFor, workspaceRoot } from '@loglens/testing';

const VIEWER = 'viewer-key-cli-spec-1';
const OPERATOR = 'operator-key-cli-spec-1';
const run = promisify(execFile);
const BUNDLE = path.join(workspaceRoot(), 'dist/apps/cli/main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The README's tour, typed at a terminal against a real stack (NATS, Postgres, registry, gateway, inference workers,
 * agents): the CLI runs as its own process, as a user runs it.
 */
describe('loglens CLI against a real stack', () => {
  const stack = new StackProcess();
  const home = mkdtempSync(path.join(tmpdir(), 'loglens-cli-'));

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [BUNDLE, ...args], {
        env: { PATH: process.env['PATH'], LOGLENS_CONFIG: path.join(home, 'config.json'), LOGLENS_GATEWAY: stack.url, LOGLENS_API_KEY: OPERATOR, ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      if (typeof err.code !== 'number') throw e;
      return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  async function json<T>(args: string[]): Promise<T> {
    const r = await cli(['-o', 'json', ...args]);
    if (r.code !== 0) throw new Error(`loglens ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  beforeAll(async () => {
    await run(process.execPath, ['tools/build/build-node-app.mjs', 'apps/cli'], { cwd: workspaceRoot() });
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_cli'), API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`, AGENT_IDLE_FLUSH_MS: '1500' });
  }, 300_000);

  afterAll(async () => {
    await stack.interrupt();
  });

  it('runs the tour: upload → validate → deploy → predict → analyze → rollback → history', async () => {
    const models = path.join(workspaceRoot(), 'data/onnx-models/sklearn_onnx_docs');
    const v1 = await json<{ version: { ref: string } }>(['models', 'upload', 'cli-iris', path.join(models, 'rf_iris.onnx'), '--metadata', '{"description":"random forest"}']);
    expect(v1.version.ref).toBe('cli-iris@1');
    const report = await json<{ outcome: string; checks: unknown[] }>(['models', 'validate', 'cli-iris@1']);
    expect(report.outcome).not.toBe('fail');
    expect(report.checks.length).toBeGreaterThan(0);
    expect(await json(['models', 'deploy', 'cli-iris@1', '--reason', 'first'])).toMatchObject({ model: 'cli-iris', to: 'cli-iris@1' });
    const rows = JSON.stringify([[5.1, 3.5, 1.4, 0.2]]);
    await waitFor('cli-iris@1 answers predict', async () => {
      const r = await cli(['-o', 'json', 'predict', '--model', 'cli-iris', '--rows', rows]);
      return r.code === 0 && (JSON.parse(r.stdout) as { modelVersion: string }).modelVersion === 'cli-iris@1' ? true : undefined;
    });
    // the table lists the version that answered
    expect((await cli(['predict', '--model', 'cli-iris', '--rows', rows])).stdout).toMatch(/^ROW\s+VERSION\s+SCORE[\s\S]*cli-iris@1/);

    const v2 = await json<{ version: { ref: string } }>(['models', 'upload', 'cli-iris', path.join(models, 'logreg_iris.onnx')]);
    expect(v2.version.ref).toBe('cli-iris@2');
    await json(['models', 'deploy', 'cli-iris@2']);

    const logs = path.join(home, 'hdfs.log');
    writeFileSync(logs, readFileSync(path.join(workspaceRoot(), 'data/loghub-2k/HDFS/HDFS_2k.log'), 'utf8').split('\n').slice(0, 300).join('\n'));
    const analysis = await json<{ agent: string; windows: unknown[]; records: unknown[] }>(['analyze', logs]);
    expect(analysis.records).toHaveLength(300);
    expect(analysis.windows.length).toBeGreaterThan(0);

    expect(await json(['models', 'rollback', 'cli-iris', '--reason', 'labels drifted'])).toMatchObject({ from: 'cli-iris@2', to: 'cli-iris@1' });
    const history = await json<{ entries: Array<{ action: string; to: string | null }> }>(['history', '--model', 'cli-iris']);
    expect(history.entries.map((e) => e.to)).toEqual(['cli-iris@1', 'cli-iris@2', 'cli-iris@1']);
    const table = await cli(['models', 'list']);
    expect(table.stdout).toMatch(/cli-iris\s+\S*\s+cli-iris@1\s+2/);
  });

  it('lists in every help the options each command really takes', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['login', 'config', 'models', 'history', 'predict', 'analyze', 'results', 'events', 'train', 'experiments', 'completion']) expect(top.stdout).toContain(c);
    const helpOf = async (...args: string[]) => (await cli([...args, '--help'])).stdout;
    expect(await helpOf('models')).toMatch(/list[\s\S]*show[\s\S]*upload[\s\S]*validate[\s\S]*deploy[\s\S]*rollback[\s\S]*alias[\s\S]*archive/);
    expect(await helpOf('models', 'upload')).toMatch(/--scaler <file>[\s\S]*--metadata <json>/);
    expect(await helpOf('models', 'deploy')).toMatch(/--reason <text>[\s\S]*--expected-current <ref>/);
    expect(await helpOf('predict')).toMatch(/--model <name>[\s\S]*--version <ref>[\s\S]*--rows/);
    expect(await helpOf('experiments')).toMatch(/list[\s\S]*show[\s\S]*create[\s\S]*pause[\s\S]*resume[\s\S]*promote[\s\S]*abort[\s\S]*report/);
    // an option a command does not take is refused as a usage error
    const bad = await cli(['models', 'list', '--no-such-option']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown option '--no-such-option'");
  });

  it('exits 2 with the gateway’s message on a bad key, and 3 when the gateway is unreachable', async () => {
    const badKey = await cli(['models', 'list'], { LOGLENS_API_KEY: 'not-a-key' });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/401 UNAUTHENTICATED/);
    const forbidden = await cli(['models', 'deploy', 'cli-iris@1'], { LOGLENS_API_KEY: VIEWER });
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toMatch(/403 FORBIDDEN/);
    const missing = await cli(['models', 'show', 'no-such-model@1']);
    expect(missing.code).toBe(2);
    const down = await cli(['models', 'list', '--gateway', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });

  it('writes its config 0600 on login and refuses to read a config others can read', async () => {
    const login = await cli(['login', '--key', VIEWER], { LOGLENS_API_KEY: '' });
    expect(login.code).toBe(0);
    const file = path.join(home, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // the key from the file is used when the environment has none
    expect((await cli(['-o', 'json', 'models', 'list'], { LOGLENS_API_KEY: '' })).code).toBe(0);
    chmodSync(file, 0o644);
    const loose = await cli(['models', 'list'], { LOGLENS_API_KEY: '' });
    expect(loose.code).toBe(1);
    expect(loose.stderr).toMatch(/mode 0644.*chmod 600/);
    chmodSync(file, 0o600);
  });

  it('prints completion scripts that name the real commands', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _loglens loglens');
    expect(bash.stdout).toMatch(/"models"\) words="list show upload validate deploy rollback alias archive/);
    expect((await cli(['completion', 'zsh'])).stdout).toContain('compdef _loglens loglens');
  });
});
