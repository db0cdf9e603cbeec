// LogLens predict over NATS (inference.predict.v1 through RpcClient), one row per request, at each concurrency, on both
// models, with dynamic batching off, on with a queue delay of 1 and 2 ms, and on with the defaults (last: the scenarios
// after this one reuse that worker); each cell paired with a bare echo measured just before it. Then the same comparison
// at c=64 with the lean client. Goals: predict ≥ 0.7× the echo at c=64; batching ≥ 2× on the MLP.
import { CONCURRENCIES, DEFAULTS, HEAVY, HEAVY_FEATURES, SMALL, SMALL_FEATURES } from '../lib/bench-models';
import { natsEcho, natsPredict } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { cell, fmt, type CellResult, type Pids, type Row } from '../lib/measure';

const CONFIGS: Array<{ label: string; env: Record<string, string> }> = [
  { label: 'off', env: { BATCH_MAX_SIZE: '1' } },
  { label: 'on, delay 1 ms', env: { BATCH_MAX_QUEUE_DELAY_MS: '1' } },
  { label: 'on, delay 2 ms', env: { BATCH_MAX_QUEUE_DELAY_MS: '2' } },
  { label: DEFAULTS, env: {} },
];

export const natsPredictScenario: Scenario = async (ctx) => {
  const { log, rpc, leanRpc, natsPid, echoPids } = ctx;
  const heavyAt = new Map<string, CellResult>();
  const natsRows: Row[] = [];
  for (const cfg of CONFIGS) {
    const worker = await ctx.restartWorker(cfg.env);
    await ctx.ready();
    const pids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid };
    for (const [model, name, width] of [
      [SMALL, 'small', SMALL_FEATURES],
      [HEAVY, 'MLP', HEAVY_FEATURES],
    ] as const) {
      for (const c of CONCURRENCIES) {
        log(`predict over NATS: ${name}, batching ${cfg.label}, c=${c}`);
        const pair = await natsEcho(rpc, SMALL_FEATURES, c, {});
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
          note: [off ? `${(r.rps / off.rps).toFixed(2)}× batching off` : '', `paired echo ${fmt(pair.rps)}/s`]
            .filter(Boolean)
            .join('; '),
        });
      }
    }
  }
  // grouped by model, then batching, so the table reads top-down
  const rows: Row[] = [
    ...natsRows.filter((x) => x.model === 'small'),
    ...natsRows.filter((x) => x.model === 'MLP'),
  ];

  // the same comparison at c=64 with the lean client: echo and predict in one breath
  log('lean client: echo and predict at c=64');
  const leanEcho64 = await natsEcho(leanRpc, SMALL_FEATURES, 64, echoPids);
  const leanPredict64 = await natsPredict(leanRpc, SMALL, SMALL_FEATURES, 64, {
    worker: ctx.worker.process.pid,
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

  // goals (the "Done when")
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
  return {
    rows,
    goals: [
      {
        rank: 1,
        line:
          `- Single-record predict over NATS at c=64, batching on (defaults): **${r64.toFixed(2)}×** the bare NATS echo (goal ≥ 0.7; later ≥ 0.9): ${met(r64 >= 0.7)}. ` +
          `Best configuration at c=64: ${best64.batching}, ${ratio(best64).toFixed(2)}×. With the lean client: ${(leanPredict64.rps / leanEcho64.rps).toFixed(2)}×.`,
      },
      {
        rank: 2,
        line:
          `- Compute-heavy MLP at c=64: batching on (defaults) gives **${speedup.toFixed(2)}×** the throughput of batching off ` +
          `(best: ${heavyBest[0].split('/')[0]}, ${(heavyBest[1].rps / heavyOff.rps).toFixed(2)}×; goal ≥ 2×): ${met(speedup >= 2)}.`,
      },
    ],
  };
};
