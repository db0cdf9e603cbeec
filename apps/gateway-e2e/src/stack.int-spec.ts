import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ListModelsReply, ModelVersionDto, PredictReply, ReadinessDto } from '@loglens/contracts';
import { countEvents, parseHdfsSessions } from '@loglens/training';
import { uniqueSchema, workspaceRoot } from '@loglens/testing';
import { isAlive, StackProcess } from './stack-process';

const DEMO = 'hdfs-session-logreg';

/** Real HDFS test-split blocks as event-count rows, the demo model's input. */
function hdfsRows(count: number): number[][] {
  const csv = readFileSync(path.join(workspaceRoot(), 'data/hdfs-100k-sessions/hdfs_100k_sessions.csv'), 'utf8');
  const ids = Array.from({ length: 19 }, (_, i) => `T${i + 1}`);
  const test = parseHdfsSessions(csv).filter((s) => s.split === 'test');
  const anomalies = test.filter((s) => s.label === 1).slice(0, count / 2);
  const normal = test.filter((s) => s.label === 0).slice(0, count / 2);
  return [...anomalies, ...normal].map((s) => countEvents(s.events, ids));
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

/** The demo model file, made by the same tool `npm start` uses (run as a user would run it). */
function demoModelBytes(): Uint8Array {
  const out = mkdtempSync(path.join(tmpdir(), 'loglens-demo-'));
  execFileSync(process.execPath, ['tools/ts-run.mjs', 'tools/models/demo-model.ts', '--out', out], { cwd: workspaceRoot() });
  return readFileSync(path.join(out, 'model.onnx'));
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

  beforeAll(async () => {
    await stack.start(withoutInfra(process.env));
    viewer = stack.printedKey('viewer');
    operator = stack.printedKey('operator');
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('reports ready, listing every service', async () => {
    const { status, body } = await http('GET', `${stack.url}/health/ready`);
    expect(status).toBe(200);
    const ready = body as ReadinessDto;
    expect(ready.missing).toEqual([]);
    for (const s of ['gateway', 'registry', 'inference-worker', 'agent-base', 'agent-wifi'] as const) {
      expect(ready.services[s]).toMatchObject({ up: true, instances: 1 });
    }
    expect(stack.output()).toMatch(/started nats-server with JetStream/);
    expect(stack.output()).toMatch(/started embedded Postgres \(PGlite\)/);
  });

  it('shows the demo model it registered and deployed on first start', async () => {
    const { status, body } = await http('GET', `${stack.url}/api/v1/models`, viewer);
    expect(status).toBe(200);
    const demo = (body as ListModelsReply).models.find((m) => m.name === DEMO);
    expect(demo?.servingVersion).toBe(`${DEMO}@1`);
    const current = await http('GET', `${stack.url}/api/v1/models/current`, viewer);
    expect((current.body as { serving: ModelVersionDto[] }).serving.map((v) => v.ref)).toEqual([`${DEMO}@1`]);
  });

  it('predicts the same numbers onnxruntime-node gives in-process for the demo model file', async () => {
    const onnx = demoModelBytes();
    const version = (await http('GET', `${stack.url}/api/v1/models/${DEMO}@1`, viewer)).body as ModelVersionDto;
    expect(version.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));

    const rows = hdfsRows(20);
    const { status, body } = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows });
    expect(status).toBe(200);
    const reply = body as PredictReply;

    const session = await ort.InferenceSession.create(onnx);
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 19]) });
    await session.release();
    expect(reply.modelVersion).toBe(`${DEMO}@1`);
    expect(reply.scores).toEqual(Array.from(out['score'].data as Float32Array));
    // the first half are labelled anomalies: the demo model should flag at least some of them, and fewer normal ones
    const flagged = (from: number, to: number) => reply.isAnomaly!.slice(from, to).filter(Boolean).length;
    expect(flagged(0, 10)).toBeGreaterThan(flagged(10, 20));
  });

  it('answers 400 naming the problem for a wrong feature count or a non-numeric value', async () => {
    const short = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows: [[1, 2, 3]] });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/row 0 has 3 values but .* takes 19 features/) });
    const text = await http('POST', `${stack.url}/api/v1/models/predict`, viewer, { model: DEMO, rows: [[...new Array(18).fill(0), 'many']] });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ message: expect.stringMatching(/row 0, feature T19: expected a finite number, got "many"/) });
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

  it('stops everything on Ctrl-C and leaves no process behind', async () => {
    const pids = stack.pids();
    const all = [pids.launcher, pids.nats, pids.postgres, ...Object.values(pids.services)].filter((p): p is number => p !== null);
    expect(all.length).toBe(8);
    expect(all.every(isAlive)).toBe(true);
    expect(await stack.interrupt()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(all.filter(isAlive)).toEqual([]);
  });
});

describe('npm start with NATS_URL and DATABASE_URL given', () => {
  const stack = new StackProcess();

  beforeAll(async () => {
    // a schema of its own, so this run's registry never meets another run's tables in a shared database
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('stack'), API_KEYS: 'viewer:viewer-key-123,operator:operator-key-123' });
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('uses them instead of starting its own, and serves the demo model', async () => {
    expect(stack.output()).not.toMatch(/started nats-server/);
    expect(stack.output()).not.toMatch(/started embedded Postgres/);
    expect((await http('GET', `${stack.url}/health/ready`)).status).toBe(200);
    const { body } = await http('POST', `${stack.url}/api/v1/models/predict`, 'viewer-key-123', { rows: [new Array(19).fill(0)] });
    expect((body as PredictReply).modelVersion).toBe(`${DEMO}@1`);
    expect(await stack.interrupt()).toBe(0);
    const pids = stack.pids();
    expect([pids.launcher, ...Object.values(pids.services)].filter(isAlive)).toEqual([]);
  });
});
