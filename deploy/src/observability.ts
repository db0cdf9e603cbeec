import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

/**
 * The PromQL that ships with LogLens — the Grafana dashboards under deploy/grafana and the alerting rules in
 * deploy/prometheus — read out, parsed with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the
 * Prometheus UI) and reduced to the metric names each expression selects, so a spec can hold them against the names
 * a running stack's /metrics really exports.
 */
export interface ShippedExpression {
  /** where it comes from: `grafana/serving.json › panel "Worker request latency" › A` */
  where: string;
  expr: string;
}

export interface ParsedExpression {
  metrics: string[];
  /** syntax errors, each with the text around it; empty when the expression parses */
  errors: string[];
}

const root = path.resolve(__dirname, '..');

/** Grafana's interval variables stand for a range: parse them as one. */
const GRAFANA_RANGES = /\$__(rate_interval|interval|range)\b/g;

export function parsePromQL(expr: string): ParsedExpression {
  const text = expr.replace(GRAFANA_RANGES, '5m');
  const metrics = new Set<string>();
  const errors: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: …${text.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
      // a metric name is an Identifier directly under a VectorSelector (functions and labels have their own nodes)
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.add(text.slice(node.from, node.to));
    },
  });
  return { metrics: [...metrics], errors };
}

interface DashboardPanel {
  title?: string;
  targets?: Array<{ refId?: string; expr?: string }>;
  panels?: DashboardPanel[];
}

export function dashboardExpressions(dir = path.join(root, 'grafana')): ShippedExpression[] {
  const out: ShippedExpression[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const dashboard = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { panels?: DashboardPanel[] };
    const walk = (panels: DashboardPanel[] = []): void => {
      for (const p of panels) {
        for (const t of p.targets ?? []) if (t.expr) out.push({ where: `grafana/${file} › panel "${p.title ?? '?'}" › ${t.refId ?? '?'}`, expr: t.expr });
        walk(p.panels);
      }
    };
    walk(dashboard.panels);
  }
  return out;
}

export function alertExpressions(file = path.join(root, 'prometheus/alerts.yml')): ShippedExpression[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `prometheus/${path.basename(file)} › ${g.name} › ${r.alert ?? r.record}`, expr: String(r.expr) })));
}

/** Every metric name a Prometheus text exposition declares or samples (histogram series included). */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const typed = /^# TYPE (\S+) (\w+)/.exec(line);
    if (typed) {
      names.add(typed[1]);
      if (typed[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(typed[1] + s);
      if (typed[2] === 'summary') for (const s of ['_sum', '_count']) names.add(typed[1] + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}
