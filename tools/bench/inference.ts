// Inference serving benchmark (issue 4, item 9): one markdown table, every figure measured in this run, written with
// a description of the machine to docs/benchmarks.md.
//   - the limits: onnxruntime-node in-process (batch 1 and 64), and the bare transport: a NATS request/echo (and an
//     HTTP echo) of the same request bytes, answered by a separate process (tools/bench/transport-echo.mjs);
//   - LogLens predict over NATS (inference.predict.v1 through RpcClient), one row per request, at concurrency 1/16/64,
//     dynamic batching off (BATCH_MAX_SIZE=1) and on (the defaults, and BATCH_MAX_QUEUE_DELAY_MS 1 and 2), on a small
//     logistic regression and on a compute-heavy MLP built with OnnxGraphBuilder;
//   - the same through the gateway over HTTP; continuous load while 10 versions are deployed one after another.
// Services are the built dist/apps/*/main.js started by spawnService, as the integration specs start them, against
// NATS_URL / DATABASE_URL when set, otherwise a nats-server and an embedded Postgres started here. The registry works
// in a fresh DATABASE_SCHEMA, dropped at the end. Every load loop is bounded by time and by count.
// Usage: npm run bench [-- --quick] [-- --out <file.md>]   (about 3 minutes; --quick: shorter cells, no file written)
//        npm run bench -- --hot-path [--concurrency N] [--cpu-prof <dir>]   (about a minute, no file written: paired
//        echo / predict at c=64 (or N), five rounds, with CPU per process; --cpu-prof writes the worker's V8 CPU
//        profile to <dir> for chrome://inspect)
//        npm run bench -- --gateway [--cpu-prof <dir>]   (about a minute and a half, no file written: the gateway rows below, on the
//        Fastify adapter and again on Express, each cell paired with its bare HTTP, Fastify and relay baselines;
//        --cpu-prof writes each gateway's V8 CPU profile to <dir>)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { extractSection } from './doc-sections';
import {
  type CellResult,
  type Pids,
  percentile,
  runLoad,
  withWorkerTimings,
  httpPost,
  type Row,
  fmt,
  ms,
  table,
  machine,
  cell,
  loadAverage,
  QUICK,
  CELL_MS,
  WARMUP_MS,
  CELL_MAX_REQUESTS,
  REQUEST_TIMEOUT_MS,
} from './lib/measure';
import { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { connect, type NatsConnection } from 'nats';
import {
  InferenceSubjects,
  RegistrySubjects,
  rpc,
  type DeployVersionRequest,
  type PredictReply,
  type PredictRequest,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import {
  startEmbeddedPostgres,
  startNatsServer,
  stopChild,
  waitForPort,
  freePort,
  type NatsHandle,
  type PostgresHandle,
} from '@loglens/dev-infra';
import { buildReferenceProfile } from '@loglens/drift';
import { OnnxModelSession, PredictBatcher } from '@loglens/model-runtime';
import { RpcClient } from '@loglens/nest-common';
import { OnnxGraphBuilder, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { dropSchema, spawnService, uniqueSchema, workspaceRoot, type RunningService } from '@loglens/testing';
import { createRng } from '@loglens/training';

const HOT_PATH = process.argv.includes('--hot-path');
/** only the gateway rows, on Fastify and on Express (GATEWAY_HTTP_ADAPTER=express), no file written */
const GATEWAY_ONLY = process.argv.includes('--gateway');
const CPU_PROF_ARG = process.argv.indexOf('--cpu-prof');
const HOT_PATH_ROUNDS = 5;
const CONCURRENCY_ARG = process.argv.indexOf('--concurrency');
/** the hot-path loop's concurrency (default 64, the issue's figure) */
const HOT_PATH_C = CONCURRENCY_ARG >= 0 ? Math.max(1, Number(process.argv[CONCURRENCY_ARG + 1]) || 64) : 64;
const OUT_ARG = process.argv.indexOf('--out');
const CONCURRENCIES = [1, 16, 64] as const;
const SWAPS = 10;
const SWAP_CONCURRENCY = 64;
const DEFAULTS = 'on (defaults: 256 rows, delay 0)';
/** the whole run is abandoned after this long (the target is ~3 min on 2 cores) */
const HARD_LIMIT_MS = 8 * 60_000;

const SMALL = 'bench-small';
const HEAVY = 'bench-mlp';
const SMALL_FEATURES = 16;
const HEAVY_FEATURES = 32;
/** MLP: HEAVY_LAYERS × (MatMul [H×H] + Add + Relu), one shared pseudo-random H×H matrix so the artifact stays inline-sized */
const HEAVY_HIDDEN = 256;
const HEAVY_LAYERS = 256;
/** answered by tools/bench/transport-echo.mjs with the request's own bytes */
const ECHO_SUBJECT = rpc<PredictRequest, unknown>()('bench.echo.v1');
const API_KEY = 'bench-viewer-key-0001';

const root = workspaceRoot();
const children: ChildProcess[] = [];
const services: RunningService[] = [];

// ---------------------------------------------------------------------------------------------------------------
// models

const featureNames = (n: number) => Array.from({ length: n }, (_, i) => `f${String(i).padStart(2, '0')}`);

function smallModel(bias: number): Uint8Array {
  const r = createRng(7).next;
  return writeLogisticRegressionModel({
    featureNames: featureNames(SMALL_FEATURES),
    mean: Array.from({ length: SMALL_FEATURES }, () => r()),
    scale: Array.from({ length: SMALL_FEATURES }, () => 0.5 + r()),
    weights: Array.from({ length: SMALL_FEATURES }, () => r() * 2 - 1),
    bias,
    modelName: 'bench_small_logreg',
  });
}

/**
 * A deep, wide-enough MLP whose batch-1 run costs about a millisecond on one core: features [N,F] → HEAVY_LAYERS ×
 * Relu(x·W + b) with one shared W [H,H] → Sigmoid(x·w_out + b_out) [N,1]. Sharing W keeps the artifact under the
 * inline registration cap while the compute stays that of a deep network.
 */
function heavyModel(): Uint8Array {
  const r = createRng(42).next;
  const f = HEAVY_FEATURES;
  const h = HEAVY_HIDDEN;
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
  const g = new OnnxGraphBuilder('bench_mlp');
  g.addInput('features', 'float32', ['N', f]);
  g.addOutput('score', 'float32', ['N', 1]);
  g.addInitializer('w_in', { elemType: 'float32', dims: [f, h], values: uniform(f * h, 1 / Math.sqrt(f)) });
  // a little under He-scale keeps activations bounded through the depth
  g.addInitializer('w_hidden', {
    elemType: 'float32',
    dims: [h, h],
    values: uniform(h * h, 1.5 / Math.sqrt(h)),
  });
  g.addInitializer('b_hidden', { elemType: 'float32', dims: [h], values: uniform(h, 0.05) });
  g.addInitializer('w_out', { elemType: 'float32', dims: [h, 1], values: uniform(h, 1 / Math.sqrt(h)) });
  g.addInitializer('b_out', { elemType: 'float32', dims: [1], values: [0] });
  let x = 'features';
  for (let i = 0; i < HEAVY_LAYERS; i++) {
    g.addNode({
      opType: 'MatMul',
      name: `dense${i}`,
      inputs: [x, i === 0 ? 'w_in' : 'w_hidden'],
      outputs: [`mm${i}`],
    });
    g.addNode({ opType: 'Add', name: `bias${i}`, inputs: [`mm${i}`, 'b_hidden'], outputs: [`z${i}`] });
    g.addNode({ opType: 'Relu', name: `relu${i}`, inputs: [`z${i}`], outputs: [`a${i}`] });
    x = `a${i}`;
  }
  g.addNode({ opType: 'MatMul', name: 'head', inputs: [x, 'w_out'], outputs: ['logit_raw'] });
  g.addNode({ opType: 'Add', name: 'head_bias', inputs: ['logit_raw', 'b_out'], outputs: ['logit'] });
  g.addNode({ opType: 'Sigmoid', name: 'squash', inputs: ['logit'], outputs: ['score'] });
  return g.toBytes({
    docString: `benchmark MLP: ${HEAVY_LAYERS} layers of ${HEAVY_HIDDEN} units sharing one weight matrix`,
  });
}

function sampleRow(width: number, seed: number): number[] {
  const r = createRng(seed).next;
  return Array.from({ length: width }, () => Math.round(r() * 1000) / 100);
}

// ---------------------------------------------------------------------------------------------------------------
// measurement

/** Back-to-back runs of one session in this process: the ceiling of the model itself, no transport, no queue. */
async function ortLimit(bytes: Uint8Array, width: number, batch: number): Promise<CellResult> {
  const pids: Pids = { client: process.pid };
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const data = new Float32Array(batch * width);
    for (let i = 0; i < data.length; i++) data[i] = (i % 97) / 10;
    const feeds = { features: new ort.Tensor('float32', data, [batch, width]) };
    return await runLoad(1, () => session.run(feeds), {
      warmupMs: 200,
      durationMs: Math.min(CELL_MS, 1500),
      pids,
    });
  } finally {
    await session.release();
  }
}

/** LogLens' own request path without a transport: prepare, dynamic batcher, one session (diagnostic). */
async function inProcessBatcher(
  bytes: Uint8Array,
  width: number,
  concurrency: number,
  maxBatchSize: number,
): Promise<CellResult> {
  const session = await OnnxModelSession.create(bytes, {
    ref: 'bench@0',
    inputName: 'features',
    scoreOutput: 'score',
    featureNames: featureNames(width),
  });
  const batcher = new PredictBatcher(session, { maxBatchSize, maxQueueDelayMs: 0, maxQueueSize: 4096 });
  const rows = [sampleRow(width, 1)];
  try {
    return await runLoad(concurrency, () => batcher.predict(rows), {
      durationMs: Math.min(CELL_MS, 1500),
      pids: { client: process.pid },
    });
  } finally {
    await batcher.close();
    await session.release();
  }
}

async function natsPredict(
  rpc: RpcClient,
  model: string,
  width: number,
  concurrency: number,
  pids: Pids,
  extra: Partial<PredictRequest> = {},
): Promise<CellResult> {
  const req: PredictRequest = { model, rows: [sampleRow(width, 1)], ...extra };
  const timings: Array<{ queueMs: number; computeMs: number }> = [];
  const r = await runLoad(
    concurrency,
    () => rpc.call(InferenceSubjects.predict, req, { timeoutMs: REQUEST_TIMEOUT_MS }),
    {
      onReply: (reply) => timings.length < 50_000 && timings.push(reply.timings),
      pids,
    },
  );
  return withWorkerTimings(r, timings);
}

/** The same client and the same request bytes as natsPredict, answered by the echo process. */
function natsEcho(rpc: RpcClient, width: number, concurrency: number, pids: Pids): Promise<CellResult> {
  const req: PredictRequest = { model: SMALL, rows: [sampleRow(width, 1)] };
  return runLoad(concurrency, () => rpc.call(ECHO_SUBJECT, req, { timeoutMs: REQUEST_TIMEOUT_MS }), {
    pids,
  });
}

async function httpLoad(
  port: number,
  pathname: string,
  width: number,
  concurrency: number,
  pids: Pids,
  headers: Record<string, string> = {},
): Promise<CellResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = Buffer.from(
    JSON.stringify({ model: SMALL, rows: [sampleRow(width, 1)] } satisfies PredictRequest),
  );
  const timings: Array<{ queueMs: number; computeMs: number }> = [];
  try {
    const r = await runLoad(concurrency, () => httpPost(agent, port, pathname, body, headers), {
      onReply: (reply) => {
        const t = (reply as Partial<PredictReply>).timings;
        if (t && timings.length < 50_000) timings.push(t);
      },
      pids,
    });
    return withWorkerTimings(r, timings);
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// processes

async function startEcho(natsUrl: string): Promise<{ httpPort: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'tools/bench/transport-echo.mjs'), natsUrl, ECHO_SUBJECT],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the echo process did not start:\n${out}`)), 10_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\{"ready":true,"httpPort":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ httpPort: Number(m[1]), child });
      }
    });
    child.once('exit', (code) => reject(new Error(`the echo process exited (${code}):\n${out}`)));
  });
}

/** One server of tools/bench/http-baselines.mjs (a bare Fastify echo, or the bare relay to the echo process). */
async function startBaseline(
  natsUrl: string,
  which: 'fastify' | 'relay',
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'tools/bench/http-baselines.mjs'), natsUrl, ECHO_SUBJECT, which],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${which} baseline did not start:\n${out}`)), 10_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\{"ready":true,"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child });
      }
    });
    child.once('exit', (code) => reject(new Error(`the ${which} baseline exited (${code}):\n${out}`)));
  });
}

async function spawnTracked(
  app: string,
  nc: NatsConnection,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<RunningService> {
  const s = await spawnService(app, nc, env, { readyTimeoutMs: 60_000, nodeArgs });
  services.push(s);
  return s;
}

async function stopService(s: RunningService | undefined): Promise<void> {
  if (!s) return;
  await s.stop();
  services.splice(services.indexOf(s), 1);
}

function ensureBuilt(): void {
  const missing = ['registry', 'inference-worker', 'gateway'].filter(
    (a) => !existsSync(path.join(root, 'dist/apps', a, 'main.js')),
  );
  if (missing.length === 0) return;
  console.error(`[bench] building ${missing.join(', ')} (dist is missing)`);
  const r = spawnSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '--projects=registry,inference-worker,gateway',
      '--output-style=static',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('building the services failed');
}

/** Polls predict until `ref` answers (a deploy reached the worker), bounded by time. */
async function waitForServing(
  rpc: RpcClient,
  model: string,
  width: number,
  ref: string,
  timeoutMs = 30_000,
): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const reply = await rpc.call(
        InferenceSubjects.predict,
        { model, rows: [sampleRow(width, 3)] },
        { timeoutMs: 5000 },
      );
      if (reply.modelVersion === ref) return performance.now() - started;
      last = reply.modelVersion;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`${ref} was not served within ${timeoutMs} ms (last answer: ${last})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// report

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = Date.now();
  const hardLimit = setTimeout(() => {
    console.error(`[bench] gave up after ${HARD_LIMIT_MS / 1000} s`);
    killAll();
    process.exit(1);
  }, HARD_LIMIT_MS);
  hardLimit.unref();
  const log = (m: string) =>
    console.error(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${m}`);
  const host = machine();
  host['load average (1/5/15 min) at start'] = loadAverage();
  ensureBuilt();

  let nats: NatsHandle | undefined;
  let pg: PostgresHandle | undefined;
  let nc: NatsConnection | undefined;
  let lean: NatsConnection | undefined;
  let schema: string | undefined;
  const rows: Row[] = [];
  const summary: string[] = [];
  try {
    if (!process.env['NATS_URL']) {
      nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-nats-')) });
      process.env['NATS_URL'] = nats.url;
    }
    if (!process.env['DATABASE_URL']) {
      pg = await startEmbeddedPostgres();
      process.env['DATABASE_URL'] = pg.url;
    }
    const natsUrl = process.env['NATS_URL'] as string;
    const databaseUrl = process.env['DATABASE_URL'] as string;
    // the nats-server's CPU is only known when it is ours
    const natsPid = nats?.process?.pid;
    log(
      `NATS ${natsUrl}${nats ? ' (started here)' : ''}; Postgres ${pg ? 'embedded PGlite (started here)' : 'from DATABASE_URL'}`,
    );

    const small = smallModel(-0.5);
    const heavy = heavyModel();

    // 1. the limits in this process (the hot-path loop skips them)
    if (!HOT_PATH && !GATEWAY_ONLY) {
      log('in-process onnxruntime-node');
      const ortSmall1 = await ortLimit(small, SMALL_FEATURES, 1);
      const ortSmall64 = await ortLimit(small, SMALL_FEATURES, 64);
      const ortHeavy1 = await ortLimit(heavy, HEAVY_FEATURES, 1);
      const ortHeavy64 = await ortLimit(heavy, HEAVY_FEATURES, 64);
      rows.push(
        {
          scenario: 'limit: onnxruntime-node in-process',
          model: 'small',
          batching: 'batch 1',
          c: 1,
          r: ortSmall1,
          note: 'requests = runs',
        },
        {
          scenario: 'limit: onnxruntime-node in-process',
          model: 'small',
          batching: 'batch 64',
          c: 1,
          r: ortSmall64,
          rowsPerRequest: 64,
          note: 'requests = runs',
        },
        {
          scenario: 'limit: onnxruntime-node in-process',
          model: 'MLP',
          batching: 'batch 1',
          c: 1,
          r: ortHeavy1,
          note: 'requests = runs',
        },
        {
          scenario: 'limit: onnxruntime-node in-process',
          model: 'MLP',
          batching: 'batch 64',
          c: 1,
          r: ortHeavy64,
          rowsPerRequest: 64,
          note: 'requests = runs',
        },
      );
      const inProc = await inProcessBatcher(small, SMALL_FEATURES, 64, 256);
      rows.push({
        scenario: 'in-process LogLens PredictBatcher (no transport)',
        model: 'small',
        batching: 'on',
        c: 64,
        r: inProc,
        note: 'prepare + batch + run + split, 1 row per request',
      });
    }

    // 2. the bare transport, answered by another process, through the same client the predict rows use
    nc = await connect({ servers: natsUrl, name: 'bench' });
    // a second client without nats.js' async stack traces (three stack-captured Errors per request): how much of
    // the ceiling is the load generator itself
    lean = await connect({ servers: natsUrl, name: 'bench-lean', noAsyncTraces: true });
    const rpc = new RpcClient(nc, REQUEST_TIMEOUT_MS);
    const leanRpc = new RpcClient(lean, REQUEST_TIMEOUT_MS);
    const echo = await startEcho(natsUrl);
    const echoPids: Pids = { echo: echo.child.pid, nats: natsPid, client: process.pid };
    const natsEchoAt = new Map<number, CellResult>();
    const httpEchoAt = new Map<number, CellResult>();
    for (const c of HOT_PATH || GATEWAY_ONLY ? [] : CONCURRENCIES) {
      log(`bare NATS / HTTP echo, c=${c}`);
      natsEchoAt.set(c, await natsEcho(rpc, SMALL_FEATURES, c, echoPids));
      httpEchoAt.set(
        c,
        await httpLoad(echo.httpPort, '/', SMALL_FEATURES, c, { echo: echo.child.pid, client: process.pid }),
      );
    }
    for (const c of HOT_PATH || GATEWAY_ONLY ? [] : CONCURRENCIES) {
      const r = cell(natsEchoAt, c);
      rows.push({
        scenario: 'limit: bare NATS request/echo (separate process)',
        model: '–',
        batching: '–',
        c,
        r,
        echo: r,
      });
    }
    for (const c of HOT_PATH || GATEWAY_ONLY ? [] : CONCURRENCIES) {
      const r = cell(httpEchoAt, c);
      rows.push({
        scenario: 'limit: bare HTTP POST/echo (separate process)',
        model: '–',
        batching: '–',
        c,
        r,
        echo: r,
      });
    }
    // the echo process stays up: every LogLens cell below is paired with an echo measured just before it at the same
    // concurrency, so a ratio compares two measurements seconds apart on this shared machine
    const pairedNatsEcho = (client: RpcClient, c: number) => natsEcho(client, SMALL_FEATURES, c, {});

    // 3. the services
    schema = uniqueSchema('bench');
    const registry = await spawnTracked('registry', nc, {
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
    });
    const workerEnv = (batching: Record<string, string>) => ({ NATS_URL: natsUrl, ...batching });
    let worker = await spawnTracked('inference-worker', nc, workerEnv({}));
    // as a trained model does, each version brings the reference profile its drift is measured against (the worker
    // folds every directly predicted row into live sketches with its bin edges; the drift rows below measure that)
    const referenceOf = (width: number) =>
      buildReferenceProfile({
        featureNames: featureNames(width),
        rows: Array.from({ length: 500 }, (_, i) => sampleRow(width, 1000 + i)),
        scores: Array.from({ length: 500 }, (_, i) => i / 500),
        threshold: 0.5,
      });
    const register = async (model: string, bytes: Uint8Array, width: number) => {
      const req: RegisterVersionRequest = {
        model,
        artifactBase64: Buffer.from(bytes).toString('base64'),
        metadata: {
          featureSchema: { version: `${model}.v1`, features: featureNames(width).map((name) => ({ name })) },
          threshold: 0.5,
          referenceProfile: referenceOf(width),
        },
        createdBy: 'bench',
      };
      const reply = await rpc.call(RegistrySubjects.registerVersion, req, {
        timeoutMs: 60_000,
      });
      return reply.version.ref;
    };
    const deploy = (ref: string) =>
      rpc.call(
        RegistrySubjects.deployVersion,
        { ref, actor: 'bench', reason: 'benchmark' } satisfies DeployVersionRequest,
        { timeoutMs: 30_000 },
      );
    log('registering and deploying the models');
    const smallRef = await register(SMALL, small, SMALL_FEATURES);
    const heavyRef = await register(HEAVY, heavy, HEAVY_FEATURES);
    const swapRefs: string[] = [];
    for (let i = 1; i <= (HOT_PATH || GATEWAY_ONLY ? 0 : SWAPS); i++)
      swapRefs.push(await register(SMALL, smallModel(-0.5 + i / 100), SMALL_FEATURES));
    await deploy(smallRef);
    await deploy(heavyRef);

    /** a freshly started worker: wait until it serves both models, then let its JIT warm up (not measured) */
    const ready = async () => {
      await waitForServing(rpc, SMALL, SMALL_FEATURES, smallRef);
      await waitForServing(rpc, HEAVY, HEAVY_FEATURES, heavyRef);
      for (const [model, width] of [
        [SMALL, SMALL_FEATURES],
        [HEAVY, HEAVY_FEATURES],
      ] as const) {
        const req: PredictRequest = { model, rows: [sampleRow(width, 2)] };
        await runLoad(16, () => rpc.call(InferenceSubjects.predict, req, { timeoutMs: REQUEST_TIMEOUT_MS }), {
          warmupMs: 0,
          durationMs: QUICK ? 300 : 700,
        });
      }
    };

    /**
     * Gateway predict over HTTP at c=1/16/64 on the given adapter, each cell paired with baselines measured just before
     * it at the same concurrency: the bare node:http echo, a bare Fastify echo, and the bare relay (node:http → nats.js
     * `request` → the echo process), the same hops with nothing of LogLens in them (tools/bench/http-baselines.mjs).
     */
    const baselines = {
      fastify: await startBaseline(natsUrl, 'fastify'),
      relay: await startBaseline(natsUrl, 'relay'),
    };
    async function gatewayRows(adapter: 'fastify' | 'express'): Promise<void> {
      const gatewayPort = await freePort();
      const gateway = await spawnTracked('gateway', nc as NatsConnection, {
        NATS_URL: natsUrl,
        API_KEYS: `viewer:${API_KEY}`,
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_HTTP_ADAPTER: adapter,
        ADMIN_DIST: path.join(root, 'tmp/bench/no-admin'),
      }, GATEWAY_ONLY && CPU_PROF_ARG >= 0 ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${path.resolve(process.argv[CPU_PROF_ARG + 1] ?? 'tmp/prof')}`] : []);
      await waitForPort(gatewayPort, 30_000);
      await httpLoad(gatewayPort, '/api/v1/models/predict', SMALL_FEATURES, 16, {}, { 'x-api-key': API_KEY });
      const client = process.pid;
      for (const c of CONCURRENCIES) {
        log(`gateway (${adapter}) HTTP predict and its baselines, c=${c}`);
        const httpEcho = await httpLoad(echo.httpPort, '/', SMALL_FEATURES, c, {
          echo: echo.child.pid,
          client,
        });
        const fastifyEcho = await httpLoad(baselines.fastify.port, '/', SMALL_FEATURES, c, {
          fastify: baselines.fastify.child.pid,
          client,
        });
        const relay = await httpLoad(baselines.relay.port, '/', SMALL_FEATURES, c, {
          relay: baselines.relay.child.pid,
          echo: echo.child.pid,
          nats: natsPid,
          client,
        });
        const natsPair = c === 1 ? await natsEcho(rpc, SMALL_FEATURES, 1, {}) : undefined;
        const r = await httpLoad(
          gatewayPort,
          '/api/v1/models/predict',
          SMALL_FEATURES,
          c,
          { gateway: gateway.process.pid, worker: worker.process.pid, nats: natsPid, client },
          { 'x-api-key': API_KEY },
        );
        const hops = natsPair
          ? `; p50 ${(r.p50 / (httpEcho.p50 + natsPair.p50)).toFixed(2)}× bare HTTP + NATS echo p50s (${ms(httpEcho.p50)} + ${ms(natsPair.p50)} ms)`
          : '';
        rows.push(
          {
            scenario: 'limit: bare HTTP POST/echo, node:http (pair of the row below)',
            model: '–',
            batching: '–',
            c,
            r: httpEcho,
            echo: httpEcho,
          },
          {
            scenario: 'limit: bare Fastify POST/echo (JSON parsed and serialised)',
            model: '–',
            batching: '–',
            c,
            r: fastifyEcho,
            echo: httpEcho,
          },
          {
            scenario: 'bare relay: node:http → nats.js request → echo process',
            model: '–',
            batching: '–',
            c,
            r: relay,
            echo: httpEcho,
          },
          {
            scenario: `LogLens predict via gateway on ${adapter === 'fastify' ? 'Fastify' : 'Express'} (HTTP → NATS)`,
            model: 'small',
            batching: DEFAULTS,
            c,
            r,
            echo: httpEcho,
            note: `${(r.rps / fastifyEcho.rps).toFixed(2)}× the bare Fastify echo, ${(r.rps / relay.rps).toFixed(2)}× the bare relay${hops}`,
          },
        );
      }
      await stopService(gateway);
    }

    if (GATEWAY_ONLY) {
      await ready();
      await gatewayRows('fastify');
      await gatewayRows('express');
      console.log(table(rows));
      return;
    }

    if (HOT_PATH) {
      // the quick loop for work on the predict path: the default worker (optionally profiled), echo and predict paired
      const profDir =
        CPU_PROF_ARG >= 0 ? path.resolve(process.argv[CPU_PROF_ARG + 1] ?? 'tmp/prof') : undefined;
      await stopService(worker);
      worker = await spawnTracked(
        'inference-worker',
        nc,
        workerEnv({}),
        profDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${profDir}`] : [],
      );
      await ready();
      const pids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid };
      for (let i = 1; i <= HOT_PATH_ROUNDS; i++) {
        log(`hot path: round ${i} of ${HOT_PATH_ROUNDS}`);
        for (const [label, client] of [
          ['default client', rpc],
          ['lean client', leanRpc],
        ] as const) {
          const echoCell = await natsEcho(client, SMALL_FEATURES, HOT_PATH_C, echoPids);
          const predictCell = await natsPredict(client, SMALL, SMALL_FEATURES, HOT_PATH_C, pids);
          rows.push(
            {
              scenario: `round ${i}: bare NATS echo, ${label}`,
              model: '–',
              batching: '–',
              c: HOT_PATH_C,
              r: echoCell,
              echo: echoCell,
            },
            {
              scenario: `round ${i}: predict over NATS, ${label}`,
              model: 'small',
              batching: DEFAULTS,
              c: HOT_PATH_C,
              r: predictCell,
              echo: echoCell,
            },
          );
        }
      }
      await stopService(worker);
      if (profDir) log(`worker CPU profile written to ${path.relative(root, profDir)}/`);
      console.log(table(rows));
      return;
    }

    // batching off, then on with a queue delay, then the defaults last (the gateway and hot-swap runs reuse that worker)
    const configs: Array<{ label: string; env: Record<string, string> }> = [
      { label: 'off', env: { BATCH_MAX_SIZE: '1' } },
      { label: 'on, delay 1 ms', env: { BATCH_MAX_QUEUE_DELAY_MS: '1' } },
      { label: 'on, delay 2 ms', env: { BATCH_MAX_QUEUE_DELAY_MS: '2' } },
      { label: DEFAULTS, env: {} },
    ];
    const heavyAt = new Map<string, CellResult>();
    const natsRows: Row[] = [];
    for (const cfg of configs) {
      await stopService(worker);
      worker = await spawnTracked('inference-worker', nc, workerEnv(cfg.env));
      await ready();
      const pids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid };
      for (const [model, name, width] of [
        [SMALL, 'small', SMALL_FEATURES],
        [HEAVY, 'MLP', HEAVY_FEATURES],
      ] as const) {
        for (const c of CONCURRENCIES) {
          log(`predict over NATS: ${name}, batching ${cfg.label}, c=${c}`);
          const pair = await pairedNatsEcho(rpc, c);
          const r = await natsPredict(rpc, model, width, c, pids);
          if (model === HEAVY) heavyAt.set(`${cfg.label}/${c}`, r);
          const off = model === HEAVY && cfg.label !== 'off' ? heavyAt.get(`off/${c}`) : undefined;
          natsRows.push({
            scenario: 'LogLens predict over NATS',
            model: name,
            batching: cfg.label,
            c,
            r,
            echo: pair,
            note: [
              off ? `${(r.rps / off.rps).toFixed(2)}× batching off` : '',
              `paired echo ${fmt(pair.rps)}/s`,
            ]
              .filter(Boolean)
              .join('; '),
          });
        }
      }
    }
    // grouped by model, then batching, so the table reads top-down
    rows.push(...natsRows.filter((x) => x.model === 'small'), ...natsRows.filter((x) => x.model === 'MLP'));

    // the same comparison at c=64 with the lean client: echo and predict in one breath
    log('lean client: echo and predict at c=64');
    const leanEcho64 = await natsEcho(leanRpc, SMALL_FEATURES, 64, echoPids);
    const leanPredict64 = await natsPredict(leanRpc, SMALL, SMALL_FEATURES, 64, {
      worker: worker.process.pid,
      nats: natsPid,
      client: process.pid,
    });
    rows.push(
      {
        scenario: 'limit: bare NATS request/echo, lean client',
        model: '–',
        batching: '–',
        c: 64,
        r: leanEcho64,
        echo: leanEcho64,
        note: 'client without nats.js async traces',
      },
      {
        scenario: 'LogLens predict over NATS, lean client',
        model: 'small',
        batching: DEFAULTS,
        c: 64,
        r: leanPredict64,
        echo: leanEcho64,
        note: 'ratio against the lean-client echo just above',
      },
    );

    // drift profiling of the direct predict path (issue 12): the worker folds every row into its drift buckets unless
    // the request says `profiled: true` (the agents' flag, their windows are profiled by the agent). ABBA pairs (off,
    // on, on, off) on the same worker, so a steady drift of this shared machine's speed cancels out.
    log('drift profiling on vs off: predict over NATS at c=64');
    const driftPids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid };
    const driftOn: CellResult[] = [];
    const driftOff: CellResult[] = [];
    for (let i = 0; i < (QUICK ? 1 : 2); i++) {
      driftOff.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids, { profiled: true }));
      driftOn.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids));
      driftOn.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids));
      driftOff.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids, { profiled: true }));
    }
    /** the cells of one arm as one: summed requests and time, the mean p50 and the worst p99 */
    const pooled = (cells: CellResult[]): CellResult => {
      const requests = cells.reduce((s, x) => s + x.requests, 0);
      const seconds = cells.reduce((s, x) => s + x.seconds, 0);
      return {
        ...cells[0],
        requests,
        seconds,
        rps: requests / seconds,
        failed: cells.reduce((s, x) => s + x.failed, 0),
        p50: cells.reduce((s, x) => s + x.p50, 0) / cells.length,
        p99: Math.max(...cells.map((x) => x.p99)),
      };
    };
    const driftOffCell = pooled(driftOff);
    const driftOnCell = pooled(driftOn);
    const driftRatio = driftOnCell.rps / driftOffCell.rps;
    rows.push(
      {
        scenario: 'LogLens predict over NATS, drift profiling off',
        model: 'small',
        batching: DEFAULTS,
        c: 64,
        r: driftOffCell,
        echo: driftOffCell,
        note: `requests sent with profiled: true (the worker skips its drift fold); ${driftOff.length} cells pooled`,
      },
      {
        scenario: 'LogLens predict over NATS, drift profiling on',
        model: 'small',
        batching: DEFAULTS,
        c: 64,
        r: driftOnCell,
        echo: driftOffCell,
        note: `ratio against profiling off just above (ABBA-interleaved, ${driftOn.length} cells pooled)`,
      },
    );
    const driftSummary = `- Predict at c=64 with drift profiling on: **${driftRatio.toFixed(3)}×** its throughput with profiling off (goal ≥ 0.95): ${driftRatio >= 0.95 ? 'met' : '**not met**'}.`;

    // 4. through the gateway
    await gatewayRows('fastify');
    // 5. hot-swap under load: deploy SWAPS versions one after another, each once the previous one answers
    log(`hot-swap: ${SWAPS} deploys under load (c=${SWAP_CONCURRENCY})`);
    const swapTimes: number[] = [];
    const seen = new Map<string, number>();
    let swapWindow: [number, number] = [0, 0];
    const swapLatencies: number[] = [];
    const swapReq: PredictRequest = { model: SMALL, rows: [sampleRow(SMALL_FEATURES, 1)] };
    let swapsDone!: () => void;
    const allSwapped = new Promise<void>((resolve) => (swapsDone = resolve));
    const swapper = (async () => {
      await new Promise((r) => setTimeout(r, 1500));
      swapWindow = [performance.now(), 0];
      try {
        for (const ref of swapRefs) {
          const t = performance.now();
          await deploy(ref);
          await waitForServing(rpc, SMALL, SMALL_FEATURES, ref);
          swapTimes.push(performance.now() - t);
        }
      } finally {
        swapWindow[1] = performance.now();
        // keep the load on a moment after the last swap: the old session is released then
        setTimeout(swapsDone, 1000);
      }
    })();
    const swapLoad = await runLoad(
      SWAP_CONCURRENCY,
      async () => {
        const start = performance.now();
        const reply = await rpc.call(InferenceSubjects.predict, swapReq, {
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
        if (swapWindow[0] && start >= swapWindow[0] && (!swapWindow[1] || start <= swapWindow[1]))
          swapLatencies.push(performance.now() - start);
        return reply;
      },
      {
        warmupMs: 500,
        durationMs: 120_000,
        maxRequests: 2_000_000,
        until: allSwapped,
        onReply: (r) => seen.set(r.modelVersion, (seen.get(r.modelVersion) ?? 0) + 1),
      },
    );
    await swapper;
    const during = Float64Array.from(swapLatencies).sort();
    const answered = swapRefs.filter((ref) => seen.has(ref)).length;
    rows.push({
      scenario: `hot-swap: ${SWAPS} deploys in a row under load`,
      model: 'small',
      batching: DEFAULTS,
      c: SWAP_CONCURRENCY,
      r: { ...swapLoad, p50: percentile(during, 0.5), p99: percentile(during, 0.99) },
      note:
        `p50/p99 of the ${during.length} requests started during the swaps (whole run: ${swapLoad.requests} requests in ${swapLoad.seconds.toFixed(1)} s, p99 ${ms(swapLoad.p99)} ms); ` +
        `deploy → new version answering: ${ms(Math.min(...swapTimes))}–${ms(Math.max(...swapTimes))} ms; ${answered}/${SWAPS} new versions answered`,
    });
    await stopService(worker);
    await stopService(registry);

    // goals (the issue's "Done when")
    const ratio = (x: Row) => x.r.rps / (x.echo?.rps ?? Number.NaN);
    const small64 = natsRows.find((x) => x.model === 'small' && x.batching === DEFAULTS && x.c === 64);
    if (!small64) throw new Error('no measurement for small/defaults/64');
    const best64 = natsRows
      .filter((x) => x.model === 'small' && x.c === 64)
      .reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const heavyOff = cell(heavyAt, 'off/64');
    const heavyDefault = cell(heavyAt, `${DEFAULTS}/64`);
    const heavyBest = [...heavyAt.entries()]
      .filter(([k]) => k.endsWith('/64') && !k.startsWith('off'))
      .reduce((a, b) => (b[1].rps > a[1].rps ? b : a));
    const met = (ok: boolean) => (ok ? 'met' : '**not met**');
    const r64 = ratio(small64);
    const speedup = heavyDefault.rps / heavyOff.rps;
    summary.push(
      `- Single-record predict over NATS at c=64, batching on (defaults): **${r64.toFixed(2)}×** the bare NATS echo (goal ≥ 0.7; later ≥ 0.9): ${met(r64 >= 0.7)}. ` +
        `Best configuration at c=64: ${best64.batching}, ${ratio(best64).toFixed(2)}×. With the lean client: ${(leanPredict64.rps / leanEcho64.rps).toFixed(2)}×.`,
      `- Compute-heavy MLP at c=64: batching on (defaults) gives **${speedup.toFixed(2)}×** the throughput of batching off ` +
        `(best: ${heavyBest[0].split('/')[0]}, ${(heavyBest[1].rps / heavyOff.rps).toFixed(2)}×; goal ≥ 2×): ${met(speedup >= 2)}.`,
      `- Hot-swap: **${swapLoad.failed}** failed of ${swapLoad.requests + swapLoad.failed} requests across ${SWAPS} deploys under load (goal 0): ${met(swapLoad.failed === 0 && answered === SWAPS)}.`,
      driftSummary,
    );
    host['load average (1/5/15 min) at end'] = loadAverage();
  } finally {
    for (const s of [...services].reverse()) await stopService(s).catch(() => undefined);
    for (const c of children) await stopChild(c, exitOf(c)).catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await lean?.close().catch(() => undefined);
    if (schema)
      await dropSchema(schema).catch((e: unknown) =>
        console.error(`[bench] could not drop schema ${schema}: ${(e as Error).message}`),
      );
    await pg?.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
    clearTimeout(hardLimit);
  }

  const elapsed = ((Date.now() - began) / 1000).toFixed(0);
  const md = table(rows);
  console.log(md);
  console.log('');
  console.log(summary.join('\n'));
  log(`done in ${elapsed} s`);
  if (QUICK && OUT_ARG < 0) return;
  const out = OUT_ARG >= 0 ? path.resolve(process.argv[OUT_ARG + 1]) : path.join(root, 'docs/benchmarks.md');
  mkdirSync(path.dirname(out), { recursive: true });
  // sections other benches write into the same file (npm run bench:explain) are kept
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const kept = OTHER_BENCH_SECTIONS.map((h) => extractSection(previous, h)).filter(Boolean);
  writeFileSync(
    out,
    [document(host, md, summary, elapsed).trimEnd(), ...kept.map((k) => k.trimEnd())].join('\n\n') + '\n',
  );
  log(`wrote ${path.relative(root, out)}`);
}

/** Headings of docs/benchmarks.md sections written by other benches. */
const OTHER_BENCH_SECTIONS = [
  '## Explanations',
  '## Gateway: Fastify and Express',
  '## Drift profiling on the direct predict path',
  '## Shadow traffic',
  '## Footprint',
  '## Footprint: the semi-space flag on every service, compared',
];

function document(host: Record<string, string>, md: string, summary: string[], elapsed: string): string {
  return `# Inference serving benchmark

Written by \`npm run bench\` (tools/bench/inference.ts) on ${new Date().toISOString().slice(0, 10)}; every figure below comes from that one
run (${elapsed} s). Absolute numbers depend on the machine and on whatever else it was running; the ratios are the point.

## Machine

${Object.entries(host)
  .map(([k, v]) => `- ${k}: ${v}`)
  .join('\n')}

## Results

${md}

${summary.join('\n')}

## Method

- **Models.** *small*: logistic regression on ${SMALL_FEATURES} features (\`writeLogisticRegressionModel\`). *MLP*: ${HEAVY_FEATURES} features →
  ${HEAVY_LAYERS} × (MatMul ${HEAVY_HIDDEN}×${HEAVY_HIDDEN} + Add + Relu) → Sigmoid, fixed pseudo-random weights (one hidden matrix shared by
  every layer so the artifact fits inline registration), built with \`OnnxGraphBuilder\`; a batch-1 run costs about 1 ms.
- **Load.** Closed loop: *Conc.* callers each send the next request when the previous one is answered; one row per request;
  ${WARMUP_MS} ms warm-up, then a ${CELL_MS / 1000} s window (at most ${CELL_MAX_REQUESTS.toLocaleString('en-US')} requests). Latency is per request at the
  client. The load generator is this process; the services are the built \`dist/apps/*/main.js\`, each its own process.
- **Limits.** *onnxruntime-node in-process*: back-to-back \`session.run\` on one session (1 intra-op thread, as the worker runs).
  *Bare NATS echo*: the same client (\`RpcClient\` on a default \`nats\` connection, as the services use) and the same request bytes
  as predict, on a subject answered with the request's own bytes by a separate Node process (\`tools/bench/transport-echo.mjs\`);
  *bare HTTP echo* likewise for the gateway rows. The *lean client* rows repeat echo and predict at c=64 on a connection with
  \`noAsyncTraces: true\`, whose requests cost the load generator less, so that more of the gap is the server's. Each
  gateway row follows its three baselines at the same concurrency (tools/bench/http-baselines.mjs, each its own process):
  the bare node:http echo, a bare Fastify echo (JSON parsed and serialised) and the *bare relay* (node:http → nats.js
  \`request\` → the echo process: the gateway's hops with nothing of LogLens in them); its note gives the ratios to each.
- **Ratios.** *× bare echo (paired)*: each LogLens row divided by an echo measured just before it, at the same concurrency and by the
  same client (a bare HTTP echo for the gateway rows), so that both sides of a ratio saw the same background load; the echo rows
  at the top are the first such measurements.
- **Batching.** off = worker \`BATCH_MAX_SIZE=1\`; on = defaults (\`BATCH_MAX_SIZE=256\`, \`BATCH_MAX_QUEUE_DELAY_MS=0\`: a batch starts as
  soon as the previous run ends), and with \`BATCH_MAX_QUEUE_DELAY_MS\` 1 and 2. The worker restarts between configurations and is
  warmed up (unmeasured load on both models) before each. *worker: queue / compute* are the means of the \`timings\` each reply carries.
- **CPU µs per request**: user + system CPU of each process (\`/proc/<pid>/stat\`) over the measured window, divided by the requests
  completed in it; *client* is this process (the load generator; for in-process rows it includes onnxruntime). *nats* is shown only
  when the bench started the nats-server itself.
- **Hot-swap.** ${SWAPS} further versions of *small* are registered first; under continuous load (c=${SWAP_CONCURRENCY}, no client retries) each is
  deployed once the previous one answers. A failed request is any error or timeout at the client.
`;
}

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

function killAll(): void {
  for (const s of services) s.process.kill('SIGKILL');
  for (const c of children) c.kill('SIGKILL');
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});

main().catch((e: unknown) => {
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  killAll();
  process.exit(1);
});
