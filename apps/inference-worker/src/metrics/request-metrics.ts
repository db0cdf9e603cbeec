/** One series value as prom-client's `getMetricsAsJSON()` writes it (its typings lag the runtime format). */
export interface PromJsonValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** One metric in that JSON format: what the gateway's AggregatorRegistry sums across workers. */
export interface PromJsonMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: PromJsonValue[];
  aggregator: 'sum';
}

/** Request-duration buckets (seconds): sub-millisecond hops up to multi-second batches. */
export const DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A fixed-bucket histogram that costs a short loop and three adds per observation. prom-client's `observe` hashes
 * the label object and keys its buckets by the stringified bound on every call (about a microsecond, the largest
 * single cost of a predict request in the worker's profile); here the labels are fixed per instance and the
 * exposition is built at scrape time (`values`), in the format prom-client's registries produce and aggregate.
 */
export class FastHistogram {
  /** per bucket, not cumulative; the last slot is +Inf */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[] = DURATION_BUCKETS) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** prom-client's JSON values for this series: cumulative `_bucket`s (then +Inf), `_sum`, `_count`. */
  values(name: string, labels: Record<string, string>): PromJsonValue[] {
    const out: PromJsonValue[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += this.counts[i];
      out.push({ value: cumulative, metricName: `${name}_bucket`, labels: { le, ...labels } });
    });
    out.push({ value: this.count, metricName: `${name}_bucket`, labels: { le: '+Inf', ...labels } });
    out.push({ value: this.sum, metricName: `${name}_sum`, labels: { ...labels } });
    out.push({ value: this.count, metricName: `${name}_count`, labels: { ...labels } });
    return out;
  }
}

/** One version's request figures in one worker: plain numbers on the hot path, Prometheus JSON at scrape time. */
export class VersionRequestMetrics {
  readonly labels: { model: string; version: string };
  success = 0;
  badRequest = 0;
  error = 0;
  inferences = 0;
  /** each request adds its share of the run it was part of (1 / requests in the batch) */
  executions = 0;
  readonly duration = new FastHistogram();
  readonly queue = new FastHistogram();
  readonly compute = new FastHistogram();

  constructor(model: string, version: string) {
    this.labels = { model, version };
  }
}

/** The request metrics of every version, as prom-client's `getMetricsAsJSON()` would give them. */
export function requestMetricsJson(versions: readonly VersionRequestMetrics[]): PromJsonMetric[] {
  const counter = (name: string, help: string, values: PromJsonValue[]): PromJsonMetric => ({ name, help, type: 'counter', values, aggregator: 'sum' });
  const histogram = (name: string, help: string, pick: (v: VersionRequestMetrics) => FastHistogram): PromJsonMetric => ({
    name,
    help,
    type: 'histogram',
    values: versions.flatMap((v) => pick(v).values(name, v.labels)),
    aggregator: 'sum',
  });
  const outcomes = (v: VersionRequestMetrics) =>
    (
      [
        ['success', v.success],
        ['bad_request', v.badRequest],
        ['error', v.error],
      ] as const
    )
      .filter(([, n]) => n > 0)
      .map(([outcome, value]) => ({ value, labels: { ...v.labels, outcome } }));
  return [
    counter('loglens_inference_requests_total', 'Predict requests by outcome', versions.flatMap(outcomes)),
    counter('loglens_inference_count_total', 'Rows scored (inferences)', versions.map((v) => ({ value: v.inferences, labels: { ...v.labels } }))),
    counter(
      'loglens_inference_exec_count_total',
      'onnxruntime runs (inferences / executions = average batch size)',
      versions.map((v) => ({ value: v.executions, labels: { ...v.labels } })),
    ),
    histogram('loglens_inference_request_duration_seconds', 'Predict request duration inside the worker', (v) => v.duration),
    histogram('loglens_inference_queue_duration_seconds', 'Time waiting for a batch', (v) => v.queue),
    histogram('loglens_inference_compute_duration_seconds', 'onnxruntime run time of the batch a request was in', (v) => v.compute),
  ];
}
