import { AggregatorRegistry, Counter, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { DURATION_BUCKETS, FastHistogram, requestMetricsJson, VersionRequestMetrics } from './request-metrics';

const samples = [0.0001, 0.0005, 0.0007, 0.003, 0.003, 0.2, 7, 12, 0.0004999];

describe('FastHistogram', () => {
  it('gives the series prom-client gives for the same observations', async () => {
    const registry = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['model', 'version'], buckets: [...DURATION_BUCKETS], registers: [registry] });
    const fast = new FastHistogram();
    for (const s of samples) {
      reference.observe({ model: 'm', version: 'm@1' }, s);
      fast.observe(s);
    }
    const [json] = await registry.getMetricsAsJSON();
    const strip = (values: ReadonlyArray<{ value: number; metricName?: string; labels: object }>) =>
      values.map(({ value, metricName, labels }) => ({ value: Math.round(value * 1e9) / 1e9, metricName, labels }));
    expect(strip(fast.values('h_seconds', { model: 'm', version: 'm@1' }))).toEqual(strip(json.values));
  });

  it('ignores values that are not finite instead of poisoning the sum', () => {
    const h = new FastHistogram([1]);
    h.observe(Number.NaN);
    h.observe(Number.POSITIVE_INFINITY);
    h.observe(0.5);
    expect(h.values('x', {}).map((v) => v.value)).toEqual([1, 1, 0.5, 1]);
  });
});

describe('requestMetricsJson', () => {
  it('sums across workers in the gateway aggregator and renders the names the dashboards use', async () => {
    const worker = (n: number) => {
      const v = new VersionRequestMetrics('m', 'm@1');
      v.success = n;
      v.badRequest = 1;
      v.inferences = 2 * n;
      v.executions = n / 4;
      for (let i = 0; i < n; i++) v.duration.observe(0.002);
      return requestMetricsJson([v]) as unknown as MetricObjectWithValues<MetricValue<string>>[];
    };
    const text = await AggregatorRegistry.aggregate([worker(8), worker(4)]).metrics();
    expect(text).toContain('loglens_inference_requests_total{model="m",version="m@1",outcome="success"} 12');
    expect(text).toContain('loglens_inference_requests_total{model="m",version="m@1",outcome="bad_request"} 2');
    expect(text).not.toContain('outcome="error"');
    expect(text).toContain('loglens_inference_count_total{model="m",version="m@1"} 24');
    expect(text).toContain('loglens_inference_exec_count_total{model="m",version="m@1"} 3');
    expect(text).toContain('loglens_inference_request_duration_seconds_bucket{le="0.001",model="m",version="m@1"} 0');
    expect(text).toContain('loglens_inference_request_duration_seconds_bucket{le="0.0025",model="m",version="m@1"} 12');
    expect(text).toContain('loglens_inference_request_duration_seconds_count{model="m",version="m@1"} 12');
  });

  it('matches the counters prom-client would have kept', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'loglens_inference_requests_total', help: 'Predict requests by outcome', labelNames: ['model', 'version', 'outcome'], registers: [registry] });
    c.inc({ model: 'm', version: 'm@1', outcome: 'success' }, 3);
    const v = new VersionRequestMetrics('m', 'm@1');
    v.success = 3;
    const ours = requestMetricsJson([v])[0];
    const [theirs] = await registry.getMetricsAsJSON();
    expect(ours.values).toEqual(theirs.values);
    expect({ ...ours, values: [] }).toEqual({ ...theirs, values: [] } as unknown);
  });
});
