// The two models LogLens deploys on first start, rebuilt from data/ alone, deterministically (same bytes every run):
//   log-anomaly   gradient-boosted trees on per-block HDFS event counts (data/hdfs-deeplog, train half)
//   wifi-anomaly  isolation forest (with a training-range guard) on per-AP 5-minute WiFi windows of five simulated
//                 office days (tools/sim) mixed with the real samples of data/wifi
// The recipes are in @loglens/testing/models (libs/testing/src/lib/models), shared with the specs.
// CLI: node tools/ts-run.mjs tools/models/default-models.ts --out <dir>  → <dir>/<name>/{model.onnx,metadata.json}
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildDefaultModels } from '@loglens/testing/models';

function main(argv: string[]): void {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (!out) {
    console.error('usage: node tools/ts-run.mjs tools/models/default-models.ts --out <dir>');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const models = buildDefaultModels();
  const elapsed = performance.now() - started;
  for (const m of models) {
    const dir = path.join(out, m.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'model.onnx'), m.onnx);
    writeFileSync(path.join(dir, 'metadata.json'), `${JSON.stringify({ name: m.name, task: m.task, description: m.description, metadata: m.metadata }, null, 2)}\n`);
    console.log(`${m.name}: ${m.onnx.length} bytes, threshold ${m.metadata.threshold.toFixed(6)} → ${path.resolve(dir)}`);
  }
  console.log(`built ${models.length} models in ${elapsed.toFixed(0)} ms`);
}

// tools/ts-run.mjs names the bundle after the entry and loads it with import(), leaving require.main unset
const ranByTsRun = require.main === undefined && /(^|[\\/_])default-models\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (require.main === module || ranByTsRun) main(process.argv.slice(2));
