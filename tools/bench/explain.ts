// Attribution cost: builds the default models (and log-anomaly as each of the trainer's other algorithms), explains
// 1,000 windows of each with libs/explain, and times it against onnxruntime scoring the same rows (one batch).
// Also checks every row's attributions sum to output − base. Writes the "Explanations" section of docs/benchmarks.md.
// Usage: npm run bench:explain [-- --windows 1000 --out docs/benchmarks.md]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { Explainer, scoreFromOutput } from '@loglens/explain';
import { buildLogAnomalyModel, trainWifiAnomaly, type Algorithm, loadHdfsDeeplog, loadWifiSamples, simulateWifiRows } from '@loglens/testing/models';
import { workspaceRoot } from '@loglens/testing/workspace';
import { replaceSection } from './doc-sections';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const WINDOWS = Number(arg('windows') ?? 1000);
const root = workspaceRoot();
const log = (line: string): void => console.error(`[bench:explain] ${line}`);

interface Row {
  model: string;
  kind: string;
  method: string;
  features: number;
  buildMs: number;
  explainMs: number;
  scoreMs: number;
  maxSumError: number;
  maxScoreError: number;
}

async function scoreMs(bytes: Uint8Array, rows: number[][]): Promise<{ ms: number; scores: number[] }> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const feed = { features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]) };
    await session.run(feed); // warm-up
    const started = performance.now();
    const out = await session.run(feed);
    return { ms: performance.now() - started, scores: Array.from(out['score'].data as Float32Array) };
  } finally {
    await session.release();
  }
}

async function measure(model: string, bytes: Uint8Array, rows: number[][]): Promise<Row> {
  let started = performance.now();
  const explainer = Explainer.fromOnnx(bytes);
  const buildMs = performance.now() - started;
  for (const r of rows.slice(0, 200)) explainer.explainRow(r); // warm-up (JIT), as a serving worker is
  started = performance.now();
  const explained = rows.map((r) => explainer.explainRow(r));
  const explainMs = performance.now() - started;
  const scored = await scoreMs(bytes, rows);
  let maxSumError = 0;
  let maxScoreError = 0;
  explained.forEach((e, i) => {
    const sum = e.attributions.reduce((s, a) => s + a.contribution, 0);
    maxSumError = Math.max(maxSumError, Math.abs(sum - (e.outputValue - e.baseValue)));
    const score = scoreFromOutput(explainer.info.link, e.outputValue) ?? NaN;
    maxScoreError = Math.max(maxScoreError, Math.abs(score - scored.scores[i]));
  });
  const row = { model, kind: explainer.info.kind, method: explainer.info.method, features: explainer.featureNames.length, buildMs, explainMs, scoreMs: scored.ms, maxSumError, maxScoreError };
  log(`${model}: ${(explainMs / rows.length * 1000).toFixed(1)} µs per window (${explainer.info.kind}, ${explainer.info.method})`);
  return row;
}

async function main(): Promise<void> {
  const began = Date.now();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const hdfs = loadHdfsDeeplog(root);
  const hdfsRows = Array.from({ length: WINDOWS }, (_, i) => hdfs.xTest[(i * 7919) % hdfs.xTest.length]);
  const { rows: wifi } = simulateWifiRows({ seed: 77, days: 1, samples: loadWifiSamples(root) });
  const wifiRows = Array.from({ length: WINDOWS }, (_, i) => wifi[(i * 7919) % wifi.length].vector);
  const rows: Row[] = [];
  log('training log-anomaly (boosted trees)');
  rows.push(await measure('log-anomaly (default, gbdt)', buildLogAnomalyModel({ root }).onnx, hdfsRows));
  log('training wifi-anomaly (isolation forest)');
  rows.push(await measure('wifi-anomaly (default, iforest + range guard)', trainWifiAnomaly({ root }).model.onnx, wifiRows));
  for (const algorithm of ['logreg', 'pca', 'iforest'] as Algorithm[]) {
    log(`training log-anomaly as ${algorithm}`);
    rows.push(await measure(`log-anomaly as ${algorithm}`, buildLogAnomalyModel({ root, algorithm }).onnx, hdfsRows));
  }
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  const fmt = (v: number, d = 1): string => v.toFixed(d);
  const table = [
    '| Model | Explainer | Features | Build (ms, once per version) | Explain 1,000 windows (ms) | µs per window | Score the same 1,000 in onnxruntime (ms, one batch) | max \\|Σ − (output − base)\\| | max \\|link(output) − ORT score\\| |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.kind} / ${r.method} | ${r.features} | ${fmt(r.buildMs)} | ${fmt((r.explainMs * 1000) / WINDOWS)} | ${fmt((r.explainMs / WINDOWS) * 1000)} | ${fmt((r.scoreMs * 1000) / WINDOWS, 2)} | ${r.maxSumError.toExponential(1)} | ${r.maxScoreError.toExponential(1)} |`,
    ),
  ].join('\n');
  console.log(table);
  const section = [
    '## Explanations',
    '',
    `Written by \`npm run bench:explain\` (tools/bench/explain.ts) on ${new Date().toISOString().slice(0, 10)} (${seconds} s, Node ${process.version},`,
    `${os.cpus().length} cores shared with other work, load average ${load} at start). Each default model, and log-anomaly`,
    `trained as the trainer's other algorithms, explains ${WINDOWS.toLocaleString('en')} windows (HDFS test sessions; one simulated WiFi day)`,
    'one row at a time in one thread after 200 warm-up rows, as a serving worker does for `explain: true`; "build" is reading the graph into the',
    'explainer, which the worker does once per loaded version. The last two columns are the exactness checks: the',
    'attributions sum to the explained output minus the base value, and the output through the model’s link is the',
    'score onnxruntime returns (float32).',
    '',
    table,
    '',
  ].join('\n');
  const out = path.resolve(arg('out') ?? path.join(root, 'docs/benchmarks.md'));
  const doc = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
  writeFileSync(out, replaceSection(doc, '## Explanations', section));
  log(`wrote the "Explanations" section of ${path.relative(root, out)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
