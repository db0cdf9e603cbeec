import { LogLensError, RegistrySubjects, type ModelVersionDto } from '@loglens/contracts';
import { buildReferenceProfile } from '@loglens/drift';
import type { RpcClient } from '@loglens/nest-common';
import { WindowScorer } from './window-scorer';

/** The registry is outside the scorer: a stand-in answering getVersion with the scripted outcomes, in order. */
function registry(outcomes: (ModelVersionDto | LogLensError)[]): { rpc: RpcClient; calls: () => number } {
  let calls = 0;
  const rpc = {
    call: (subject: string) => {
      if (subject !== RegistrySubjects.getVersion) return Promise.reject(new Error(`unexpected ${subject}`));
      const next = outcomes[Math.min(calls++, outcomes.length - 1)];
      return next instanceof LogLensError ? Promise.reject(next) : Promise.resolve(next);
    },
  } as unknown as RpcClient;
  return { rpc, calls: () => calls };
}

describe('WindowScorer.referenceOf', () => {
  const referenceProfile = buildReferenceProfile({ featureNames: ['events'], rows: [[1], [2], [3], [4]], scores: [0.1, 0.2, 0.3, 0.4], threshold: 0.5 });
  const version = { ref: 'm@1', metadata: { referenceProfile } } as unknown as ModelVersionDto;

  it('asks again after a failed look-up instead of keeping "no reference" for good', async () => {
    const { rpc, calls } = registry([new LogLensError('TIMEOUT', 'registry did not answer'), version]);
    const scorer = new WindowScorer(rpc, 'm');
    expect(await scorer.referenceOf('m@1')).toBeNull();
    expect(await scorer.referenceOf('m@1')).toEqual(referenceProfile);
    expect(await scorer.referenceOf('m@1')).toEqual(referenceProfile);
    expect(calls()).toBe(2);
  });

  it('keeps the answer for a version the registry does not know, and for one without a profile', async () => {
    const missing = registry([new LogLensError('NOT_FOUND', 'no version m@9'), version]);
    const scorer = new WindowScorer(missing.rpc, 'm');
    expect(await scorer.referenceOf('m@9')).toBeNull();
    expect(await scorer.referenceOf('m@9')).toBeNull();
    expect(missing.calls()).toBe(1);

    const bare = registry([{ ref: 'm@2', metadata: {} } as unknown as ModelVersionDto]);
    const other = new WindowScorer(bare.rpc, 'm');
    expect(await other.referenceOf('m@2')).toBeNull();
    expect(await other.referenceOf('m@2')).toBeNull();
    expect(bare.calls()).toBe(1);
  });
});

describe('WindowScorer predicts', () => {
  it('mark every predict profiled, whatever the agent’s drift setting (AGENT_DRIFT_BUCKET_MS=0 included): the workers never count agents’ rows', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const rpc = {
      call: (subject: string, req: Record<string, unknown>) => {
        sent.push({ subject, ...req });
        return Promise.resolve({ modelVersion: 'm@1', scores: [0.1, 0.9], isAnomaly: [false, true], threshold: 0.5, outputs: {}, worker: 'w' });
      },
    } as unknown as RpcClient;
    // the scorer takes no drift setting: the agent builds it the same way with profiling on or off
    const scored = await new WindowScorer(rpc, 'm', () => undefined, { explain: 'none' }).score([[1], [2]], ['events']);
    expect(scored.map((s) => s.isAnomaly)).toEqual([false, true]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ model: 'm', profiled: true });
  });
});
