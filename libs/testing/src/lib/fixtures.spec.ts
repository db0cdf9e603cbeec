import { Buffer } from 'node:buffer';
import { registerVersionRequest } from './model-fixtures';
import { windowResult } from './window-results';

describe('registerVersionRequest', () => {
  const onnx = Uint8Array.from([1, 2, 3]);

  it('sends the artifact inline with a `<model>.v1` feature schema and threshold 0.5 by default', () => {
    expect(registerVersionRequest({ model: 'm', onnx, featureNames: ['a', 'b'] })).toEqual({
      model: 'm',
      artifactBase64: Buffer.from(onnx).toString('base64'),
      metadata: { featureSchema: { version: 'm.v1', features: [{ name: 'a' }, { name: 'b' }] }, threshold: 0.5 },
      createdBy: 'test',
    });
  });

  it('takes the schema version, the dtype, the threshold and further metadata', () => {
    const req = registerVersionRequest({
      model: 'm',
      onnx,
      featureNames: ['a'],
      schemaVersion: 'ops.v1',
      featureDtype: 'float32',
      threshold: 0.6,
      metadata: { window: 60 },
      createdBy: 'spec',
    });
    expect(req.metadata).toEqual({
      featureSchema: { version: 'ops.v1', features: [{ name: 'a', dtype: 'float32' }] },
      threshold: 0.6,
      window: 60,
    });
    expect(req.createdBy).toBe('spec');
  });

  it('without feature names: no schema, no default threshold, and no metadata at all when nothing is given', () => {
    expect(registerVersionRequest({ model: 'm', onnx })).not.toHaveProperty('metadata');
    expect(registerVersionRequest({ model: 'm', onnx, threshold: 0.5 }).metadata).toEqual({ threshold: 0.5 });
    expect(registerVersionRequest({ model: 'm', onnx, metadata: {} }).metadata).toEqual({});
  });
});

describe('windowResult', () => {
  it('is a complete one-minute window by default', () => {
    expect(windowResult()).toEqual({
      id: 'src-k-1767225600000',
      agent: 'base',
      source: 'src',
      key: 'k',
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-01-01T00:01:00.000Z',
      recordCount: 1,
      recordIds: ['1'],
      anomalyScore: 0.1,
      isAnomaly: false,
      threshold: 0.5,
      modelVersion: null,
      topFeatures: [],
      analyzedAt: '2026-01-01T00:01:00.000Z',
    });
  });

  it('moves the end and the id with the start, and lets any field be overridden', () => {
    const w = windowResult({ start: '2026-01-01T00:05:00.000Z', source: 'web', analyzedAt: 'x' });
    expect(w).toMatchObject({ end: '2026-01-01T00:06:00.000Z', id: 'web-k-1767225900000', analyzedAt: 'x' });
    expect(windowResult({ id: 'given' }).id).toBe('given');
  });
});
