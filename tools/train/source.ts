// npm run train -- --from-file app.log --source myapp [--name <model>] [--out <dir>] [--window-ms <ms>] [--top-k <n>]
//                  [--register <gatewayUrl> --api-key <key> [--deploy] [--bind]]
// npm run train -- --from-stream --source myapp [--from <ISO>] [--to <ISO>] [--nats nats://…] [same options]
// A per-source model (libs/source-models) learned from a file or from the source's records in the LOGS stream, as the
// trainer app does for POST /model-management/models/{name}/train; written to <out>/model.onnx + metadata.json and
// optionally registered, deployed and bound through the gateway.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'nats';
import { SOURCE_NAME_PATTERN, type LogRecordInput } from '@loglens/contracts';
import { natsConnectOptions, readSourceLogs, recordsOfText } from '@loglens/nest-common';
import { trainSourceModel } from '@loglens/source-models';
import { ProgressBar } from './progress-bar';
import { bindSource, registerModel } from './register';

export const SOURCE_USAGE = `       npm run train -- --from-file <app.log> --source <name> [--name <model>] [--out <dir>] [--window-ms <ms>] [--top-k <n>]
                       [--register <gatewayUrl> --api-key <key> [--deploy] [--bind]]
       npm run train -- --from-stream --source <name> [--from <ISO>] [--to <ISO>] [--nats <url>] [--creds <nkey seed>] [same options]
  --from-file    NDJSON objects ({message, timestamp?, host?}) or plain log lines
  --from-stream  the source's records in the JetStream LOGS stream (logs.generic.<source> / logs.wifi.<site>), by message time;
                 on a NATS with credentials, --creds (or NATS_NKEY_FILE) is the trainer's seed, e.g.
                 .loglens/nats/credentials/loglens/trainer.nk`;

export class SourceUsageError extends Error {}

interface SourceArgs {
  file?: string;
  stream: boolean;
  source: string;
  name: string;
  out?: string;
  from?: string;
  to?: string;
  nats: string;
  creds?: string;
  windowMs?: number;
  topK?: number;
  register?: string;
  apiKey?: string;
  deploy: boolean;
  bind: boolean;
}

export function isSourceMode(argv: string[]): boolean {
  return argv.includes('--from-file') || argv.includes('--from-stream');
}

function parseSourceArgs(argv: string[]): SourceArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from-stream' || a === '--deploy' || a === '--bind') flags.add(a.slice(2));
    else if (a.startsWith('--') && i + 1 < argv.length) values.set(a.slice(2), argv[++i]);
    else throw new SourceUsageError(`unexpected argument '${a}'`);
  }
  const known = new Set(['from-file', 'source', 'name', 'out', 'from', 'to', 'nats', 'creds', 'window-ms', 'top-k', 'register', 'api-key']);
  for (const k of values.keys()) if (!known.has(k)) throw new SourceUsageError(`unknown option --${k}`);
  const source = values.get('source') ?? '';
  if (!SOURCE_NAME_PATTERN.test(source)) throw new SourceUsageError('--source must be 1-64 letters, digits, "_" or "-"');
  const file = values.get('from-file');
  const stream = flags.has('from-stream');
  if (Boolean(file) === stream) throw new SourceUsageError('give exactly one of --from-file <file> and --from-stream');
  const int = (k: string): number | undefined => {
    const v = values.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new SourceUsageError(`--${k} must be a positive integer`);
    return n;
  };
  for (const k of ['from', 'to']) {
    const v = values.get(k);
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new SourceUsageError(`--${k} must be an ISO 8601 time`);
    if (v !== undefined && !stream) throw new SourceUsageError(`--${k} applies to --from-stream`);
  }
  const args: SourceArgs = {
    file,
    stream,
    source,
    name: values.get('name') ?? `${source.toLowerCase().replace(/_/g, '-')}-anomaly`,
    out: values.get('out'),
    from: values.get('from'),
    to: values.get('to'),
    nats: values.get('nats') ?? process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    creds: values.get('creds') ?? process.env['NATS_NKEY_FILE'],
    windowMs: int('window-ms'),
    topK: int('top-k'),
    register: values.get('register'),
    apiKey: values.get('api-key'),
    deploy: flags.has('deploy'),
    bind: flags.has('bind'),
  };
  if (args.register && !args.apiKey) throw new SourceUsageError('--register needs --api-key');
  if ((args.deploy || args.bind) && !args.register) throw new SourceUsageError('--deploy and --bind need --register');
  return args;
}

export async function trainSource(argv: string[]): Promise<void> {
  const args = parseSourceArgs(argv);
  const bar = new ProgressBar();
  let records: LogRecordInput[];
  if (args.file) {
    records = recordsOfText(readFileSync(args.file, 'utf8'));
    if (records.length === 0) throw new Error(`${args.file} holds no log lines`);
  } else {
    // it reads LOGS back as the trainer app does, so it uses the trainer's credential on a NATS with permissions
    const nc = await connect({ ...natsConnectOptions('trainer', { ...process.env, ...(args.creds ? { NATS_NKEY_FILE: args.creds } : {}) }), servers: args.nats, name: 'loglens-train' });
    try {
      const read = await readSourceLogs(nc, [args.source], {
        from: args.from ? Date.parse(args.from) : undefined,
        to: args.to ? Date.parse(args.to) : undefined,
        maxLines: 5_000_000,
        onProgress: (d, t) => bar.update('reading LOGS', d, t),
      });
      records = read.records;
    } finally {
      await nc.close();
    }
    if (records.length === 0) throw new Error(`no log lines for source ${args.source} between ${args.from ?? 'the oldest kept message'} and ${args.to ?? 'now'} in the LOGS stream at ${args.nats}`);
  }
  const started = performance.now();
  const model = trainSourceModel({
    sources: [args.source],
    records,
    ...(args.windowMs ? { windowMs: args.windowMs } : {}),
    ...(args.topK ? { topK: args.topK } : {}),
    onProgress: (stage, done, total) => bar.update(stage, done, total),
  });
  bar.done();
  const out = args.out ?? path.join('tmp/models', args.name);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'model.onnx'), model.onnx);
  const metadata = { ...model.metadata, trainingInput: args.file ? { file: path.basename(args.file) } : { stream: 'LOGS', from: args.from ?? null, to: args.to ?? null } };
  writeFileSync(path.join(out, 'metadata.json'), `${JSON.stringify({ name: args.name, metadata }, null, 2)}\n`);
  const s = model.summary;
  console.log(`${args.name} (${s.algorithm}): ${model.onnx.length} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.resolve(out)}`);
  console.log(`${s.lines} lines, ${s.windows} windows of ${s.windowMs / 1000} s, ${s.vocabulary} of ${s.templates} templates as columns, ${s.from ?? '?'} … ${s.to ?? '?'}`);
  console.log(`threshold ${s.threshold.toFixed(4)}; ${(s.trainingAnomalyRate * 100).toFixed(2)} % of training windows above it`);
  if (args.register && args.apiKey) {
    const r = await registerModel({ gatewayUrl: args.register, apiKey: args.apiKey, name: args.name, onnx: model.onnx, metadata, deploy: args.deploy, reason: `trained on ${args.source} by npm run train` });
    console.log(`registered ${r.ref}${r.duplicateOf ? ` (same bytes as ${r.duplicateOf})` : ''}, validation ${r.validation ?? 'pending'}`);
    if (r.deployed) console.log(`deployed ${r.deployed.to}${r.deployed.from ? ` (was ${r.deployed.from})` : ''}`);
    if (args.bind) {
      const b = await bindSource({ gatewayUrl: args.register, apiKey: args.apiKey, source: args.source, model: args.name });
      console.log(`bound source ${b.source} → ${b.model} (${b.agent} agent)`);
    }
  }
}
