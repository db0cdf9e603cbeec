// Hot-swap under load: SWAPS further versions of the small model are registered, then, under continuous load at
// c=SWAP_CONCURRENCY (no client retries), each is deployed once the previous one answers. Goal: no failed request.
import { InferenceSubjects, type PredictRequest } from '@loglens/contracts';
import { DEFAULTS, SMALL, SMALL_FEATURES, sampleRow, smallModel } from '../lib/bench-models';
import type { Scenario } from '../lib/context';
import { REQUEST_TIMEOUT_MS, ms, percentile, runLoad, type Row } from '../lib/measure';
import { waitUntilServed } from '@loglens/testing';

export const SWAPS = 10;
export const SWAP_CONCURRENCY = 64;

export const hotSwap: Scenario = async ({ log, rpc, register, deploy }) => {
  const swapRefs: string[] = [];
  for (let i = 1; i <= SWAPS; i++)
    swapRefs.push(await register(SMALL, smallModel(-0.5 + i / 100), SMALL_FEATURES));
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
        await waitUntilServed(rpc, SMALL, ref, sampleRow(SMALL_FEATURES, 3), { intervalMs: 25 });
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
  const row: Row = {
    scenario: `hot-swap: ${SWAPS} deploys in a row under load`,
    model: 'small',
    batching: DEFAULTS,
    c: SWAP_CONCURRENCY,
    r: { ...swapLoad, p50: percentile(during, 0.5), p99: percentile(during, 0.99) },
    note:
      `p50/p99 of the ${during.length} requests started during the swaps (whole run: ${swapLoad.requests} requests in ${swapLoad.seconds.toFixed(1)} s, p99 ${ms(swapLoad.p99)} ms); ` +
      `deploy → new version answering: ${ms(Math.min(...swapTimes))}–${ms(Math.max(...swapTimes))} ms; ${answered}/${SWAPS} new versions answered`,
  };
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  return {
    rows: [row],
    goals: [
      {
        rank: 3,
        line: `- Hot-swap: **${swapLoad.failed}** failed of ${swapLoad.requests + swapLoad.failed} requests across ${SWAPS} deploys under load (goal 0): ${met(swapLoad.failed === 0 && answered === SWAPS)}.`,
      },
    ],
  };
};
