import { LogLensError, RegistrySubjects, type ModelVersionDto } from '@loglens/contracts';
import { buildReferenceProfile } from '@loglens/drift';
import type { RpcClient } from '@loglens/nest-common';
import { REFERENCE_RECHECK_MS, WindowScorer, explainRowsPerRequest, windowAttributions } from './window-scorer';

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

describe('WindowScorer.referenceOf, a version collecting its reference window', () => {
  const referenceProfile = buildReferenceProfile({ featureNames: ['events'], rows: [[1], [2], [3], [4]], scores: [0.1, 0.2, 0.3, 0.4], threshold: 0.5 });

  it('asks again for a version without a profile every REFERENCE_RECHECK_MS, and keeps the frozen reference once there', async () => {
    const bare = { ref: 'm@3', metadata: {} } as unknown as ModelVersionDto;
    const frozen = { ref: 'm@3', metadata: { referenceProfile } } as unknown as ModelVersionDto;
    const { rpc, calls } = registry([bare, frozen]);
    const scorer = new WindowScorer(rpc, 'm');
    const t0 = 1_000_000;
    expect(await scorer.referenceOf('m@3', t0)).toBeNull();
    expect(await scorer.referenceOf('m@3', t0 + REFERENCE_RECHECK_MS - 1)).toBeNull();
    expect(calls()).toBe(1);
    expect(await scorer.referenceOf('m@3', t0 + REFERENCE_RECHECK_MS)).toEqual(referenceProfile);
    expect(await scorer.referenceOf('m@3', t0 + 10 * REFERENCE_RECHECK_MS)).toEqual(referenceProfile);
    expect(calls()).toBe(2);
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

/**
 * A stand-in worker pool serving model m with an A/B experiment between m@1 and m@2, counting per arm as the worker
 * does: a request by model name is routed (by each row's key when it has rowKeys, else drawn) and counted on its arm;
 * a request for a pinned version is served by that version and counted nowhere. m@2 flags every row, m@1 none.
 */
function experimentWorker(armOf: (key: string | undefined) => 'm@1' | 'm@2') {
  const rowsCounted: Record<string, number> = { 'm@1': 0, 'm@2': 0 };
  const sent: Array<Record<string, unknown>> = [];
  const answer = (version: string, rows: number[][], explain: boolean) => ({
    modelVersion: version,
    scores: rows.map(() => (version === 'm@2' ? 0.9 : 0.1)),
    isAnomaly: rows.map(() => version === 'm@2'),
    threshold: 0.5,
    outputs: {},
    timings: { queueMs: 0, computeMs: 0 },
    worker: 'w',
    ...(explain ? { explanations: rows.map(() => ({ method: 'linear', approximate: false, outputSpace: 'score', baseValue: 0, outputValue: 1, attributions: [{ feature: 'events', value: 1, contribution: 1 }] })) } : {}),
  });
  const rpc = {
    call: (_subject: string, req: { model?: string; version?: string; rows: number[][]; explain?: boolean; rowKeys?: Array<{ source?: string; window?: string }> }) => {
      sent.push({ ...req });
      if (req.version) return Promise.resolve(answer(req.version, req.rows, !!req.explain));
      // one draw per request without row keys, one arm per row with them
      const drawn = req.rowKeys ? null : armOf(undefined);
      const arms = req.rows.map((_, i) => drawn ?? armOf(req.rowKeys?.[i]?.source));
      for (const a of arms) rowsCounted[a]++;
      if (!req.rowKeys) return Promise.resolve(answer(arms[0], req.rows, !!req.explain));
      const byRow = req.rows.map((r, i) => answer(arms[i], [r], !!req.explain));
      return Promise.resolve({
        ...byRow[0],
        modelVersion: 'm@1',
        scores: byRow.map((b) => b.scores[0]),
        isAnomaly: byRow.map((b) => b.isAnomaly[0]),
        ...(req.explain ? { explanations: byRow.map((b) => b.explanations![0]) } : {}),
        modelVersions: arms,
      });
    },
  } as unknown as RpcClient;
  return { rpc, rowsCounted, sent };
}

describe('WindowScorer in an experiment', () => {
  it('counts each window once on its arm: the explanations of flagged windows are asked of the version that scored them, pinned', async () => {
    // the first request lands on m@2 (flags everything), any later routed one on m@1
    let draws = 0;
    const worker = experimentWorker(() => (draws++ === 0 ? 'm@2' : 'm@1'));
    const scored = await new WindowScorer(worker.rpc, 'm').score([[1], [2]], ['events']);
    expect(worker.rowsCounted).toEqual({ 'm@1': 0, 'm@2': 2 });
    expect(scored.map((s) => [s.modelVersion, s.isAnomaly, s.topFeatures.length])).toEqual([
      ['m@2', true, 1],
      ['m@2', true, 1],
    ]);
    expect(worker.sent[1]).toMatchObject({ version: 'm@2', explain: true });
  });

  it('sends each window’s source and key, and takes each row’s version from modelVersions', async () => {
    const worker = experimentWorker((source) => (source === 'site-b' ? 'm@2' : 'm@1'));
    const keys = [
      { source: 'site-a', window: 'ap-1' },
      { source: 'site-b', window: 'ap-2' },
      { source: 'site-a', window: 'ap-3' },
    ];
    const scored = await new WindowScorer(worker.rpc, 'm').score([[1], [2], [3]], ['events'], undefined, keys);
    expect(worker.sent[0]).toMatchObject({ model: 'm', rowKeys: keys });
    expect(scored.map((s) => [s.modelVersion, s.isAnomaly])).toEqual([
      ['m@1', false],
      ['m@2', true],
      ['m@1', false],
    ]);
    // the flagged window explained by its own version, pinned, and counted once
    expect(worker.sent.slice(1)).toEqual([expect.objectContaining({ version: 'm@2', rows: [[2]], explain: true })]);
    expect(worker.sent[1]).not.toHaveProperty('rowKeys');
    expect(scored[1].topFeatures).toHaveLength(1);
    expect(worker.rowsCounted).toEqual({ 'm@1': 2, 'm@2': 1 });
  });
});

describe('WindowScorer explains in chunks whose replies fit one NATS message', () => {
  it.each([
    ['a worker that cuts the lists (explainTop: 5 attributions per row)', false],
    ['a worker too old to know explainTop (whole lists of F attributions per row)', true],
  ])('splits the explained request of many flagged wide windows and gives each window its own attributions: %s', async (_name, old) => {
    const F = 60; // e.g. an HDFS model over 60 template columns
    const names = Array.from({ length: F }, (_, j) => `E${j}`);
    // every row its own (row i starts with i): identical rows are explained once, which would hide the chunking
    const rows = Array.from({ length: 1000 }, (_, i) => names.map((_, j) => (j === 0 ? i : (i + j) % 7)));
    const explainedSizes: number[] = [];
    const warned: string[] = [];
    const rpc = {
      call: (_subject: string, req: { rows: number[][]; explain?: boolean; explainTop?: number; version?: string }) => {
        // a worker of before explainTop refuses the unknown property, as its contract check does
        if (old && req.explainTop !== undefined) {
          return Promise.reject(new LogLensError('VALIDATION_FAILED', 'invalid PredictRequest: explainTop: property explainTop should not exist'));
        }
        if (req.explain) explainedSizes.push(req.rows.length);
        return Promise.resolve({
          modelVersion: 'm@1',
          scores: req.rows.map((r) => r[0] / 10),
          isAnomaly: req.rows.map(() => true),
          threshold: 0.5,
          outputs: {},
          timings: { queueMs: 0, computeMs: 0 },
          worker: 'w',
          ...(req.explain
            ? { explanations: req.rows.map((r) => ({ method: 'linear', approximate: false, outputSpace: 'score', baseValue: 0, outputValue: r[0] + 1, attributions: [{ feature: 'E0', value: r[0], contribution: r[0] + 1 }] })) }
            : {}),
        });
      },
    } as unknown as RpcClient;
    const scored = await new WindowScorer(rpc, 'm', (line) => warned.push(line)).score(rows, names);
    const attributions = old ? F : 5;
    const per = explainRowsPerRequest(attributions);
    expect(per).toBeLessThan(1000);
    // the bound: the reply's attributions (at most 160 bytes each) per row stay inside half of NATS's default 1 MiB
    expect(per * (attributions * 160 + 200)).toBeLessThanOrEqual(512 * 1024);
    expect(Math.max(...explainedSizes)).toBe(per);
    expect(warned).toHaveLength(old ? 1 : 0);
    expect(explainedSizes.every((n) => n <= per)).toBe(true);
    expect(explainedSizes.reduce((a, b) => a + b, 0)).toBe(1000);
    // window i got the attributions of row i, across the chunk boundaries
    expect(scored.every((w, i) => w.topFeatures[0]?.value === rows[i][0])).toBe(true);
  });

  it('asks for the five attributions a window shows, and no more, once per flagged window', async () => {
    const sent: Array<Record<string, unknown>> = [];
    const rpc = {
      call: (_subject: string, req: Record<string, unknown>) => {
        sent.push(req);
        return Promise.resolve({ modelVersion: 'm@1', scores: [0.9], isAnomaly: [true], threshold: 0.5, outputs: {}, timings: { queueMs: 0, computeMs: 0 }, worker: 'w' });
      },
    } as unknown as RpcClient;
    await new WindowScorer(rpc, 'm').score([[1]], ['events']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toHaveProperty('explainTop');
    expect(sent[1]).toMatchObject({ version: 'm@1', explain: true, explainTop: 5 });
  });

  it('asks for each distinct flagged row’s attributions once, and gives every window its own row’s', async () => {
    const explained: number[][][] = [];
    const rpc = {
      call: (_subject: string, req: { rows: number[][]; explain?: boolean }) => {
        if (req.explain) explained.push(req.rows);
        return Promise.resolve({
          modelVersion: 'm@1',
          scores: req.rows.map((r) => r[0] / 10),
          isAnomaly: req.rows.map(() => true),
          threshold: 0.5,
          outputs: {},
          timings: { queueMs: 0, computeMs: 0 },
          worker: 'w',
          ...(req.explain
            ? { explanations: req.rows.map((r) => ({ method: 'linear', approximate: false, outputSpace: 'score', baseValue: 0, outputValue: r[0] + r[1], attributions: [{ feature: 'a', value: r[0], contribution: r[0] }, { feature: 'b', value: r[1], contribution: r[1] }] })) }
            : {}),
        });
      },
    } as unknown as RpcClient;
    const rows = [[3, 1], [2, 5], [3, 1], [3, 1], [2, 5], [7, 0]];
    const scored = await new WindowScorer(rpc, 'm').score(rows, ['a', 'b']);
    expect(explained).toEqual([[[3, 1], [2, 5], [7, 0]]]);
    expect(scored.map((w) => w.topFeatures.map((f) => [f.name, f.value]))).toEqual(
      rows.map(([a, b]) => [['a', a], ['b', b]].filter(([, v]) => v !== 0)),
    );
    expect(scored.map((w) => w.explanation?.outputValue)).toEqual(rows.map(([a, b]) => a + b));
    // the scores are the scoring request's, row by row
    expect(scored.map((w) => w.score)).toEqual(rows.map(([a]) => a / 10));
  });

  it('keeps a chunk of hundreds of rows for narrow models, and never goes below one row', () => {
    expect(explainRowsPerRequest(6)).toBe(451);
    expect(explainRowsPerRequest(1)).toBe(1000);
    expect(explainRowsPerRequest(100_000)).toBe(1);
  });
});

describe('windowAttributions', () => {
  // 12 attributions ranked by |contribution| (two zeros last), as the worker's explainers rank them
  const contributions = [0.7, -0.55, 0.31, -0.2, 0.1, 0.07, -0.03, 0.01, 0.004, -0.001, 0, 0];
  const whole = {
    method: 'tree-shap' as const,
    approximate: false,
    outputSpace: 'logit' as const,
    baseValue: -1.25,
    outputValue: -1.25 + contributions.reduce((a, b) => a + b, 0),
    attributions: contributions.map((contribution, j) => ({ feature: `E${j}`, value: j, contribution })),
  };

  it('gives the same topFeatures and explanation from a list the worker cut to 5 (with attributionSum) as from the whole list', () => {
    const sum = whole.attributions.reduce((s, a) => s + a.contribution, 0);
    const cut = { ...whole, attributions: whole.attributions.slice(0, 5), attributionSum: sum };
    const templates = new Map([['E1', 'Receiving block <*>']]);
    expect(windowAttributions(cut, templates)).toEqual(windowAttributions(whole, templates));
    expect(windowAttributions(cut, null).explanation?.otherContribution).toBe(sum - (0.7 - 0.55 + 0.31 - 0.2 + 0.1));
  });

  it('leaves zero contributions out of topFeatures, cut or not', () => {
    const sparse = { ...whole, attributions: [{ feature: 'E0', value: 1, contribution: 0.5 }, { feature: 'E1', value: 0, contribution: 0 }] };
    expect(windowAttributions(sparse, null).topFeatures.map((f) => f.name)).toEqual(['E0']);
  });
});
