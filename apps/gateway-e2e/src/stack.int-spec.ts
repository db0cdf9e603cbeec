import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiKeyDto, ListModelsReply, ModelVersionDto, PredictReply, ReadinessDto } from '@loglens/contracts';
import { isAlive, StackProcess, uniqueSchema, waitFor, workspaceRoot } from '@loglens/testing';

const DEMO = 'log-anomaly';
const WIDTH = 29;

/** Event-count rows in the shape of HDFS sessions (deterministic, varied). */
function countRows(count: number): number[][] {
  return Array.from({ length: count }, (_, r) => Array.from({ length: WIDTH }, (_, c) => ((r * 7 + c * 3) % 11 === 0 ? (r + c) % 5 : 0)));
}

async function http(method: string, url: string, key?: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: res.status, body: parsed };
}

/** The default model file, made by the same code `npm start` uses (its CLI, run as a user would run it). */
function defaultModelBytes(name: string): Uint8Array {
  const out = mkdtempSync(path.join(tmpdir(), 'loglens-default-models-'));
  execFileSync(process.execPath, ['tools/ts-run.mjs', 'tools/models/default-models.ts', '--out', out], { cwd: workspaceRoot() });
  return readFileSync(path.join(out, name, 'model.onnx'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() ? [p] : [];
  });
}

function withoutInfra(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy['NATS_URL'];
  delete copy['DATABASE_URL'];
  delete copy['API_KEYS'];
  return copy;
}

describe('npm start on a machine with nothing running: embedded NATS and Postgres', () => {
  const stack = new StackProcess();
  let viewer: string;
  let operator: string;

  // a first start trains the default models: on a crowded 2-core machine that alone can pass two minutes
  beforeAll(async () => {
    await stack.start(withoutInfra(process.env), 280_000);
    viewer = stack.printedKey('viewer');
    operator = stack.printedKey('operator');
  }, 300_000);

  afterAll(async () => {
    await stack.interrupt();
  });

  it('reports ready, listing every service to a caller with a key', async () => {
    // probes get the status alone: no instance ids, no serving versions
    expect(await http('GET', `${stack.url}/health/ready`)).toEqual({ status: 200, body: { status: 'ready' } });
    const { status, body } = await http('GET', `${stack.url}/health/ready`, viewer);
    expect(status).toBe(200);
    const ready = body as ReadinessDto;
    expect(ready.missing).toEqual([]);
    for (const s of ['gateway', 'registry', 'inference-worker', 'agent-base', 'agent-wifi'] as const) {
      expect(ready.services[s]).toMatchObject({ up: true, instances: 1 });
    }
    // the trainer starts with the first train job (below), not before
    expect(ready.services.trainer).toMatchObject({ up: false });
    expect(stack.pids().services).not.toHaveProperty('trainer');
    expect(stack.output()).toMatch(/started nats-server with JetStream/);
    expect(stack.output()).toMatch(/started embedded Postgres \(PGlite\)/);
  });

  it('shows the default models it trained, registered and deployed on first start', async () => {
    const { status, body } = await http('GET', `${stack.url}/api/v1/models`, viewer);
    expect(status).toBe(200);
    const models = (body as ListModelsReply).models;
    expect(models.find((m) => m.name === 'log-anomaly')?.servingVersion).toBe('log-anomaly@1');
    expect(models.find((m) => m.name === 'wifi-anomaly')?.servingVersion).toBe('wifi-anomaly@1');
    const current = await http('GET', `${stack.url}/api/v1/models/current`, viewer);
    expect((current.body as { serving: ModelVersionDto[] }).serving.map((v) => v.ref)).toEqual(['log-anomaly@1', 'wifi-anomaly@1']);
  });

  it('predicts the same numbers onnxruntime-node gives in-process for the log-anomaly model file', async () => {
    const onnx = defaultModelBytes(DEMO);
    const version = (await http('GET', `${stack.url}/api/v1/models/${DEMO}@1`, viewer)).body as ModelVersionDto;
    expect(version.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));

    const rows = countRows(20);
    const { status, body } = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows });
    if (status !== 200) throw new Error(`predict answered ${status} ${JSON.stringify(body)}\n${stack.output().split('\n').filter((l) => /worker|registry|loglens/.test(l)).slice(-60).join('\n')}`);
    const reply = body as PredictReply;

    const session = await ort.InferenceSession.create(onnx);
    const input = session.inputNames[0];
    const out = await session.run({ [input]: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, WIDTH]) });
    await session.release();
    expect(reply.modelVersion).toBe(`${DEMO}@1`);
    const scoreName = version.scoreOutput;
    expect(reply.outputs[scoreName].data).toEqual(Array.from(out[scoreName].data as Float32Array));
  });

  it('answers 400 naming the problem for a wrong feature count or a non-numeric value', async () => {
    const short = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows: [[1, 2, 3]] });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/row 0 has 3 values but .* takes 29 features/) });
    const text = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows: [[...new Array(WIDTH - 1).fill(0), 'many']] });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ message: expect.stringMatching(/row 0, (feature|field) E\d+: expected a (finite )?number, got "many"/) });
    const noRows = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO });
    expect(noRows.status).toBe(400);
    expect(noRows.body).toMatchObject({ message: expect.stringMatching(/rows/) });
    const badJson = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, '{"rows": [');
    expect(badJson.status).toBe(400);
  });

  it('asks for a key (401), refuses a viewer a change (403), lets an operator deploy', async () => {
    expect((await http('GET', `${stack.url}/api/v1/models`)).status).toBe(401);
    expect((await http('GET', `${stack.url}/api/v1/models`, 'not-a-real-key')).status).toBe(401);
    const asViewer = await http('POST', `${stack.url}/api/v1/models/${DEMO}@1/deploy`, viewer, {});
    expect(asViewer.status).toBe(403);
    expect(asViewer.body).toMatchObject({ code: 'FORBIDDEN' });
    const asOperator = await http('POST', `${stack.url}/api/v1/models/${DEMO}@1/deploy`, operator, {});
    expect(asOperator.status).toBe(200);
  });

  it('serves OpenAPI at /docs and answers unknown routes with a JSON 404', async () => {
    expect((await http('GET', `${stack.url}/docs/openapi.json`)).body).toMatchObject({ info: { title: 'LogLens gateway' } });
    const missing = await http('GET', `${stack.url}/api/v1/nothing-here`, viewer);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('starts the trainer with the first train job, which it then runs', async () => {
    // four hours of an application's lines, one every 5 s, as `{message, timestamp}` envelopes
    const t0 = Date.UTC(2026, 10, 20);
    const lines = Array.from({ length: 2880 }, (_, i) =>
      JSON.stringify({ message: i % 7 === 0 ? `cache refresh finished: ${i % 900} keys` : `GET /api/items/${i % 5000} 200 in ${i % 90} ms`, timestamp: new Date(t0 + i * 5000).toISOString() }),
    );
    const form = new FormData();
    form.append('logs', new Blob([lines.join('\n')], { type: 'application/x-ndjson' }), 'app.ndjson');
    form.append('sources', 'hdfs-e2e');
    const res = await fetch(`${stack.url}/model-management/models/hdfs-e2e/train`, { method: 'POST', headers: { 'x-api-key': operator }, body: form });
    const posted = (await res.json()) as { id: string };
    expect(res.status).toBe(202);
    const job = await waitFor(
      'the train job to finish',
      async () => {
        const { body } = await http('GET', `${stack.url}/model-management/jobs/${posted.id}`, viewer);
        const state = (body as { state?: string }).state;
        return state === 'succeeded' || state === 'failed' ? (body as { state: string; error?: unknown }) : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    expect(stack.output()).toMatch(/starting the trainer \(a train job was queued\)/);
    expect(stack.pids().services).toHaveProperty('trainer');
    expect(job).toMatchObject({ state: 'succeeded' });
  }, 200_000);

  it('prints the first keys once and keeps no plain key on disk; only the gateway gets credentials', async () => {
    const admin = stack.printedKey('admin');
    const keys = [admin, operator, viewer];
    for (const key of keys) expect(stack.output().split(key).length - 1).toBe(1);
    const list = await http('GET', `${stack.url}/api/v1/auth/keys`, admin);
    expect((list.body as { keys: ApiKeyDto[] }).keys.map((k) => `${k.name}:${k.role}`).sort()).toEqual(['first-admin:admin', 'first-operator:operator', 'first-viewer:viewer']);
    // not one file of the data folder (NATS, Postgres, secrets) holds a key
    const files = filesUnder(stack.dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const key of keys) expect(bytes.includes(key) ? file : null).toBeNull();
    }
    expect(statSync(path.join(stack.dataDir, 'gateway-token-secret')).mode & 0o777).toBe(0o600);
    const envOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    for (const [name, pid] of Object.entries(stack.pids().services)) {
      const secret = envOf(pid).some((v) => v.startsWith('GATEWAY_TOKEN_SECRET='));
      expect({ name, secret }).toEqual({ name, secret: name === 'gateway' });
    }
  });

  it('stops everything on Ctrl-C and leaves no process behind', async () => {
    const pids = stack.pids();
    const all = [pids.launcher, pids.nats, pids.postgres, ...Object.values(pids.services)].filter((p): p is number => p !== null);
    // launcher, nats-server, PGlite, registry, worker, two agents, trainer, gateway
    expect(all.length).toBe(9);
    expect(all.every(isAlive)).toBe(true);
    expect(await stack.interrupt()).toBe(0);
    // processes reaped by the launcher may take a moment to vanish from the table: wait for it, not a fixed time
    await waitFor('every process of the stack to exit', () => (all.some(isAlive) ? undefined : true), { timeoutMs: 10_000 }).catch(() => undefined);
    expect(all.filter(isAlive)).toEqual([]);
  });
});

describe('npm start with NATS_URL and DATABASE_URL given', () => {
  const stack = new StackProcess();

  beforeAll(async () => {
    // a schema of its own, so this run's registry never meets another run's tables in a shared database
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('stack'), API_KEYS: 'viewer:viewer-key-123,operator:operator-key-123' });
  }, 300_000);

  afterAll(async () => {
    await stack.interrupt();
  });

  it('gives API_KEYS to the gateway alone and never prints them', () => {
    expect(stack.output()).not.toContain('viewer-key-123');
    expect(stack.output()).not.toContain('operator-key-123');
    for (const [name, pid] of Object.entries(stack.pids().services)) {
      const keys = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some((v) => v.startsWith('API_KEYS='));
      expect({ name, keys }).toEqual({ name, keys: name === 'gateway' });
    }
  });

  it('uses them instead of starting its own, and serves the demo model', async () => {
    expect(stack.output()).not.toMatch(/started nats-server/);
    expect(stack.output()).not.toMatch(/started embedded Postgres/);
    expect((await http('GET', `${stack.url}/health/ready`)).status).toBe(200);
    const { body } = await http('POST', `${stack.url}/api/v1/models/predict`, 'viewer-key-123', { model: DEMO, rows: [new Array(WIDTH).fill(0)] });
    expect((body as PredictReply).modelVersion).toBe(`${DEMO}@1`);
    expect(await stack.interrupt()).toBe(0);
    const pids = stack.pids();
    expect([pids.launcher, ...Object.values(pids.services)].filter(isAlive)).toEqual([]);
  });
});
