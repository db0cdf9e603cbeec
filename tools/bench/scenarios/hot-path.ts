// The quick loop for work on the predict path (npm run bench -- --hot-path): the default worker (optionally with a V8
// CPU profile), echo and predict paired at one concurrency, five rounds, with the default and the lean client.
import path from 'node:path';
import { DEFAULTS, SMALL, SMALL_FEATURES } from '../lib/bench-models';
import { natsEcho, natsPredict } from '../lib/cells';
import type { Scenario } from '../lib/context';
import type { Pids, Row } from '../lib/measure';
import { root, stopService } from '../lib/processes';

const HOT_PATH_ROUNDS = 5;

export const hotPath =
  (opts: { concurrency: number; profDir?: string }): Scenario =>
  async (ctx) => {
    const { log, rpc, leanRpc, natsPid, echoPids } = ctx;
    const { concurrency, profDir } = opts;
    const worker = await ctx.restartWorker(
      {},
      profDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${profDir}`] : [],
    );
    await ctx.ready();
    const pids: Pids = { worker: worker.process.pid, nats: natsPid, client: process.pid };
    const rows: Row[] = [];
    for (let i = 1; i <= HOT_PATH_ROUNDS; i++) {
      log(`hot path: round ${i} of ${HOT_PATH_ROUNDS}`);
      for (const [label, client] of [
        ['default client', rpc],
        ['lean client', leanRpc],
      ] as const) {
        const echoCell = await natsEcho(client, SMALL_FEATURES, concurrency, echoPids);
        const predictCell = await natsPredict(client, SMALL, SMALL_FEATURES, concurrency, pids);
        rows.push(
          {
            scenario: `round ${i}: bare NATS echo, ${label}`,
            model: '–',
            batching: '–',
            c: concurrency,
            r: echoCell,
            echo: echoCell,
          },
          {
            scenario: `round ${i}: predict over NATS, ${label}`,
            model: 'small',
            batching: DEFAULTS,
            c: concurrency,
            r: predictCell,
            echo: echoCell,
          },
        );
      }
    }
    // the profile is written when the worker exits
    await stopService(worker);
    if (profDir) log(`worker CPU profile written to ${path.relative(root, profDir)}/`);
    return { rows };
  };
