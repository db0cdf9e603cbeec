// KServe v2 infer through the gateway, JSON against the binary data extension (issue 15, item 3): 256 rows × 32
// float32 features per request, the JSON form (request and reply JSON) and the binary form (request and reply bytes,
// `Inference-Header-Content-Length`), ABBA-interleaved at each concurrency so the ratio compares cells measured seconds
// apart on this shared machine.
//
//   npm run bench:v2-binary            (starts its own stack with `npm start`'s launcher, built apps needed)
//   npm run bench:v2-binary -- --quick
//
// `v2BinaryRows` is what the main bench calls with a running gateway whose `model` takes [N, 32] FP32 `inputName`.
import { Agent, request as httpRequest } from 'node:http';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { StackProcess, uniqueSchema, waitFor } from '@loglens/testing';
import { loadAverage, machine, QUICK, REQUEST_TIMEOUT_MS, runLoad, table, type CellResult, type Pids, type Row } from './lib/measure';

export const V2_BINARY_ROWS = 256;
export const V2_BINARY_FEATURES = 32;

/** The model both forms are measured on: a logistic regression over V2_BINARY_FEATURES FP32 inputs (`features`). */
export function v2BinaryModel(): Uint8Array {
  const f = V2_BINARY_FEATURES;
  return writeLogisticRegressionModel({
    featureNames: Array.from({ length: f }, (_, i) => `f${i}`),
    mean: new Array<number>(f).fill(0),
    scale: new Array<number>(f).fill(1),
    weights: Array.from({ length: f }, (_, i) => ((i % 7) - 3) / 10),
    bias: 0.1,
  });
}

export interface V2BinaryOptions {
  port: number;
  apiKey: string;
  /** a served model taking [N, 32] FP32 on `inputName` */
  model: string;
  inputName: string;
  concurrencies?: number[];
  pids?: Pids;
  log?: (line: string) => void;
}

/** The JSON and binary bodies of one 256 × 32 request (float32 values, written in JSON as the doubles they are). */
export function v2BinaryBodies(inputName: string): { json: Buffer; binary: Buffer; headerLength: number } {
  const values = new Float32Array(V2_BINARY_ROWS * V2_BINARY_FEATURES);
  let seed = 42;
  for (let i = 0; i < values.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    values[i] = (seed / 2 ** 31) * 4 - 2;
  }
  const shape = [V2_BINARY_ROWS, V2_BINARY_FEATURES];
  const json = Buffer.from(JSON.stringify({ inputs: [{ name: inputName, datatype: 'FP32', shape, data: Array.from(values) }] }));
  const header = Buffer.from(
    JSON.stringify({ inputs: [{ name: inputName, datatype: 'FP32', shape, parameters: { binary_data_size: values.byteLength } }], parameters: { binary_data_output: true } }),
  );
  return { json, binary: Buffer.concat([header, Buffer.from(values.buffer)]), headerLength: header.length };
}

/** A POST answered 200, its body as bytes (both forms are read whole, the JSON one parsed as a client would). */
function post(agent: Agent, port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${all.toString('utf8').slice(0, 200)}`));
        resolve(all);
      });
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no HTTP answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Rows for the bench table: at each concurrency, JSON and binary cells in the order JSON, binary, binary, JSON (ABBA),
 * each form's two cells pooled; the binary row's note carries the ratio of its rows/s to the JSON form's.
 */
export async function v2BinaryRows(opts: V2BinaryOptions): Promise<{ rows: Row[]; ratios: Record<number, number> }> {
  const { json, binary, headerLength } = v2BinaryBodies(opts.inputName);
  const path = `/v2/models/${opts.model}/infer`;
  const rows: Row[] = [];
  const ratios: Record<number, number> = {};
  for (const c of opts.concurrencies ?? [1, 16]) {
    const agent = new Agent({ keepAlive: true, maxSockets: c });
    const sendJson = async () => {
      const reply = JSON.parse((await post(agent, opts.port, path, json, { 'content-type': 'application/json', 'x-api-key': opts.apiKey })).toString('utf8')) as { outputs: Array<{ data: number[] }> };
      if (reply.outputs[0].data.length !== V2_BINARY_ROWS) throw new Error('JSON reply without a score per row');
    };
    const sendBinary = async () => {
      const reply = await post(agent, opts.port, path, binary, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength), 'x-api-key': opts.apiKey });
      if (reply.length < V2_BINARY_ROWS * 4) throw new Error('binary reply without a score per row');
    };
    // warm both paths (JIT, sockets) before anything is counted
    await runLoad(c, sendJson, { warmupMs: 0, durationMs: QUICK ? 300 : 700 });
    await runLoad(c, sendBinary, { warmupMs: 0, durationMs: QUICK ? 300 : 700 });
    const cells: Record<'json' | 'binary', CellResult[]> = { json: [], binary: [] };
    for (const form of ['json', 'binary', 'binary', 'json'] as const) {
      opts.log?.(`v2 infer ${form}, c=${c} (load ${loadAverage()})`);
      cells[form].push(await runLoad(c, form === 'json' ? sendJson : sendBinary, { pids: opts.pids }));
    }
    agent.destroy();
    const [j, b] = [pool(cells.json), pool(cells.binary)];
    ratios[c] = b.rps / j.rps;
    rows.push({ scenario: 'gateway v2 infer, JSON', model: `${V2_BINARY_ROWS}×${V2_BINARY_FEATURES} FP32`, batching: '–', c, r: j, rowsPerRequest: V2_BINARY_ROWS });
    rows.push({
      scenario: 'gateway v2 infer, binary tensors',
      model: `${V2_BINARY_ROWS}×${V2_BINARY_FEATURES} FP32`,
      batching: '–',
      c,
      r: b,
      rowsPerRequest: V2_BINARY_ROWS,
      note: `${ratios[c].toFixed(2)}× the JSON form's rows/s (ABBA-paired)`,
    });
  }
  return { rows, ratios };
}

/** Two or more cells of one form as one: requests and seconds summed, latencies and CPU the request-weighted means. */
function pool(cells: CellResult[]): CellResult {
  const requests = cells.reduce((n, x) => n + x.requests, 0);
  const seconds = cells.reduce((n, x) => n + x.seconds, 0);
  const mean = (k: 'p50' | 'p99') => cells.reduce((n, x) => n + x[k] * x.requests, 0) / Math.max(1, requests);
  const labels = [...new Set(cells.flatMap((x) => Object.keys(x.cpuUs ?? {})))];
  const cpuUs = labels.length ? Object.fromEntries(labels.map((l) => [l, cells.reduce((n, x) => n + (x.cpuUs?.[l] ?? 0) * x.requests, 0) / Math.max(1, requests)])) : undefined;
  return {
    requests,
    failed: cells.reduce((n, x) => n + x.failed, 0),
    seconds,
    rps: requests / seconds,
    p50: mean('p50'),
    p99: mean('p99'),
    firstError: cells.find((x) => x.firstError)?.firstError,
    ...(cpuUs ? { cpuUs } : {}),
  };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[bench:v2-binary] ${line}`);
  const viewer = 'viewer-bench-v2-binary';
  const operator = 'operator-bench-v2-binary';
  const stack = new StackProcess();
  log('starting the stack (npm start, built apps)');
  await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('bench_v2_binary'), API_KEYS: `viewer:${viewer},operator:${operator}`, LOGLENS_SEED_MODELS: '0' });
  try {
    const model = v2BinaryModel();
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(model)]), 'wide.onnx');
    const up = await fetch(`${stack.url}/model-management/models/wide/versions`, { method: 'POST', headers: { 'x-api-key': operator }, body: form });
    if (up.status !== 201) throw new Error(`upload: HTTP ${up.status} ${await up.text()}`);
    const dep = await fetch(`${stack.url}/model-management/wide@1/deploy`, { method: 'POST', headers: { 'x-api-key': operator, 'content-type': 'application/json' }, body: '{"reason":"bench"}' });
    if (dep.status !== 200) throw new Error(`deploy: HTTP ${dep.status} ${await dep.text()}`);
    const { json } = v2BinaryBodies('features');
    await waitFor('the worker serves wide@1', async () => {
      const r = await fetch(`${stack.url}/v2/models/wide/infer`, { method: 'POST', headers: { 'x-api-key': viewer, 'content-type': 'application/json' }, body: new Uint8Array(json) });
      return r.status === 200 ? true : undefined;
    });
    const pids = stack.pids();
    const { rows, ratios } = await v2BinaryRows({
      port: stack.port,
      apiKey: viewer,
      model: 'wide',
      inputName: 'features',
      concurrencies: [1, 16],
      pids: { gateway: pids.services['gateway'], worker: pids.services['inference-worker'], client: process.pid },
      log,
    });
    console.log(`\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join('\n')}\nload average after: ${loadAverage()}\n`);
    console.log(table(rows));
    console.log(`\nbinary ÷ JSON rows/s: ${Object.entries(ratios).map(([c, r]) => `c=${c} ${r.toFixed(2)}×`).join(', ')}`);
  } finally {
    await stack.interrupt();
  }
}

// ts-run bundles the entry point, which leaves require.main unset: match the file name, so the main bench importing
// v2BinaryRows does not run this
const ranByTsRun = require.main === undefined && /(^|[\\/_])v2-binary\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (require.main === module || ranByTsRun) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
