// npm run train -- --from-file app.log --source myapp … | --from-stream --source myapp …  (per-source models: source.ts)
// npm run train -- --model log-anomaly|wifi-anomaly [--algorithm gbdt|logreg|pca|iforest] [--out <dir>] [--name <name>]
//                  [--days <n>] [--seed <n>] [--register <gatewayUrl> --api-key <key> [--deploy]]
// Trains in TypeScript, writes <out>/model.onnx and <out>/metadata.json (feature schema, scaler, threshold, baseline
// quantiles, metrics) and can upload and deploy the result through the gateway. Progress goes to stderr.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALGORITHMS, Algorithm, DefaultModel, buildLogAnomalyModel, buildWifiAnomalyModel } from '@loglens/testing/models';
import { ProgressBar } from './progress-bar';
import { registerModel } from './register';
import { SOURCE_USAGE, SourceUsageError, isSourceMode, trainSource } from './source';

const USAGE = `usage: npm run train -- --model log-anomaly|wifi-anomaly [--algorithm ${ALGORITHMS.join('|')}] [--out <dir>]
                       [--name <registry name>] [--days <n>] [--seed <n>]
                       [--register <gatewayUrl> --api-key <key> [--deploy]]
  log-anomaly   HDFS block sessions (data/hdfs-deeplog); algorithms gbdt (default), logreg, pca, iforest
  wifi-anomaly  simulated WiFi office days + real samples (data/wifi); algorithms iforest (default), pca
${SOURCE_USAGE}`;

interface Args {
  model: 'log-anomaly' | 'wifi-anomaly';
  algorithm?: Algorithm;
  out?: string;
  name?: string;
  days?: number;
  seed?: number;
  register?: string;
  apiKey?: string;
  deploy: boolean;
}

function parseArgs(argv: string[]): Args {
  const values = new Map<string, string>();
  let deploy = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--deploy') deploy = true;
    else if (flag === '--help' || flag === '-h') throw new UsageError('');
    else if (flag.startsWith('--') && i + 1 < argv.length) values.set(flag.slice(2), argv[++i]);
    else throw new UsageError(`unexpected argument '${flag}'`);
  }
  const known = new Set(['model', 'algorithm', 'out', 'name', 'days', 'seed', 'register', 'api-key']);
  for (const k of values.keys()) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
  const model = values.get('model');
  if (model !== 'log-anomaly' && model !== 'wifi-anomaly') throw new UsageError('--model must be log-anomaly or wifi-anomaly');
  const algorithm = values.get('algorithm');
  if (algorithm !== undefined && !(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new UsageError(`--algorithm must be one of ${ALGORITHMS.join(', ')}`);
  }
  const int = (k: string): number | undefined => {
    const v = values.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${k} must be a positive integer`);
    return n;
  };
  const args: Args = {
    model,
    algorithm: algorithm as Algorithm | undefined,
    out: values.get('out'),
    name: values.get('name'),
    days: int('days'),
    seed: int('seed'),
    register: values.get('register'),
    apiKey: values.get('api-key'),
    deploy,
  };
  if (args.register && !args.apiKey) throw new UsageError('--register needs --api-key');
  if (args.deploy && !args.register) throw new UsageError('--deploy needs --register');
  return args;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  if (isSourceMode(argv)) {
    try {
      await trainSource(argv);
    } catch (e) {
      if (!(e instanceof SourceUsageError)) throw e;
      console.error(`train: ${e.message}`);
      console.error(USAGE);
      process.exitCode = 2;
    }
    return;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`train: ${e.message}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const bar = new ProgressBar();
  const onProgress = (stage: string, done: number, total: number): void => bar.update(stage, done, total);
  const started = performance.now();
  const model: DefaultModel =
    args.model === 'log-anomaly'
      ? buildLogAnomalyModel({ algorithm: args.algorithm, name: args.name, onProgress })
      : buildWifiAnomalyModel({ algorithm: args.algorithm, name: args.name, days: args.days, seed: args.seed, onProgress });
  bar.done();
  const out = args.out ?? path.join('tmp/models', model.name);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'model.onnx'), model.onnx);
  const described = { name: model.name, task: model.task, description: model.description, metadata: model.metadata };
  writeFileSync(path.join(out, 'metadata.json'), `${JSON.stringify(described, null, 2)}\n`);
  const m = model.metadata;
  console.log(`${model.name} (${m.training.algorithmName}): ${model.onnx.length} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.resolve(out)}`);
  console.log(`threshold ${m.threshold} (${m.thresholdRule})`);
  for (const [split, v] of Object.entries(m.metrics)) {
    if (typeof v === 'string') continue;
    const fields = Object.entries(v)
      .map(([k, x]) => `${k} ${Number.isInteger(x) ? x : x.toFixed(4)}`)
      .join(', ');
    console.log(`${split}: ${fields}`);
  }
  if (args.register && args.apiKey) {
    const r = await registerModel({
      gatewayUrl: args.register,
      apiKey: args.apiKey,
      name: model.name,
      onnx: model.onnx,
      metadata: described.metadata as unknown as Record<string, unknown>,
      deploy: args.deploy,
    });
    console.log(`registered ${r.ref}${r.duplicateOf ? ` (same bytes as ${r.duplicateOf})` : ''}, validation ${r.validation ?? 'pending'}`);
    if (r.deployed) console.log(`deployed ${r.deployed.to}${r.deployed.from ? ` (was ${r.deployed.from})` : ''}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
