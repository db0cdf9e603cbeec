import { ArmCounts, emptyArmCounts, mergeArmCounts, recordRequest, summarizeArm } from './arm-stats';
import { CanaryPolicy, decideCanary, ExperimentCriteria } from './canary';
import { buildReport } from './report';

const policy: CanaryPolicy = { stepWeight: 40, maxWeight: 50, intervalSec: 5, failureThreshold: 2 };
const criteria: ExperimentCriteria = { maxErrorRate: 0.01, maxP99Ms: 50, minSamples: 100 };

function arm(version: string, requests: number, opts: { errorEvery?: number; latencyMs?: number; anomalyEvery?: number } = {}): ArmCounts {
  const a = emptyArmCounts(version);
  for (let i = 0; i < requests; i++) {
    const flagged = opts.anomalyEvery ? i % opts.anomalyEvery === 0 : false;
    recordRequest(a, { ok: !(opts.errorEvery && i % opts.errorEvery === 0), latencyMs: (opts.latencyMs ?? 5) + (i % 10) * 0.1, scores: [flagged ? 0.9 : 0.1], flags: [flagged] });
  }
  return a;
}

describe('canary decisions', () => {
  it('walks a healthy candidate 10 → 50 and promotes it at maxWeight', () => {
    let state = { weight: 10, failedChecks: 0 };
    const actions: string[] = [];
    for (let check = 0; check < 3; check++) {
      const d = decideCanary(policy, criteria, state, { control: arm('1', 500), candidate: arm('2', 200) });
      actions.push(`${d.action}:${d.weight}`);
      state = { weight: d.weight, failedChecks: d.failedChecks };
    }
    expect(actions).toEqual(['step:50', 'promote:100', 'promote:100']);
  });

  it('rolls back a candidate failing one request in ten after failureThreshold checks, naming the criterion', () => {
    const first = decideCanary(policy, criteria, { weight: 10, failedChecks: 0 }, { control: arm('1', 500), candidate: arm('2', 200, { errorEvery: 10 }) });
    expect(first).toMatchObject({ action: 'hold', weight: 10, failedChecks: 1 });
    const second = decideCanary(policy, criteria, { weight: 10, failedChecks: 1 }, { control: arm('1', 500), candidate: arm('2', 200, { errorEvery: 10 }) });
    expect(second).toMatchObject({ action: 'rollback', weight: 0, failedChecks: 2 });
    expect(second.failed).toEqual([{ criterion: 'errorRate', value: 0.1, limit: 0.01 }]);
    expect(second.reason).toContain('errorRate 0.1000 > 0.0100');
  });

  it('rolls back a candidate whose p99 is three times the control for latency', () => {
    const d = decideCanary({ ...policy, failureThreshold: 1 }, { ...criteria, maxP99Ms: 20 }, { weight: 10, failedChecks: 0 }, { control: arm('1', 500, { latencyMs: 10 }), candidate: arm('2', 200, { latencyMs: 30 }) });
    expect(d.action).toBe('rollback');
    expect(d.failed.map((f) => f.criterion)).toEqual(['p99Ms']);
  });

  it('waits for minSamples, but not when the errors alone already break the limit', () => {
    expect(decideCanary(policy, criteria, { weight: 10, failedChecks: 0 }, { control: arm('1', 500), candidate: arm('2', 50) }).action).toBe('wait');
    expect(decideCanary(policy, criteria, { weight: 10, failedChecks: 0 }, { control: arm('1', 500), candidate: arm('2', 50, { errorEvery: 2 }) }).action).toBe('hold');
  });

  it('checks the anomaly-rate delta and agreement when asked', () => {
    const d = decideCanary(policy, { ...criteria, maxAnomalyRateDelta: 0.05 }, { weight: 10, failedChecks: 0 }, { control: arm('1', 500, { anomalyEvery: 20 }), candidate: arm('2', 200, { anomalyEvery: 4 }) });
    expect(d.failed.map((f) => f.criterion)).toEqual(['anomalyRateDelta']);
    const disagreeing = arm('2', 200);
    disagreeing.agreement = { compared: 100, bothFlagged: 5, controlOnly: 10, candidateOnly: 10 };
    const a = decideCanary(policy, { ...criteria, minAgreement: 0.9 }, { weight: 10, failedChecks: 0 }, { control: arm('1', 500), candidate: disagreeing });
    expect(a.failed).toEqual([{ criterion: 'agreement', value: 0.8, limit: 0.9 }]);
  });
});

describe('arm counts and the report', () => {
  it('merges counts from several workers, keeping a bounded latency sample', () => {
    const total = emptyArmCounts('1');
    for (let w = 0; w < 3; w++) mergeArmCounts(total, arm('1', 1500, { errorEvery: 100 }));
    expect(total.requests).toBe(4500);
    expect(total.errors).toBe(45);
    expect(total.latencySeen).toBe(4500);
    expect(total.latencies.length).toBeLessThanOrEqual(2000);
    expect(summarizeArm(total).p99Ms).toBeCloseTo(5.9, 1);
  });

  it('reports the anomaly-rate difference with its z-test and recommends a candidate that is no worse', () => {
    const control = arm('1', 200, { anomalyEvery: 20 });
    const candidate = arm('2', 200, { anomalyEvery: 10 });
    const report = buildReport(control, [candidate], criteria);
    // 10 / 200 vs 20 / 200: pooled 0.075, SE = √(0.075 · 0.925 · 0.01) = 0.026339; z = 0.05 / 0.026339 = 1.898316
    expect(report.comparisons[0].anomalyRate.difference).toBeCloseTo(0.05, 12);
    expect(report.comparisons[0].anomalyRate.z).toBeCloseTo(1.898316, 5);
    expect(report.comparisons[0].anomalyRate.pValue).toBeCloseTo(0.057655, 4);
    expect(report.recommendation.winner).toBe('2');
    const failing = buildReport(control, [arm('2', 200, { errorEvery: 10 })], criteria);
    expect(failing.recommendation.winner).toBe('1');
    expect(buildReport(arm('1', 10), [arm('2', 10)], criteria).recommendation.winner).toBeNull();
  });
});
