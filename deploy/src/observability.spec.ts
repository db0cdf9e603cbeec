import { alertExpressions, dashboardExpressions, exportedMetricNames, parsePromQL } from './observability';

describe('the PromQL shipped in deploy/grafana and deploy/prometheus', () => {
  const shipped = [...dashboardExpressions(), ...alertExpressions()];

  it('finds the dashboards and alert rules', () => {
    expect(dashboardExpressions().length).toBeGreaterThan(10);
    expect(alertExpressions().map((e) => e.where)).toEqual(expect.arrayContaining([expect.stringContaining('LogLensNoWorkers')]));
  });

  it.each(shipped.map((e) => [e.where, e.expr]))('%s parses and selects a LogLens metric', (_where, expr) => {
    const parsed = parsePromQL(expr);
    expect(parsed.errors).toEqual([]);
    expect(parsed.metrics.length).toBeGreaterThan(0);
    for (const m of parsed.metrics) expect(m).toMatch(/^loglens_/);
  });

  it('reports a syntax error and reads metric names, not functions or labels', () => {
    expect(parsePromQL('sum(rate(loglens_x_total[5m])').errors.length).toBeGreaterThan(0);
    expect(parsePromQL('histogram_quantile(0.9, sum by (le) (rate(a_bucket{model="m"}[$__rate_interval]))) / b').metrics.sort()).toEqual(['a_bucket', 'b']);
  });

  it('reads metric names from an exposition, histogram series included', () => {
    const names = exportedMetricNames('# HELP h help\n# TYPE h histogram\nh_bucket{le="1"} 2\n# TYPE c counter\nc_total 3\nuntyped 1\n');
    expect([...names].sort()).toEqual(['c', 'c_total', 'h', 'h_bucket', 'h_count', 'h_sum', 'untyped']);
  });
});
