import type { PredictRow } from '@loglens/contracts';
import { OnnxModelSession, type ServingBinding } from './onnx-session';
import { PredictBatcher } from './predict-batcher';
import { expectClose, modelBytes } from '@loglens/testing';

const titanicBinding: ServingBinding = { ref: 'titanic@1', inputName: 'pclass', scoreOutput: 'probabilities', featureNames: null };
const passengers: PredictRow[] = [
  { pclass: 1, sex: 'female', age: 29, fare: 211.3375, embarked: 'S' },
  { pclass: 3, sex: 'male', age: null, fare: 7.25, embarked: 'Q' },
  { pclass: 2, sex: 'female', age: 4, fare: 23, embarked: 'C' },
];

describe('PredictBatcher over real sessions', () => {
  const sessions: OnnxModelSession[] = [];
  const open = async (file: string, binding: ServingBinding) => {
    const s = await OnnxModelSession.create(modelBytes(file), binding, { logSeverityLevel: 4 });
    sessions.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.release()));
  });

  it('coalesces 50 concurrent multi-input requests and gives each exactly what predict alone gives', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx', titanicBinding);
    const batcher = new PredictBatcher(session, { maxBatchSize: 16, maxQueueDelayMs: 0, maxQueueSize: 100 });
    const requests = Array.from({ length: 50 }, (_, i) => [passengers[i % 3], passengers[(i + 1) % 3]].slice(0, 1 + (i % 2)));
    const rows = requests.reduce((n, r) => n + r.length, 0);
    const timed = await Promise.all(requests.map((r) => batcher.predict(r)));
    const alone = await Promise.all(requests.map((r) => session.predict(r)));
    // labels exactly; probabilities within float32 rounding (onnxruntime's kernels may sum in another order per batch size)
    timed.forEach(({ result }, i) => {
      expect(result.outputs['label']).toEqual(alone[i].outputs['label']);
      expect(result.outputs['probabilities'].dims).toEqual(alone[i].outputs['probabilities'].dims);
      expectClose(result.outputs['probabilities'].data, alone[i].outputs['probabilities'].data, 1e-6);
      expectClose(result.scores, alone[i].scores, 1e-6);
    });
    const stats = batcher.stats();
    expect(stats).toMatchObject({ items: 50, rows, queueDepth: 0 });
    expect(stats.executions).toBeLessThanOrEqual(Math.ceil(rows / 16) + 1);
    expect(Math.max(...timed.map((t) => t.batchRows))).toBeLessThanOrEqual(16);
    await batcher.close();
  });

  it('splits fixed-batch (2018) outputs back to their requests', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnMclRandomForestClassifier.model.onnx', {
      ref: 'rf@1',
      inputName: 'input',
      scoreOutput: 'label',
      featureNames: null,
    });
    const batcher = new PredictBatcher(session, { maxBatchSize: 64, maxQueueDelayMs: 5, maxQueueSize: 10 });
    const [a, b] = await Promise.all([batcher.predict([[0, 1], [1, 1], [2, 0]]), batcher.predict([[2.1, 0.1]])]);
    expect(a.batchRequests).toBe(2);
    expect(a.result.outputs['label']).toEqual({ dims: [3], data: [0, 1, 2] });
    expect(b.result.outputs['label']).toEqual({ dims: [1], data: [2] });
    expect(b.result.scores).toEqual([2]);
  });

  it('keeps four-row fixed batches whole across requests', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnMinMaxScaler.model.onnx', { ref: 'mm@1', inputName: 'input', scoreOutput: 'variable', featureNames: null });
    const batcher = new PredictBatcher(session, { maxBatchSize: 64, maxQueueDelayMs: 5, maxQueueSize: 10 });
    const block = [
      [0, 0, 3],
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 2],
    ];
    const [a, b] = await Promise.all([batcher.predict(block), batcher.predict([...block].reverse())]);
    expect(a.result.outputs['variable'].data).toEqual([0, 0, 1, 1, 0.5, 0, 0, 1, 0.3333333432674408, 1, 0, 0.6666666865348816]);
    expect(b.result.outputs['variable'].dims).toEqual([4, 3]);
    expect(b.result.outputs['variable'].data.slice(0, 3)).toEqual([1, 0, 0.6666666865348816]);
    await expect(batcher.predict([[0, 0, 3]])).rejects.toThrow('takes batches of exactly 4 rows (got 1)');
  });

  it('fails an invalid request on its own, before it joins a batch', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx', titanicBinding);
    const batcher = new PredictBatcher(session, { maxBatchSize: 16, maxQueueDelayMs: 5, maxQueueSize: 10 });
    const good = batcher.predict(passengers);
    const bad = batcher.predict([{ ...passengers[0], sex: 3 }]);
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'row 0, field sex: expected a string, got 3' });
    await expect(good).resolves.toMatchObject({ batchRequests: 1 });
    expect(batcher.stats().items).toBe(1);
  });

  it('lets a request onnxruntime refuses fail without taking its batch-mates down', async () => {
    const session = await open('sklearn_onnx_docs/treecl.onnx', { ref: 'treecl@1', inputName: 'input', scoreOutput: 'proba_0', featureNames: null });
    const batcher = new PredictBatcher(session, { maxBatchSize: 16, maxQueueDelayMs: 5, maxQueueSize: 10 });
    const wide = Array(20).fill(0.25);
    const [ok, narrow, ok2] = await Promise.allSettled([batcher.predict([wide]), batcher.predict([[1, 2, 3]]), batcher.predict([wide, wide])]);
    expect(ok.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(narrow).toMatchObject({ status: 'rejected', reason: { code: 'MODEL_ERROR' } });
    expect(batcher.stats().executions).toBe(1);
  });

  it('refuses requests once closed', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx', titanicBinding);
    const batcher = new PredictBatcher(session, { maxBatchSize: 16, maxQueueDelayMs: 0, maxQueueSize: 10 });
    await batcher.close('titanic@1 is being unloaded');
    await expect(batcher.predict(passengers)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'titanic@1 is being unloaded' });
  });
});
