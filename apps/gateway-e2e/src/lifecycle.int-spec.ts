import { onnx } from 'onnx-proto';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import type { ErrorBody, HistoryReply, ListModelsReply, ModelVersionDto, PredictReply, ValidationReportDto } from '@loglens/contracts';
import { StackProcess, uniqueSchema, eventsUrl, waitFor } from '@loglens/testing';
import { arrayRows, goldenCase, modelFile, namedRows } from './golden';

const VIEWER = 'viewer-key-e2e-1';
const OPERATOR = 'operator-key-e2e-1';

interface UploadReply {
  version: ModelVersionDto;
  duplicateOf: string | null;
  validation: ValidationReportDto | null;
}

describe('model lifecycle through the REST API, as an operator during an incident', () => {
  const stack = new StackProcess();

  async function call<T>(method: string, route: string, key: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${stack.url}${route}`, {
      method,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function upload(name: string, file: Buffer, metadata?: unknown, key: string | null = OPERATOR): Promise<{ status: number; body: UploadReply & Partial<ErrorBody> }> {
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(file)]), `${name}.onnx`);
    if (metadata !== undefined) form.append('metadata', JSON.stringify(metadata));
    const res = await fetch(`${stack.url}/model-management/models/${name}/versions`, { method: 'POST', headers: key ? { 'x-api-key': key } : {}, body: form });
    return { status: res.status, body: (await res.json()) as UploadReply & Partial<ErrorBody> };
  }

  async function predict(body: unknown): Promise<PredictReply> {
    const r = await call<PredictReply>('POST', '/api/v1/models/predict', VIEWER, body);
    if (r.status !== 200) throw new Error(`predict failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  beforeAll(async () => {
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_lifecycle'), API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`, LOGLENS_SEED_MODELS: '0' });
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('uploads rf_iris with a validation report that explains the ZipMap output and the worker test inference', async () => {
    const { status, body } = await upload('iris', modelFile('sklearn_onnx_docs/rf_iris.onnx'), { description: 'random forest on iris' });
    expect(status).toBe(201);
    expect(body.version).toMatchObject({ ref: 'iris@1', status: 'validated' });
    const checks = Object.fromEntries(body.validation!.checks.map((c) => [c.check, c]));
    expect(checks['outputs']).toMatchObject({ outcome: 'warn', message: expect.stringMatching(/output_probability/) });
    expect(checks['test-inference']).toMatchObject({ outcome: 'pass' });
    const report = await call<ValidationReportDto>('GET', '/model-management/iris@1/validation', VIEWER);
    expect(report.body.checks.length).toBe(body.validation!.checks.length);
    const again = await upload('iris', modelFile('sklearn_onnx_docs/rf_iris.onnx'));
    expect(again.status).toBe(200);
    expect(again.body.duplicateOf).toBe('iris@1');
  });

  it('deploys it and predicts the expected labels', async () => {
    expect((await call('POST', '/model-management/iris@1/deploy', OPERATOR, { reason: 'first model' })).status).toBe(200);
    const golden = goldenCase('sklearn_onnx_docs/rf_iris.onnx');
    const reply = await waitForVersion('iris@1', () => predict({ model: 'iris', rows: arrayRows(golden.inputs['float_input']) }));
    expect(reply.outputs['output_label'].data).toEqual(golden.outputs['output_label'].data);
  });

  it('deploys another version, rolls back, and reads the whole story in the history', async () => {
    const v2 = await upload('iris', modelFile('sklearn_onnx_docs/logreg_iris.onnx'));
    expect(v2.status).toBe(201);
    expect((await call('POST', '/api/v1/models/iris@2/deploy', OPERATOR, { reason: 'lighter model' })).status).toBe(200);
    const golden2 = goldenCase('sklearn_onnx_docs/logreg_iris.onnx');
    await waitForVersion('iris@2', () => predict({ model: 'iris', rows: arrayRows(golden2.inputs['X']) }));
    const back = await call<{ from: string; to: string }>('POST', '/model-management/rollback', OPERATOR, { model: 'iris', reason: 'labels drifted' });
    expect(back.body).toMatchObject({ from: 'iris@2', to: 'iris@1' });
    const golden = goldenCase('sklearn_onnx_docs/rf_iris.onnx');
    const reply = await waitForVersion('iris@1', () => predict({ model: 'iris', rows: arrayRows(golden.inputs['float_input']) }));
    expect(reply.outputs['output_label'].data).toEqual([0, 1, 2]);
    const history = await call<HistoryReply>('GET', '/model-management/history?model=iris', VIEWER);
    expect(history.body.entries.map((e) => [e.action, e.from, e.to, e.reason])).toEqual([
      ['rollback', 'iris@2', 'iris@1', 'labels drifted'],
      ['deploy', 'iris@1', 'iris@2', 'lighter model'],
      ['deploy', null, 'iris@1', 'first model'],
    ]);
    expect(history.body.entries.every((e) => e.actor.startsWith('operator:'))).toBe(true);
  });

  it('serves pipeline_titanic_nozipmap (string, int64 and float inputs) from named-field rows', async () => {
    expect((await upload('titanic', modelFile('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx'))).status).toBe(201);
    await call('POST', '/model-management/titanic@1/deploy', OPERATOR, {});
    const golden = goldenCase('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx');
    const reply = await waitForVersion('titanic@1', () => predict({ model: 'titanic', rows: namedRows(golden.inputs) }));
    expect(reply.outputs['label'].data).toEqual(golden.outputs['label'].data);
    (reply.outputs['probabilities'].data as number[]).forEach((p, i) => expect(p).toBeCloseTo(golden.outputs['probabilities'].data[i] as number, 4));
  });

  it('serves the one-class SVM anomaly scores within 1e-4', async () => {
    expect((await upload('ocsvm', modelFile('sklearn_onnx_anomaly/sk_OCSVM.onnx'))).status).toBe(201);
    await call('POST', '/model-management/ocsvm@1/deploy', OPERATOR, {});
    const golden = goldenCase('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    const reply = await waitForVersion('ocsvm@1', () => predict({ model: 'ocsvm', rows: arrayRows(golden.inputs['input']) }));
    reply.scores.forEach((s, i) => expect(s).toBeCloseTo(golden.outputs['scores'].data[i] as number, 4));
  });

  it('explains the one-class SVM’s scores (no exact explainer for an SVM: sampled, flagged approximate) over REST and KServe v2', async () => {
    const golden = goldenCase('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    const rows = arrayRows(golden.inputs['input']);
    type Explained = PredictReply & { explanations: Array<{ approximate: boolean; method: string; baseValue: number; outputValue: number; attributions: Array<{ feature: string; contribution: number; reference?: number }> }> };
    const checkRows = (reply: Explained): void => {
      expect(reply.explanations).toHaveLength(rows.length);
      reply.explanations.forEach((e, i) => {
        expect(e).toMatchObject({ method: 'permutation', approximate: true });
        // the sampled values still sum exactly to the returned score minus the score at the reference row
        const sum = e.attributions.reduce((a, x) => a + x.contribution, 0);
        expect(Math.abs(sum - (e.outputValue - e.baseValue))).toBeLessThan(1e-6);
        expect(e.outputValue).toBeCloseTo(reply.scores[i], 5);
        expect(e.attributions.every((x) => x.reference === 0)).toBe(true);
      });
    };
    const explained = await call<Explained>('POST', '/api/v1/models/ocsvm/explain', VIEWER, { rows });
    expect(explained.status).toBe(200);
    checkRows(explained.body);
    const viaPredict = await predict({ model: 'ocsvm', rows, explain: true });
    checkRows(viaPredict as Explained);
    expect(await predict({ model: 'ocsvm', rows })).not.toHaveProperty('explanations');
    // explainTop: each row keeps its largest attribution, and attributionSum is the whole list's sum
    type Cut = Explained & { explanations: Array<Explained['explanations'][number] & { attributionSum: number }> };
    const checkCut = (reply: Cut, full: Explained): void =>
      reply.explanations.forEach((e, i) => {
        const whole = full.explanations[i].attributions;
        const largest = whole.reduce((a, x) => (Math.abs(x.contribution) > Math.abs(a.contribution) ? x : a));
        expect(e.attributions).toHaveLength(1);
        expect(Math.abs(e.attributions[0].contribution)).toBeCloseTo(Math.abs(largest.contribution), 9);
        expect(e.attributionSum).toBeCloseTo(e.outputValue - e.baseValue, 6);
      });
    checkCut((await predict({ model: 'ocsvm', rows, explain: true, explainTop: 1 })) as Cut, viaPredict as Explained);
    const cut = await call<Cut>('POST', '/api/v1/models/ocsvm/explain', VIEWER, { rows, explainTop: 1 });
    expect(cut.status).toBe(200);
    checkCut(cut.body, explained.body);
    for (const body of [{ model: 'ocsvm', rows, explain: true, explainTop: 0 }, { model: 'ocsvm', rows, explain: true, explainTop: 1.5 }]) {
      const refused = await call<{ message: string }>('POST', '/api/v1/models/predict', VIEWER, body);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/explainTop must be an integer of at least 1/);
    }
    const refusedExplain = await call<{ message: string }>('POST', '/api/v1/models/ocsvm/explain', VIEWER, { rows, explainTop: 0 });
    expect(refusedExplain.status).toBe(400);
    expect(refusedExplain.body.message).toMatch(/explainTop must be an integer of at least 1/);
    const bad = await call<{ code: string; message: string }>('POST', '/api/v1/models/predict', VIEWER, { model: 'ocsvm', rows, explain: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/explain must be a boolean/);
    const infer = await call<{ parameters: { explanations: Explained['explanations'] }; outputs: Array<{ name: string; data: number[] }> }>('POST', '/v2/models/ocsvm/infer', VIEWER, {
      inputs: [{ name: 'input', datatype: 'FP32', shape: [rows.length, 3], data: golden.inputs['input'].data }],
      parameters: { explain: true },
    });
    expect(infer.status).toBe(200);
    const scores = infer.body.outputs.find((o) => o.name === 'scores')!.data;
    infer.body.parameters.explanations.forEach((e, i) => expect(e.outputValue).toBeCloseTo(scores[i], 5));
  });

  it('refuses a truncated file, a feature-count mismatch and external data with a clear report, and stores nothing', async () => {
    const file = modelFile('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    const truncated = await upload('broken', file.subarray(0, Math.floor(file.length * 0.6)));
    expect(truncated.status).toBe(422);
    expect(truncated.body.details?.[0]).toMatch(/^fail: protobuf: The file is not a readable ONNX model/);
    expect(truncated.body.checks?.[0]).toMatchObject({ check: 'protobuf', outcome: 'fail', message: expect.stringMatching(/^The file is not a readable ONNX model/) });
    const mismatch = await upload('broken', file, { featureSchema: { version: 'v1', features: [{ name: 'a' }, { name: 'b' }] } });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toMatch(/lists 2 features but input "input" takes 3/);
    const external = await upload('broken', withExternalData('../../etc/passwd'));
    expect(external.status).toBe(422);
    expect(external.body.details?.find((d) => d.startsWith('fail: external-data'))).toMatch(/\.\.\/\.\.\/etc\/passwd.*file-read hole/);
    expect(external.body.checks?.find((c) => c.check === 'external-data')).toMatchObject({ outcome: 'fail', message: expect.stringMatching(/file-read hole/) });
    const { body } = await call<ListModelsReply>('GET', '/api/v1/models', VIEWER);
    expect(body.models.find((m) => m.name === 'broken')).toBeUndefined();
  });

  it('asks for an operator key to change anything', async () => {
    expect((await upload('iris', modelFile('sklearn_onnx_docs/rf_iris.onnx'), undefined, null)).status).toBe(401);
    expect((await upload('iris', modelFile('sklearn_onnx_docs/rf_iris.onnx'), undefined, VIEWER)).status).toBe(403);
    expect((await call('POST', '/model-management/rollback', VIEWER, { model: 'iris' })).status).toBe(403);
    expect((await call('POST', '/model-management/iris@99/deploy', OPERATOR, {})).status).toBe(404);
  });

  it('speaks the Open Inference Protocol (KServe v2)', async () => {
    expect((await fetch(`${stack.url}/v2/health/ready`)).status).toBe(200);
    const meta = await call<{ name: string; versions: string[]; inputs: Array<{ name: string; datatype: string; shape: number[] }> }>('GET', '/v2/models/iris', VIEWER);
    expect(meta.body).toMatchObject({ name: 'iris', inputs: [{ name: 'float_input', datatype: 'FP32', shape: [-1, 4] }] });
    const golden = goldenCase('sklearn_onnx_docs/rf_iris.onnx');
    const infer = await call<{ model_name: string; model_version: string; outputs: Array<{ name: string; data: number[] }> }>(
      'POST',
      '/v2/models/iris/versions/1/infer',
      VIEWER,
      { inputs: [{ name: 'float_input', datatype: 'FP32', shape: [3, 4], data: golden.inputs['float_input'].data }], outputs: [{ name: 'output_label' }] },
    );
    expect(infer.status).toBe(200);
    expect(infer.body).toMatchObject({ model_name: 'iris', model_version: '1', outputs: [{ name: 'output_label', data: [0, 1, 2] }] });
    const bad = await call<{ code: string; message: string }>('POST', '/v2/models/iris/infer', VIEWER, { inputs: [{ name: 'float_input', datatype: 'FP99', shape: [1], data: [1] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/datatype must be one of/);
  });

  it('exposes Prometheus metrics and the per-version performance figures', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/loglens_inference_requests_total\{[^}]*model="iris"/);
    expect(text).toMatch(/loglens_inference_request_duration_seconds_bucket/);
    expect(text).toMatch(/loglens_http_requests_total/);
    const perf = await call<{ versions: Array<{ ref: string; requests: { success: number }; avgBatchSize: number; latencyMs: { p50: number } }>; workers: Array<{ rssBytes: number }> }>(
      'GET',
      '/model-management/performance',
      VIEWER,
    );
    const iris = perf.body.versions.find((v) => v.ref === 'iris@1')!;
    expect(iris.requests.success).toBeGreaterThan(0);
    expect(iris.avgBatchSize).toBeGreaterThanOrEqual(1);
    expect(perf.body.workers[0].rssBytes).toBeGreaterThan(0);
  });

  it('streams deploys to SSE clients as they happen', async () => {
    const controller = new AbortController();
    const res = await fetch(await eventsUrl(stack.url, VIEWER), { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    await call('POST', '/model-management/iris@2/deploy', OPERATOR, { reason: 'watch it live' });
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!text.includes('version-deployed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toMatch(/event: registry\.events\.version-deployed\.v1/);
    expect(text).toMatch(/"serving":\{[^}]*"ref":"iris@2"/);
  });
});

/** A small valid model whose weights are moved to an external file at `location` (a path-traversal attempt). */
function withExternalData(location: string): Buffer {
  const model = onnx.ModelProto.decode(writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 }));
  const init = model.graph!.initializer![0];
  init.rawData = new Uint8Array();
  init.floatData = [];
  init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  init.externalData = [new onnx.StringStringEntryProto({ key: 'location', value: location })];
  return Buffer.from(onnx.ModelProto.encode(model).finish());
}

/** A deploy reaches the workers by event: poll until they answer with the new version. */
async function waitForVersion(ref: string, call: () => Promise<PredictReply>): Promise<PredictReply> {
  return waitFor(`${ref} to serve`, async () => {
    const reply = await call().catch(() => undefined);
    return reply?.modelVersion === ref ? reply : undefined;
  }, { timeoutMs: 15_000, intervalMs: 200 });
}
