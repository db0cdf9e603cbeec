// Inference serving benchmark (issue 4, item 9): one markdown table, every figure measured in this run, written with
// a description of the machine to docs/benchmarks.md.
//   - the limits: onnxruntime-node in-process (batch 1 and 64), and the bare transport: a NATS request/echo (and an
//     HTTP echo) of the same request bytes, answered by a separate process (tools/bench/transport-echo.mjs);
//   - LogLens predict over NATS (inference.predict.v1 through RpcClient), one row per request, at concurrency 1/16/64,
//     dynamic batching off (BATCH_MAX_SIZE=1) and on (the defaults, and BATCH_MAX_QUEUE_DELAY_MS 1 and 2), on a small
//     logistic regression and on a compute-heavy MLP built with OnnxGraphBuilder;
//   - the same through the gateway over HTTP; continuous load while 10 versions are deployed one after another;
//   - KServe v2 infer, 256 × 32 FP32, JSON vs binary tensors (scenarios/v2-binary.ts); log analysis: analyze 10,000
//     lines and one agent draining JetStream, each paired with the in-process libraries (scenarios/analysis.ts).
// Services are the built dist/apps/*/main.js started by spawnService, as the integration specs start them, against
// NATS_URL / DATABASE_URL when set, otherwise a nats-server and an embedded Postgres started here. The registry works
// in a fresh DATABASE_SCHEMA, dropped at the end. Every load loop is bounded by time and by count.
// Usage: npm run bench [-- --quick] [-- --out <file.md>]   (about 6 minutes; --quick: shorter cells, no file written)
//        npm run bench -- --hot-path [--concurrency N] [--cpu-prof <dir>]   (about a minute, no file written: paired
//        echo / predict at c=64 (or N), five rounds, with CPU per process; --cpu-prof writes the worker's V8 CPU
//        profile to <dir> for chrome://inspect)
//        npm run bench -- --gateway [--cpu-prof <dir>]   (about a minute and a half, no file written: the gateway rows
//        below, on the Fastify adapter and again on Express, each cell paired with its bare HTTP, Fastify and relay
//        baselines; --cpu-prof writes each gateway's V8 CPU profile to <dir>)
import { mkdirSync, mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { InferenceSubjects, type PredictRequest } from '@loglens/contracts';
import { startNatsServer, stopChild, type NatsHandle } from '@loglens/dev-infra';
import { buildReferenceProfile } from '@loglens/drift';
import { RpcClient } from '@loglens/nest-common';
import {
  deployVersion,
  dropSchema,
  registerVersion,
  spawnEmbeddedPostgres,
  uniqueSchema,
  waitUntilServed,
  type PostgresProcess,
  type RunningService,
} from '@loglens/testing';
import { extractSection } from './doc-sections';
import {
  HEAVY,
  HEAVY_FEATURES,
  HEAVY_HIDDEN,
  HEAVY_LAYERS,
  SMALL,
  SMALL_FEATURES,
  featureNames,
  heavyModel,
  sampleRow,
  smallModel,
} from './lib/bench-models';
import type { BenchContext, Goal, Scenario } from './lib/context';
import {
  CELL_MAX_REQUESTS,
  CELL_MS,
  QUICK,
  REQUEST_TIMEOUT_MS,
  WARMUP_MS,
  loadAverage,
  machine,
  runLoad,
  table,
  type Row,
} from './lib/measure';
import {
  children,
  ensureBuilt,
  exitOf,
  killAll,
  root,
  services,
  spawnTracked,
  startBaseline,
  startEcho,
  stopService,
} from './lib/processes';
import { drift } from './scenarios/drift';
import { gateway } from './scenarios/gateway';
import { hotPath } from './scenarios/hot-path';
import { SWAPS, SWAP_CONCURRENCY, hotSwap } from './scenarios/hot-swap';
import { limits } from './scenarios/limits';
import { natsPredictScenario } from './scenarios/nats-predict';
import { transport } from './scenarios/transport';
import { v2Binary } from './scenarios/v2-binary';
import { analysis } from './scenarios/analysis';

const HOT_PATH = process.argv.includes('--hot-path');
/** the gateway rows alone, on Fastify and then on Express (the adapter comparison in docs/benchmarks.md) */
const GATEWAY_ONLY = process.argv.includes('--gateway');
const CPU_PROF_ARG = process.argv.indexOf('--cpu-prof');
/** --cpu-prof <dir>: the worker (--hot-path) or each gateway (--gateway) writes its V8 CPU profile to <dir> */
const PROF_DIR = CPU_PROF_ARG >= 0 ? path.resolve(process.argv[CPU_PROF_ARG + 1] ?? 'tmp/prof') : undefined;
const CONCURRENCY_ARG = process.argv.indexOf('--concurrency');
/** concurrency of the --hot-path loop */
const HOT_PATH_C = CONCURRENCY_ARG >= 0 ? Math.max(1, Number(process.argv[CONCURRENCY_ARG + 1]) || 64) : 64;
const OUT_ARG = process.argv.indexOf('--out');
/** the whole run is abandoned after this long (the target is ~3 min on 2 cores) */
const HARD_LIMIT_MS = 15 * 60_000;

/**
 * The scenarios of each kind of run, in the order they run (each measures on the shared set-up and returns its rows;
 * the table lists them in this order). A new scenario is one more entry.
 */
const RUNS: Record<'full' | 'gateway' | 'hot-path', Scenario[]> = {
  // analysis last: it starts a stack of its own
  full: [limits, transport, natsPredictScenario, drift, gateway('fastify'), hotSwap, v2Binary, analysis],
  gateway: [gateway('fastify', PROF_DIR), gateway('express', PROF_DIR)],
  'hot-path': [
    hotPath({
      concurrency: HOT_PATH_C,
      profDir: PROF_DIR,
    }),
  ],
};
const MODE = HOT_PATH ? 'hot-path' : GATEWAY_ONLY ? 'gateway' : 'full';

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
  let pg: PostgresProcess | undefined;
  let nc: NatsConnection | undefined;
  let lean: NatsConnection | undefined;
  let schema: string | undefined;
  const rows: Row[] = [];
  const goals: Goal[] = [];
  try {
    if (!process.env['NATS_URL']) {
      nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-nats-')) });
      process.env['NATS_URL'] = nats.url;
    }
    if (!process.env['DATABASE_URL']) {
      // in a process of its own: in this one PGlite would run the registry's queries on the load generator's event loop
      pg = await spawnEmbeddedPostgres();
      process.env['DATABASE_URL'] = pg.url;
    }
    const natsUrl = process.env['NATS_URL'] as string;
    const databaseUrl = process.env['DATABASE_URL'] as string;
    const natsPid = nats?.process?.pid;
    log(
      `NATS ${natsUrl}${nats ? ' (started here)' : ''}; Postgres ${pg ? 'embedded PGlite (started here)' : 'from DATABASE_URL'}`,
    );

    nc = await connect({ servers: natsUrl, name: 'bench' });
    lean = await connect({ servers: natsUrl, name: 'bench-lean', noAsyncTraces: true });
    const conn = nc;
    const rpc = new RpcClient(nc, REQUEST_TIMEOUT_MS);
    const echo = await startEcho(natsUrl);

    schema = uniqueSchema('bench');
    const registry = await spawnTracked('registry', nc, {
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
    });
    let worker: RunningService = await spawnTracked('inference-worker', nc, { NATS_URL: natsUrl });
    // as a trained model does, each version brings the reference profile its drift is measured against (the worker
    // folds every directly predicted row into live sketches with its bin edges; the drift rows measure that)
    const referenceOf = (width: number) =>
      buildReferenceProfile({
        featureNames: featureNames(width),
        rows: Array.from({ length: 500 }, (_, i) => sampleRow(width, 1000 + i)),
        scores: Array.from({ length: 500 }, (_, i) => i / 500),
        threshold: 0.5,
      });
    const register = (model: string, bytes: Uint8Array, width: number) =>
      registerVersion(rpc, {
        model,
        onnx: bytes,
        featureNames: featureNames(width),
        metadata: { referenceProfile: referenceOf(width) },
        createdBy: 'bench',
      });
    const deploy = (ref: string) => deployVersion(rpc, ref, { actor: 'bench', reason: 'benchmark' });
    log('registering and deploying the models');
    const smallRef = await register(SMALL, smallModel(-0.5), SMALL_FEATURES);
    const heavyRef = await register(HEAVY, heavyModel(), HEAVY_FEATURES);
    await deploy(smallRef);
    await deploy(heavyRef);

    let baselines: ReturnType<BenchContext['baselines']> | undefined;
    const ctx: BenchContext = {
      log,
      natsUrl,
      natsPid,
      nc,
      rpc,
      leanRpc: new RpcClient(lean, REQUEST_TIMEOUT_MS),
      echo,
      echoPids: { echo: echo.child.pid, nats: natsPid, client: process.pid },
      storePids: { registry: registry.process.pid, postgres: pg?.process.pid },
      smallRef,
      heavyRef,
      get worker() {
        return worker;
      },
      restartWorker: async (env = {}, nodeArgs = []) => {
        await stopService(worker);
        worker = await spawnTracked('inference-worker', conn, { NATS_URL: natsUrl, ...env }, nodeArgs);
        return worker;
      },
      ready: async () => {
        await waitUntilServed(rpc, SMALL, smallRef, sampleRow(SMALL_FEATURES, 3), { intervalMs: 25 });
        await waitUntilServed(rpc, HEAVY, heavyRef, sampleRow(HEAVY_FEATURES, 3), { intervalMs: 25 });
        for (const [model, width] of [
          [SMALL, SMALL_FEATURES],
          [HEAVY, HEAVY_FEATURES],
        ] as const) {
          const req: PredictRequest = { model, rows: [sampleRow(width, 2)] };
          await runLoad(
            16,
            () => rpc.call(InferenceSubjects.predict, req, { timeoutMs: REQUEST_TIMEOUT_MS }),
            {
              warmupMs: 0,
              durationMs: QUICK ? 300 : 700,
            },
          );
        }
      },
      register,
      deploy,
      baselines: () =>
        (baselines ??= (async () => ({
          fastify: await startBaseline(natsUrl, 'fastify'),
          relay: await startBaseline(natsUrl, 'relay'),
        }))()),
    };
    // the gateway-only run measures on the worker started above: warm it up first (the others restart theirs)
    if (MODE === 'gateway') await ctx.ready();
    for (const scenario of RUNS[MODE]) {
      const result = await scenario(ctx);
      rows.push(...result.rows);
      goals.push(...(result.goals ?? []));
    }
    if (MODE !== 'full') {
      console.log(table(rows));
      return;
    }
    for (const s of [...services].reverse()) await stopService(s);
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

  const summary = [...goals].sort((a, b) => a.rank - b.rank).map((g) => g.line);
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
  const kept = otherSections(previous).map((h) => extractSection(previous, h)).filter(Boolean);
  writeFileSync(
    out,
    [document(host, md, summary, elapsed).trimEnd(), ...kept.map((k) => k.trimEnd())].join('\n\n') + '\n',
  );
  log(`wrote ${path.relative(root, out)}`);
}

/** The sections this bench writes; every other `## ` section of docs/benchmarks.md (other benches', hand-written
 * explanations) is kept as it was, in its order. */
const OWN_SECTIONS = new Set(['## Machine', '## Results', '## Method']);

function otherSections(previous: string): string[] {
  return [...previous.matchAll(/^## .+$/gm)].map((m) => m[0]).filter((h) => !OWN_SECTIONS.has(h));
}

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
  when the bench started the nats-server itself. The drift rows add *registry* and *postgres* (the embedded one, when the bench started it): the
  workers report their drift buckets there. A pooled row gives CPU per request and the worker's queue and compute over all its cells.
- **Hot-swap.** ${SWAPS} further versions of *small* are registered first; under continuous load (c=${SWAP_CONCURRENCY}, no client retries) each is
  deployed once the previous one answers. A failed request is any error or timeout at the client.
`;
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
