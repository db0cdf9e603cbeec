// Log analysis throughput (tools/bench/analysis.ts, its own stack): analyze 10,000 HDFS lines through the gateway
// paired with the in-process pipeline on the same lines, and one agent draining JetStream paired with the in-process
// template miner. Goals: ≥ 0.5× and ≥ 0.6×. Its figures are lines/s, so they come as summary lines, not table rows.
import type { Scenario } from '../lib/context';
import { runAnalysisBench } from '../analysis';

export const analysis: Scenario = async ({ log }) => {
  log('analysis: analyze 10,000 lines and one agent draining JetStream, each paired with the in-process libraries');
  const saved = { NATS_URL: process.env['NATS_URL'], DATABASE_URL: process.env['DATABASE_URL'] };
  try {
    const rows = await runAnalysisBench({ runs: 3 });
    return {
      rows: [],
      goals: rows.map((r, i) => {
        const goal = r.goal;
        return {
          rank: 6 + i,
          line: `- ${r.scenario}: ${Math.round(r.linesPerSecond).toLocaleString('en-US')} lines/s, **${r.ratio.toFixed(2)}×** the in-process libraries' ${Math.round(r.baselineLinesPerSecond).toLocaleString('en-US')} lines/s on the same lines (goal ≥ ${goal}): ${r.ratio >= goal ? 'met' : '**not met**'}.`,
        };
      }),
    };
  } finally {
    // runAnalysisBench points these at its own NATS and Postgres
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
};
