import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LogLensClient } from '@loglens/client';
import { request } from 'node:http';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the spec starts a real stack with the shared test helpers; the server itself only uses @loglens/client
import { StackProcess, uniqueSchema, waitFor, workspaceRoot } from '@loglens/testing';

const VIEWER = 'viewer-key-mcp-spec-1';
const OPERATOR = 'operator-key-mcp-spec-1';
const BUNDLE = path.join(workspaceRoot(), 'dist/apps/mcp/main.js');
const TOOLS = ['analyze_logs', 'deploy_version', 'explain_window', 'list_models', 'model_details', 'recent_anomalies', 'rollback'];

interface AnalyzeResult {
  agent: string;
  records: number;
  windowsTotal: number;
  windowsAnomalous: number;
  truncated: boolean;
  notes?: string[];
  windows: Array<{ id: string; key: string; recordCount: number; anomalyScore: number | null; isAnomaly: boolean; modelVersion: string | null; topFeatures: Array<{ name: string; contribution: number }> }>;
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

function data<T>(result: CallToolResult): T {
  if (result.isError) throw new Error(`the tool failed: ${text(result)}`);
  return JSON.parse((result.content[0] as { text: string }).text) as T;
}

/**
 * The MCP server as an MCP client runs it, with the official SDK's own Client, over both transports (stdio: the
 * client spawns the built server; streamable HTTP: the server listens on loopback), against a real stack (NATS,
 * Postgres, registry, gateway, inference workers, agents).
 */
describe('LogLens MCP server against a real stack', () => {
  const stack = new StackProcess();
  const home = mkdtempSync(path.join(tmpdir(), 'loglens-mcp-'));
  const clients: Client[] = [];
  const children: ChildProcess[] = [];
  let gateway: LogLensClient;

  async function stdioClient(apiKey: string): Promise<Client> {
    const client = new Client({ name: 'mcp-spec', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BUNDLE, '--file-root', home],
      env: { PATH: process.env['PATH'] ?? '', LOGLENS_GATEWAY: stack.url, LOGLENS_API_KEY: apiKey },
      stderr: 'pipe',
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  /** Starts `loglens-mcp --http --port 0` and returns the URL it printed. */
  async function httpServer(apiKey: string): Promise<URL> {
    const child = spawn(process.execPath, [BUNDLE, '--http', '--port', '0'], {
      env: { PATH: process.env['PATH'], LOGLENS_GATEWAY: stack.url, LOGLENS_API_KEY: apiKey },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const url = await waitFor('the HTTP server to listen', () => {
      if (child.exitCode !== null) throw new Error(`loglens-mcp exited ${child.exitCode}: ${err}`);
      return /listening on (http:\/\/\S+)/.exec(err)?.[1];
    });
    return new URL(url);
  }

  async function httpClient(url: URL): Promise<Client> {
    const client = new Client({ name: 'mcp-spec-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url));
    clients.push(client);
    return client;
  }

  async function servingOf(model: string): Promise<string | null> {
    const { models } = await gateway.listModels();
    return models.find((m) => m.name === model)?.servingVersion ?? null;
  }

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['tools/build/build-node-app.mjs', 'apps/mcp'], { cwd: workspaceRoot() });
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_mcp'), API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`, AGENT_IDLE_FLUSH_MS: '1500' });
    gateway = new LogLensClient({ baseUrl: stack.url, apiKey: OPERATOR });
    // two versions of a model of our own, v1 serving: what deploy and rollback switch between
    const models = path.join(workspaceRoot(), 'data/onnx-models/sklearn_onnx_docs');
    await gateway.upload('mcp-iris', { model: readFileSync(path.join(models, 'rf_iris.onnx')), metadata: { description: 'random forest on iris' } });
    await gateway.upload('mcp-iris', { model: readFileSync(path.join(models, 'logreg_iris.onnx')) });
    await gateway.deploy('mcp-iris@1', { reason: 'spec setup' });
    // a stack of eight processes starting on a shared 2-core machine can take longer than the 120 s default
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.all(
      children.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))))),
    );
    await stack.interrupt();
  });

  it('over stdio: lists the tools, analyzes a log file into windows, reads a model card', async () => {
    const mcp = await stdioClient(VIEWER);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    const deploy = tools.find((t) => t.name === 'deploy_version')!;
    expect(deploy.inputSchema.properties).toHaveProperty('confirm');
    expect(deploy.annotations?.destructiveHint).toBe(true);

    const logs = path.join(home, 'hdfs.log');
    writeFileSync(logs, readFileSync(path.join(workspaceRoot(), 'data/loghub-2k/HDFS/HDFS_2k.log'), 'utf8').split('\n').slice(0, 300).join('\n'));
    const analyzed = (await mcp.callTool({ name: 'analyze_logs', arguments: { path: logs } })) as CallToolResult;
    const analysis = data<AnalyzeResult>(analyzed);
    expect(analysis.records).toBe(300);
    expect(analysis.windowsTotal).toBeGreaterThan(0);
    expect(analysis.windows.length).toBeGreaterThan(0);
    expect(analysis.windows.length).toBeLessThanOrEqual(Math.min(analysis.windowsTotal, 50));
    // bounded: what did not fit is said, not silently dropped
    expect(text(analyzed).length).toBeLessThanOrEqual(48_000);
    expect(analysis.truncated).toBe(analysis.windows.length < analysis.windowsTotal);
    if (analysis.truncated) expect(analysis.notes?.join(' ')).toContain(`${analysis.windowsTotal - analysis.windows.length} of ${analysis.windowsTotal} windows left off`);
    for (const w of analysis.windows) {
      expect(typeof w.isAnomaly).toBe('boolean');
      expect(w.recordCount).toBeGreaterThan(0);
    }
    // every window was scored by a served model, and the record indexes of all windows cover the file's lines
    expect(analysis.windows.every((w) => typeof w.anomalyScore === 'number' && w.modelVersion !== null)).toBe(true);
    // anomalous windows first, then by score
    const order = analysis.windows.map((w) => [w.isAnomaly ? 1 : 0, w.anomalyScore ?? 0] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));

    // a file outside the folders the server may read is refused, not read
    const outside = (await mcp.callTool({ name: 'analyze_logs', arguments: { path: path.join(workspaceRoot(), 'package.json') } })) as CallToolResult;
    expect(outside.isError).toBe(true);
    expect(text(outside)).toContain(`is outside the folders this MCP server may read (${home})`);

    // a bounded answer says what it left off
    const one = data<AnalyzeResult>((await mcp.callTool({ name: 'analyze_logs', arguments: { path: logs, maxWindows: 1 } })) as CallToolResult);
    expect(one.windows).toHaveLength(1);
    if (one.windowsTotal > 1) expect(one.truncated).toBe(true);

    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['loglens://models/mcp-iris', 'loglens://models/mcp-iris/quality']));
    const card = await mcp.readResource({ uri: 'loglens://models/mcp-iris' });
    const cardText = (card.contents[0] as { text: string }).text;
    expect(card.contents[0].mimeType).toBe('text/markdown');
    expect(cardText).toMatch(/^# mcp-iris\n\nrandom forest on iris/);
    expect(cardText).toContain(`- serving version: ${await servingOf('mcp-iris')}`);
    expect(cardText).toMatch(/\| mcp-iris@2 \|[\s\S]*\| mcp-iris@1 \|/);
    const quality = JSON.parse(((await mcp.readResource({ uri: 'loglens://models/mcp-iris/quality' })).contents[0] as { text: string }).text) as { version: string; validation: { outcome: string } | null };
    expect(quality.version).toBe(await servingOf('mcp-iris'));
    expect(quality.validation?.outcome).toMatch(/^(pass|warn)$/);
    await expect(mcp.readResource({ uri: 'loglens://models/no-such-model' })).rejects.toThrow(/no model named "no-such-model"/);

    // a gateway refusal is a tool error naming the role, not a crash: the session goes on
    const refused = (await mcp.callTool({ name: 'deploy_version', arguments: { ref: 'mcp-iris@2', confirm: true } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/FORBIDDEN: this action needs the operator role; the key has viewer/);
    expect(await servingOf('mcp-iris')).toBe('mcp-iris@1');
    const details = data<{ model: { servingVersion: string; versionCount: number }; version: { ref: string }; validation: { outcome: string } | null }>(
      (await mcp.callTool({ name: 'model_details', arguments: { model: 'mcp-iris' } })) as CallToolResult,
    );
    expect(details.model).toMatchObject({ servingVersion: 'mcp-iris@1', versionCount: 2 });
    expect(details.version.ref).toBe('mcp-iris@1');
    const missing = (await mcp.callTool({ name: 'model_details', arguments: { model: 'no-such-model' } })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/NOT_FOUND: no model named "no-such-model"; the models are: .*mcp-iris/);
  });

  it('over streamable HTTP: sessions, analysis, deploy only with confirm and an operator key, rollback', async () => {
    const url = await httpServer(OPERATOR);
    expect(url.hostname).toBe('127.0.0.1');
    const mcp = await httpClient(url);
    expect((await mcp.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);

    const lines = readFileSync(path.join(workspaceRoot(), 'data/loghub-2k/HDFS/HDFS_2k.log'), 'utf8').split('\n').slice(0, 200).join('\n');
    const analysis = data<AnalyzeResult>((await mcp.callTool({ name: 'analyze_logs', arguments: { text: lines, agent: 'base' } })) as CallToolResult);
    expect(analysis.records).toBe(200);
    expect(analysis.windows.length).toBeGreaterThan(0);

    const listed = data<{ models: Array<{ name: string; servingVersion: string | null }> }>((await mcp.callTool({ name: 'list_models', arguments: {} })) as CallToolResult);
    expect(listed.models.find((m) => m.name === 'mcp-iris')?.servingVersion).toBe('mcp-iris@1');

    // no confirm: nothing changes, and the model is told to ask the user
    const unconfirmed = (await mcp.callTool({ name: 'deploy_version', arguments: { ref: 'mcp-iris@2' } })) as CallToolResult;
    expect(unconfirmed.isError).toBe(true);
    expect(text(unconfirmed)).toMatch(/CONFIRMATION_REQUIRED: nothing was changed.*Ask the user/);
    const unconfirmedRollback = (await mcp.callTool({ name: 'rollback', arguments: { model: 'mcp-iris', confirm: false } })) as CallToolResult;
    expect(unconfirmedRollback.isError).toBe(true);
    expect(await servingOf('mcp-iris')).toBe('mcp-iris@1');

    // a viewer key's server refuses with the gateway's 403, over HTTP too
    const viewer = await httpClient(await httpServer(VIEWER));
    const forbidden = (await viewer.callTool({ name: 'rollback', arguments: { model: 'mcp-iris', confirm: true } })) as CallToolResult;
    expect(forbidden.isError).toBe(true);
    expect(text(forbidden)).toMatch(/rollback failed: FORBIDDEN: this action needs the operator role; the key has viewer/);
    expect(await servingOf('mcp-iris')).toBe('mcp-iris@1');

    // operator, confirmed: serving changes, as the gateway reports it
    const deployed = data<{ model: string; from: string | null; to: string }>(
      (await mcp.callTool({ name: 'deploy_version', arguments: { ref: 'mcp-iris@2', reason: 'the user asked', confirm: true } })) as CallToolResult,
    );
    expect(deployed).toMatchObject({ model: 'mcp-iris', from: 'mcp-iris@1', to: 'mcp-iris@2' });
    expect(await servingOf('mcp-iris')).toBe('mcp-iris@2');
    const rolledBack = data<{ from: string; to: string }>((await mcp.callTool({ name: 'rollback', arguments: { model: 'mcp-iris', confirm: true } })) as CallToolResult);
    expect(rolledBack).toMatchObject({ from: 'mcp-iris@2', to: 'mcp-iris@1' });
    expect(await servingOf('mcp-iris')).toBe('mcp-iris@1');
    const history = await gateway.history({ model: 'mcp-iris' });
    expect(history.entries.map((e) => [e.action, e.to])).toEqual([
      ['rollback', 'mcp-iris@1'],
      ['deploy', 'mcp-iris@2'],
      ['deploy', 'mcp-iris@1'],
    ]);
    expect(history.entries[1].reason).toBe('the user asked');
  });

  it('explains rows through the explain endpoint, reads the windows the agents store and explains one by id', async () => {
    const mcp = await stdioClient(VIEWER);
    const explained = data<{ modelVersion: string; rows: Array<{ score: number; attributions: Array<{ feature: string; contribution: number }> }> }>(
      (await mcp.callTool({ name: 'explain_window', arguments: { version: 'mcp-iris@2', rows: [[5.1, 3.5]], topFeatures: 1 } })) as CallToolResult,
    );
    expect(explained.modelVersion).toBe('mcp-iris@2');
    expect(explained.rows).toHaveLength(1);
    // logistic regression on two features: the top one of two attributions
    expect(explained.rows[0].attributions).toHaveLength(1);
    expect(typeof explained.rows[0].attributions[0].contribution).toBe('number');
    const neither = (await mcp.callTool({ name: 'explain_window', arguments: {} })) as CallToolResult;
    expect(neither.isError).toBe(true);
    expect(text(neither)).toMatch(/VALIDATION_FAILED: give either windowId/);

    // windows the running agent stores: HDFS lines sent to the bulk log input under a source of their own
    const lines = readFileSync(path.join(workspaceRoot(), 'data/loghub-2k/HDFS/HDFS_2k.log'), 'utf8').split('\n').slice(0, 200).join('\n');
    const sent = await fetch(`${stack.url}/api/v1/logs?source=mcp-spec&agent=base`, { method: 'POST', headers: { 'x-api-key': VIEWER, 'content-type': 'text/plain' }, body: lines });
    expect(sent.status).toBe(202);
    type Recent = { count: number; results: Array<{ id: string; source: string; isAnomaly: boolean; topFeatures: unknown[] }> };
    const recent = await waitFor('stored windows of source mcp-spec', async () => {
      const r = data<Recent>((await mcp.callTool({ name: 'recent_anomalies', arguments: { source: 'mcp-spec', anomalousOnly: false, limit: 5 } })) as CallToolResult);
      return r.count > 0 ? r : undefined;
    });
    expect(recent.count).toBeLessThanOrEqual(5);
    expect(recent.results.length).toBe(recent.count);
    expect(recent.results.every((r) => r.source === 'mcp-spec')).toBe(true);
    const stored = recent.results[0];
    const window = data<{ window: { id: string; source: string; topFeatures: unknown[] } }>(
      (await mcp.callTool({ name: 'explain_window', arguments: { windowId: stored.id, source: 'mcp-spec' } })) as CallToolResult,
    );
    expect(window.window).toMatchObject({ id: stored.id, source: 'mcp-spec' });
    const unknownWindow = (await mcp.callTool({ name: 'explain_window', arguments: { windowId: 'no-such-window' } })) as CallToolResult;
    expect(unknownWindow.isError).toBe(true);
    expect(text(unknownWindow)).toMatch(/NOT_FOUND: no stored window with id "no-such-window"/);
  });

  it('refuses a browser Origin that is not this machine, and a request without a session', async () => {
    const url = await httpServer(VIEWER);
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
    const evil = await post({ origin: 'http://evil.example' }, init);
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { message: string } }).error.message).toMatch(/Origin http:\/\/evil\.example is not allowed/);
    // DNS rebinding: a page of attacker.example resolved to 127.0.0.1 sends its own name as Host (fetch cannot forge Host)
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { host: `attacker.example:${url.port}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(init));
    });
    expect(rebound).toBe(403);
    const local = await post({ origin: `http://localhost:${url.port}` }, init);
    expect(local.status).toBe(200);
    expect(local.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    await local.body?.cancel();
    const noSession = await post({}, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(noSession.status).toBe(400);
    const unknown = await post({ 'mcp-session-id': '00000000-0000-0000-0000-000000000000' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(unknown.status).toBe(404);
  });
});
