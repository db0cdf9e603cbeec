import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import {
  HealthSubjects,
  InferenceSubjects,
  type PredictReply,
  type PredictRow,
  type ValidationReportDto,
} from '@loglens/contracts';
import { RpcClient, scatterGather } from '@loglens/nest-common';
import {
  connectTestNats,
  deployVersion,
  dropSchema,
  expectClose,
  flat,
  MODELS_DIR,
  modelBytes,
  modelJson,
  registerVersionReply,
  spawnService,
  waitFor,
  testDatabaseUrl,
  testNatsUrl,
  uniqueSchema,
  type NumpyJson,
  type RunningService,
} from '@loglens/testing';

interface GoldenCase {
  model: string;
  inputs: Record<string, { type: string; dims: number[]; data: Array<number | string> }>;
  outputs: Record<string, { type: string; dims: number[]; data: Array<number | string> }>;
}


/**
 * Every third-party export in data/onnx-models with expected data goes the way a user's upload goes: registered
 * and validated (test inference in a real worker), deployed, then scored through `inference.predict` — including
 * batched requests to the 2018 models whose batch dimension is fixed at 1.
 */
describe('third-party ONNX exports through the registry and a worker', () => {
  const schema = uniqueSchema('thirdparty');
  let nc: NatsConnection;
  let rpc: RpcClient;
  let registry: RunningService;
  let worker: RunningService;

  async function serve(file: string, metadata: Record<string, unknown> = {}): Promise<{ ref: string; report: ValidationReportDto }> {
    const name = file.split('/').pop()!.replace(/\..*$/, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
    const reg = await registerVersionReply(rpc, { model: name, onnx: modelBytes(file), metadata, createdBy: 'spec' });
    await deployVersion(rpc, reg.version.ref, { actor: 'spec' });
    // the deploy reaches the worker as an event: wait until the worker itself says it serves the version
    await waitFor(`the worker to serve ${reg.version.ref}`, async () => {
      const workers = (await scatterGather(nc, HealthSubjects.ping, 250)).filter((r) => r.service === 'inference-worker');
      return workers.length > 0 && workers.every((w) => (w.details?.['serving'] as Record<string, string> | undefined)?.[name] === reg.version.ref) ? true : undefined;
    }, { timeoutMs: 15_000 });
    return { ref: reg.version.ref, report: reg.validation! };
  }

  async function predict(ref: string, rows: PredictRow[]): Promise<PredictReply> {
    return rpc.call(InferenceSubjects.predict, { version: ref, rows }, { timeoutMs: 15_000 });
  }

  beforeAll(async () => {
    nc = await connectTestNats('third-party-int-spec');
    rpc = new RpcClient(nc, 30_000);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
  });

  afterAll(async () => {
    await worker?.stop();
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  const golden = modelJson<{ cases: GoldenCase[] }>('golden_outputs_ort_node.json').cases;

  it.each(golden.map((c) => [c.model, c] as const))('%s: validated, deployed, and predicts its recorded outputs', async (file, c) => {
    // treecl's input is [?, ?]: the uploader says how many features it takes
    const width = c.inputs[Object.keys(c.inputs)[0]].dims[1];
    const { ref, report } = await serve(file, file.includes('treecl') ? { featureCount: width } : {});
    expect(report.outcome).not.toBe('fail');
    expect(report.checks.find((k) => k.check === 'test-inference')?.outcome).toBe('pass');
    const names = Object.keys(c.inputs);
    const n = c.inputs[names[0]].dims[0];
    const rows: PredictRow[] =
      names.length === 1
        ? Array.from({ length: n }, (_, r) => c.inputs[names[0]].data.slice(r * width, (r + 1) * width) as number[])
        : Array.from({ length: n }, (_, r) => Object.fromEntries(names.map((k) => [k, c.inputs[k].data[r] === 'NaN' ? null : c.inputs[k].data[r]])));
    const reply = await predict(ref, rows);
    for (const [out, expected] of Object.entries(c.outputs)) expectClose(reply.outputs[out].data, expected.data, 1e-4);
  });

  const legacy = readdirSync(join(MODELS_DIR, 'sklearn_onnx_tests_2018'))
    .filter((f) => f.endsWith('.model.onnx'))
    .map((f) => f.replace(/\.model\.onnx$/, ''));

  it.each(legacy)('2018 %s: fixed batch detected, batched request served by splitting, expected outputs', async (name) => {
    const dir = 'sklearn_onnx_tests_2018';
    const data = modelJson<NumpyJson | Record<string, NumpyJson>>(`${dir}/${name}.data.json`);
    const expectedJson = modelJson<NumpyJson | NumpyJson[]>(`${dir}/${name}.expected.json`);
    const expected = Array.isArray(expectedJson) ? expectedJson[0] : expectedJson;
    const hasMissing = JSON.stringify(data).includes('null');
    const { ref, report } = await serve(`${dir}/${name}.model.onnx`, hasMissing ? { allowMissing: true } : {});
    expect(report.serving.fixedBatch).toBeGreaterThanOrEqual(1);
    let rows: PredictRow[];
    if ('dtype' in data) rows = data.data as PredictRow[];
    else {
      const fields = Object.entries(data as Record<string, NumpyJson>);
      rows = flat(fields[0][1].data).map((_, r) => Object.fromEntries(fields.map(([f, a]) => [f, flat(a.data)[r]])) as PredictRow);
    }
    expect(rows.length).toBeGreaterThan(1);
    const reply = await predict(ref, rows);
    const first = report.serving.tensorOutputs[0];
    expectClose(reply.outputs[first].data, flat(expected.data), 1e-4);
  });

  it('the worker is still healthy after all of it', () => {
    expect(worker.process.exitCode).toBeNull();
    expect(registry.process.exitCode).toBeNull();
  });
});
