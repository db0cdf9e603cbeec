// The agents' drift profiling cost on their hot path (docs/monitoring.md, "Cost"): per scored window, folding it into
// its version's bucket (LiveProfiler.add), and per record, counting its template and folding the lines at scoring
// (addLines). Measured on a per-source model trained here (its real reference profile: 11+ columns, 10 bins each,
// template names), against the same loop without profiling. Run: node tools/ts-run.mjs tools/bench/drift-profiler.ts
import { BasePipeline } from '@loglens/agent-runtime';
import { LiveProfiler } from '@loglens/drift';
import type { FeatureSchemaDto } from '@loglens/contracts';
import type { ReferenceProfile } from '@loglens/drift';
import { trainSourceModel } from '@loglens/source-models';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1);

function appLog(minutes: number, from: number, seed: number): string[] {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  for (let m = 0; m < minutes; m++) {
    const n = 8 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const t = new Date(from + m * MINUTE + Math.floor((k / n) * MINUTE)).toISOString();
      const r = rnd();
      if (r < 0.5) out.push(`${t} INFO web[${100 + (k % 3)}]: GET /api/items/${Math.floor(rnd() * 900)} 200 in ${Math.floor(rnd() * 40)} ms`);
      else if (r < 0.8) out.push(`${t} INFO auth: user u${Math.floor(rnd() * 50)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 200)}`);
      else if (r < 0.97) out.push(`${t} INFO cache: evicted ${Math.floor(rnd() * 30)} entries`);
      else out.push(`${t} WARN db: slow query took ${200 + Math.floor(rnd() * 300)} ms`);
    }
  }
  return out;
}

const model = trainSourceModel({ sources: ['app'], records: appLog(600, START, 7) });
const reference = model.metadata['referenceProfile'] as ReferenceProfile;
const schema = model.metadata['featureSchema'] as FeatureSchemaDto;

/** Parses and windows `lines` as the agent does; with `profile`, also counts templates and folds windows and lines. */
function run(lines: string[], profile: boolean): { ms: number; windows: number; records: number; profilingMs: number } {
  const p = new BasePipeline(schema, undefined, { windowMs: model.summary.windowMs });
  const profiler = new LiveProfiler();
  const templateLines = new Map<string, number>();
  const t0 = performance.now();
  let windows = 0;
  let profilingMs = 0;
  lines.forEach((l, i) => {
    const parsed = p.add(i, { message: l, time: null, source: 'app' });
    if (profile && parsed.templateId !== null) templateLines.set(parsed.templateId, (templateLines.get(parsed.templateId) ?? 0) + 1);
    if (i % 500 === 499 || i === lines.length - 1) {
      const closed = i === lines.length - 1 ? p.flushAll() : p.flushDue();
      windows += closed.length;
      if (profile) {
        const p0 = performance.now();
        const now = Date.now();
        for (const w of closed) profiler.add('app@1', reference, { at: now, row: w.features, featureNames: p.featureNames, score: 0.4, flagged: false });
        profiler.addLines('app@1', reference, now, 'app', [...templateLines].map(([id, n]) => [p.resolveTemplate(id)?.template ?? id, n] as const));
        templateLines.clear();
        profiler.drain(now + 60_000);
        profilingMs += performance.now() - p0;
      }
    }
  });
  return { ms: performance.now() - t0, windows, records: lines.length, profilingMs };
}

/** Profiling alone: folding `n` ready windows (the per-window cost, without parsing). */
function foldOnly(rows: number[][], names: readonly string[], n: number): number {
  const profiler = new LiveProfiler();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) profiler.add('app@1', reference, { at: 0, row: rows[i % rows.length], featureNames: names, score: 0.4, flagged: false });
  return ((performance.now() - t0) / n) * 1000;
}

const lines = appLog(3000, START + 600 * MINUTE, 99);
for (let i = 0; i < 2; i++) run(lines.slice(0, 5000), i === 0); // warm-up
// alternating which goes first, so a noisy neighbour on the machine does not favour one side
const rounds = 9;
const off: number[] = [];
const on: number[] = [];
let last = { ms: 0, windows: 0, records: 0, profilingMs: 0 };
const profiling: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) off.push(run(lines, false).ms);
  last = run(lines, true);
  on.push(last.ms);
  profiling.push(last.profilingMs);
  if (r % 2 === 1) off.push(run(lines, false).ms);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = new BasePipeline(schema, undefined, { windowMs: model.summary.windowMs });
lines.slice(0, 20_000).forEach((l, i) => p.add(i, { message: l, time: null, source: 'app' }));
const rows = p.flushAll().map((w) => w.features);
const perWindowUs = foldOnly(rows, p.featureNames, 200_000);
console.log(`records ${last.records}, windows ${last.windows}, columns ${p.featureNames.length}, reference templates ${Object.keys(reference.templates?.counts ?? {}).length}`);
console.log(`agent loop (parse, window, count) without profiling: median ${median(off).toFixed(1)} ms; with profiling: ${median(on).toFixed(1)} ms (${((median(on) / median(off) - 1) * 100).toFixed(1)} %)`);
console.log(`per window folded (LiveProfiler.add): ${perWindowUs.toFixed(2)} µs`);
// the per-record template count, alone
const ids = lines.slice(0, 1000).map((_, i) => `t${i % 6}`);
const counts = new Map<string, number>();
const c0 = performance.now();
for (let r = 0; r < 1000; r++) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
const perRecordNs = ((performance.now() - c0) / 1e6) * 1e6;
console.log(`per record counted (template id → lines): ${perRecordNs.toFixed(0)} ns`);
console.log(`time inside the profiling calls (fold windows + lines, drain): median ${median(profiling).toFixed(1)} ms of the loop's ${median(on).toFixed(1)} ms (${((median(profiling) / median(on)) * 100).toFixed(2)} %)`);
