import { StackProcess, uniqueSchema, waitFor } from '@loglens/testing';
import { alertExpressions, dashboardExpressions, exportedMetricNames, parsePromQL } from './observability';

// The dashboards and alert rules shipped in deploy/ against a running stack: after some predict traffic (so the
// workers' per-version series exist), every metric an expression selects must be one the gateway's /metrics exports.
// A renamed metric, or a dashboard written against a name nobody exports, fails here.
describe('deploy/grafana and deploy/prometheus against the metrics of a running stack', () => {
  const stack = new StackProcess();
  const VIEWER = 'viewer-key-observability-1';

  beforeAll(async () => {
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('observability'), API_KEYS: `viewer:${VIEWER}` });
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('names only metrics that /metrics exports', async () => {
    const row = Array.from({ length: 29 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    // the default model is deployed on first start; predict until it answers so the workers' series exist
    await waitFor(
      'a predict on the default model',
      async () => {
        const res = await fetch(`${stack.url}/api/v1/models/predict`, {
          method: 'POST',
          headers: { 'x-api-key': VIEWER, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'log-anomaly', rows: [row, row] }),
        });
        return res.status === 200 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const exported = exportedMetricNames(await (await fetch(`${stack.url}/metrics`)).text());
    const missing = [...dashboardExpressions(), ...alertExpressions()].flatMap((e) =>
      parsePromQL(e.expr)
        .metrics.filter((m) => !exported.has(m))
        .map((m) => `${e.where}: ${m}`),
    );
    expect(missing).toEqual([]);
    expect(exported.has('loglens_inference_workers')).toBe(true);
  });
});
