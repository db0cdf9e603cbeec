// Drift profiling of the direct predict path (issue 12) at c=64: requests with `profiled: true` (the worker skips its
// drift fold) against plain ones, ABBA-interleaved on the same worker. Goal: profiling on ≥ 0.95× off.
import { DEFAULTS, SMALL, SMALL_FEATURES } from '../lib/bench-models';
import { natsPredict } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { QUICK, type CellResult, type Pids, type Row } from '../lib/measure';

export const drift: Scenario = async ({ log, rpc, worker, natsPid, storePids }) => {
  // drift profiling of the direct predict path (issue 12): the worker folds every row into its drift buckets unless
  // the request says `profiled: true` (the agents' flag, their windows are profiled by the agent). ABBA pairs (off,
  // on, on, off) on the same worker, so a steady drift of this shared machine's speed cancels out.
  log('drift profiling on vs off: predict over NATS at c=64');
  // the registry and Postgres too: the worker reports its drift buckets to the registry, which stores them, on the
  // same cores as the load
  const driftPids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid, ...storePids };
  const driftOn: CellResult[] = [];
  const driftOff: CellResult[] = [];
  for (let i = 0; i < (QUICK ? 1 : 2); i++) {
    driftOff.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids, { profiled: true }));
    driftOn.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids));
    driftOn.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids));
    driftOff.push(await natsPredict(rpc, SMALL, SMALL_FEATURES, 64, driftPids, { profiled: true }));
  }
  /**
   * The cells of one arm as one: summed requests and time; CPU per request and the worker's queue and compute times
   * as means over every request of them; the mean p50 and the worst p99.
   */
  const pooled = (cells: CellResult[]): CellResult => {
    const requests = cells.reduce((s, x) => s + x.requests, 0);
    const seconds = cells.reduce((s, x) => s + x.seconds, 0);
    const perRequest = (of: (x: CellResult) => number | undefined): number | undefined =>
      cells.every((x) => of(x) !== undefined)
        ? cells.reduce((s, x) => s + (of(x) as number) * x.requests, 0) / Math.max(1, requests)
        : undefined;
    // a process is shown when every cell measured it
    const cpu = Object.keys(cells[0].cpuUs ?? {}).flatMap((l) => {
      const us = perRequest((x) => x.cpuUs?.[l]);
      return us === undefined ? [] : [[l, us] as const];
    });
    const cpuUs = cpu.length ? Object.fromEntries(cpu) : undefined;
    return {
      ...cells[0],
      cpuUs,
      queueMs: perRequest((x) => x.queueMs),
      computeMs: perRequest((x) => x.computeMs),
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
  const rows: Row[] = [
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
  ];
  return {
    rows,
    goals: [
      {
        rank: 4,
        line: `- Predict at c=64 with drift profiling on: **${driftRatio.toFixed(3)}×** its throughput with profiling off (goal ≥ 0.95): ${driftRatio >= 0.95 ? 'met' : '**not met**'}.`,
      },
    ],
  };
};
