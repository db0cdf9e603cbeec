import { DriftSubjects, LogLensError, type ModelVersionDto, type PredictRequest, type ServingVersionDto } from '@loglens/contracts';
import { buildReferenceProfile, type Profile } from '@loglens/drift';
import type { EventBus, HealthResponder, RpcClient, ServiceIdentity } from '@loglens/nest-common';
import type { WorkerEnv } from '../app/worker.env';
import type { LoadedVersion } from './loaded-version';
import { PredictProfiler, numericRow } from './predict-profiler.service';

const NAMES = ['a', 'b'];
const reference = buildReferenceProfile({ featureNames: NAMES, rows: Array.from({ length: 100 }, (_, i) => [i % 10, 50 + (i % 5)]), scores: Array.from({ length: 100 }, (_, i) => i / 100), threshold: 0.9 });

function setUp(metadata: Record<string, unknown> | Error) {
  const published: Array<{ subject: string; msg: { modelVersion: string; producer: string; profile: Profile } }> = [];
  const lookups: string[] = [];
  const rpc = {
    call: (_s: unknown, req: { ref: string }) => {
      lookups.push(req.ref);
      return metadata instanceof Error ? Promise.reject(metadata) : Promise.resolve({ ref: req.ref, metadata } as unknown as ModelVersionDto);
    },
  } as unknown as RpcClient;
  const events = { publish: (subject: string, msg: never) => published.push({ subject, msg }) } as unknown as EventBus;
  const health = { addDetails: () => undefined } as unknown as HealthResponder;
  const p = new PredictProfiler({ WORKER_DRIFT_BUCKET_MS: 60_000 } as WorkerEnv, rpc, events, health, { service: 'inference-worker', instanceId: 'w1' } as ServiceIdentity);
  const loaded = { info: { ref: 'm@1', featureNames: NAMES } as ServingVersionDto } as LoadedVersion;
  return { p, loaded, published, lookups };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('PredictProfiler', () => {
  it('folds the rows of direct predicts into the version bucket and publishes it with the worker as producer', async () => {
    const { p, loaded, published, lookups } = setUp({ referenceProfile: reference });
    const req: PredictRequest = { model: 'm', rows: [[1, 51], { a: 2, b: 52 }] };
    p.record(loaded, req, [0.1, 0.95], [false, true]); // the first request asks the registry for the reference
    await settle();
    p.record(loaded, req, [0.1, 0.95], [false, true]);
    p.record(loaded, req, [0.2, 0.3], [false, false]);
    p.flush();
    expect(lookups).toEqual(['m@1']);
    expect(published).toHaveLength(1);
    const [{ subject, msg }] = published;
    expect(subject).toBe(DriftSubjects.profile);
    expect(msg).toMatchObject({ modelVersion: 'm@1', producer: 'inference-worker:w1' });
    expect(msg.profile.windows).toBe(4);
    expect(msg.profile.flagged).toBe(1);
    expect(msg.profile.features['a'].n).toBe(4);
    expect(msg.profile.features['b'].n).toBe(4);
  });

  it('does not count the rows agents profiled already', async () => {
    const { p, loaded, published } = setUp({ referenceProfile: reference });
    p.record(loaded, { model: 'm', rows: [[1, 51]] }, [0.1], [false]);
    await settle();
    p.record(loaded, { model: 'm', rows: [[1, 51]], profiled: true }, [0.1], [false]);
    p.flush();
    expect(published).toHaveLength(0);
  });

  it('collects raw rows of versions without a reference profile (their reference window) and asks again after a failed look-up', async () => {
    const none = setUp({});
    none.p.record(none.loaded, { model: 'm', rows: [[1, 51]] }, [0.1], [false]);
    await settle();
    none.p.record(none.loaded, { model: 'm', rows: [[1, 51], { b: 3, a: null }] }, [0.1, 0.97], [false, true]);
    none.p.flush();
    expect(none.lookups).toHaveLength(1);
    expect(none.published).toHaveLength(1);
    const [{ msg }] = none.published as unknown as Array<{ msg: { producer: string; profile: Profile; sample: unknown } }>;
    expect(msg.producer).toBe('inference-worker:w1#sample');
    expect(msg.sample).toEqual({ featureNames: NAMES, rows: [[1, 51], [null, 3]], scores: [0.1, 0.97] });
    expect(msg.profile).toMatchObject({ features: {}, windows: 2, flagged: 1 });

    const down = setUp(new LogLensError('TIMEOUT', 'registry busy'));
    down.p.record(down.loaded, { model: 'm', rows: [[1, 51]] }, [0.1], [false]);
    await settle();
    down.p.record(down.loaded, { model: 'm', rows: [[1, 51]] }, [0.1], [false]);
    expect(down.lookups).toHaveLength(2);
  });

  it('reads rows in the reference order: arrays by the version schema, objects by name, missing values as non-finite', () => {
    expect(numericRow([1, 2], NAMES, NAMES)).toEqual([1, 2]);
    expect(numericRow([2, 1], NAMES, ['b', 'a'])).toEqual([1, 2]);
    expect(numericRow({ b: 2, a: 1 }, NAMES, null)).toEqual([1, 2]);
    expect(numericRow({ a: null, b: true }, NAMES, null)).toEqual([NaN, 1]);
  });
});
