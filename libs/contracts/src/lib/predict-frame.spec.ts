import { LogLensError } from './errors';
import type { PredictReply } from './inference.messages';
import { decodePredictFrame, decodePredictReplyFrame, encodePredictFrame, encodePredictReplyFrame } from './predict-frame';
import { decodeTensorFrame } from './tensor-frame';

describe('predict frames', () => {
  it('carries feature-vector rows as one FP64 tensor and gives back the same request', () => {
    const req = { model: 'm', rows: [[0.1, 2, -3.5e-7], [1e300, 0, 7]], routeKey: 'k', timeoutMs: 500 };
    const frame = encodePredictFrame(req);
    expect(frame).not.toBeNull();
    const { head, body } = decodeTensorFrame(frame as Uint8Array);
    expect(head).toEqual({ model: 'm', routeKey: 'k', timeoutMs: 500, rows: { name: 'rows', datatype: 'FP64', shape: [2, 3], byteLength: 48 } });
    expect(body.byteLength).toBe(48);
    expect(decodePredictFrame(frame as Uint8Array)).toEqual(req);
    // as NATS hands it over: a Buffer at an offset of a larger one (rows not 8-byte aligned)
    for (const at of [1, 3, 5]) {
      const pool = Buffer.alloc((frame as Uint8Array).byteLength + at);
      pool.set(frame as Uint8Array, at);
      expect(decodePredictFrame(pool.subarray(at))).toEqual(req);
    }
  });

  it('leaves to JSON the rows a tensor cannot hold: named fields, nulls, NaN, ragged rows', () => {
    expect(encodePredictFrame({ rows: [{ a: 1 }] })).toBeNull();
    expect(encodePredictFrame({ rows: [[1, null as unknown as number]] })).toBeNull();
    expect(encodePredictFrame({ rows: [[1, Number.NaN]] })).toBeNull();
    expect(encodePredictFrame({ rows: [[1, 2], [3]] })).toBeNull();
  });

  it('refuses a frame whose rows are not an FP64/FP32 matrix of the bytes it holds', () => {
    const frame = encodePredictFrame({ rows: [[1, 2]] }) as Uint8Array;
    expect(() => decodePredictFrame(frame.subarray(0, frame.byteLength - 1))).toThrow(/declare 16 bytes/);
  });

  it('carries the scores and numeric outputs as tensors, labels and the rest as JSON, and errors as errors', () => {
    const reply: PredictReply = {
      modelVersion: 'm@1',
      scores: [0.25, 1 / 3],
      isAnomaly: [false, true],
      threshold: 0.3,
      outputs: { label: { dims: [2], data: ['a', 'b'] }, probabilities: { dims: [2, 2], data: [0.75, 0.25, 2 / 3, 1 / 3] } },
      timings: { queueMs: 0.01, computeMs: 0.2 },
      worker: 'w',
    };
    expect(decodePredictReplyFrame(encodePredictReplyFrame({ response: reply }))).toEqual(reply);
    // the same text as the JSON reply (key order included)
    const withMore = { ...reply, explanations: [], modelVersions: ['m@1', 'm@2'] };
    expect(JSON.stringify(decodePredictReplyFrame(encodePredictReplyFrame({ response: withMore })))).toBe(JSON.stringify(withMore));
    const labels = { ...reply, scores: ['a', 'b'] as unknown as number[], isAnomaly: null };
    expect(decodePredictReplyFrame(encodePredictReplyFrame({ response: labels }))).toEqual(labels);
    const failed = () => decodePredictReplyFrame(encodePredictReplyFrame({ err: { code: 'NOT_FOUND', message: 'no model m' } }));
    expect(failed).toThrow(LogLensError);
    expect(failed).toThrow('no model m');
  });
});
