import type { ExperimentDto } from '@loglens/contracts/protocol';
import { actionConfirm, criteriaText, newer, promoteTarget } from './experiment-detail';

const ID = '0b6c1c9e-8f0e-4c1a-9d59-0d6f3c2b1a00';
const experiment: ExperimentDto = {
  id: ID,
  model: 'wifi-anomaly',
  kind: 'canary',
  control: 'wifi-anomaly@1',
  candidates: [{ version: 'wifi-anomaly@2', weight: 10 }],
  stickiness: null,
  canary: { stepWeight: 40, maxWeight: 50, intervalSec: 60, failureThreshold: 2 },
  shadow: null,
  criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 200 },
  state: 'running',
  failedChecks: 0,
  steps: [],
  createdBy: 'operator:oper…',
  createdAt: '2026-12-05T10:00:00Z',
  updatedAt: '2026-12-05T10:00:00Z',
  endedAt: null,
};

describe('newer', () => {
  it('shows an action’s reply until a load at least as recent answers, and never another experiment’s', () => {
    const aborted = { ...experiment, state: 'aborted' as const, updatedAt: '2026-12-05T10:05:00Z' };
    expect(newer(experiment, aborted, ID)).toBe(aborted);
    expect(newer(experiment, null, ID)).toBe(experiment);
    expect(newer(null, aborted, ID)).toBe(aborted);
    const reloaded = { ...aborted, steps: [...aborted.steps] };
    expect(newer(reloaded, aborted, ID)).toBe(reloaded);
    expect(newer(experiment, { ...aborted, id: 'other' }, ID)).toBe(experiment);
  });
});

describe('promoteTarget', () => {
  it('promotes the recommended candidate, else the heaviest one', () => {
    const e = {
      candidates: [
        { version: 'm@2', weight: 10 },
        { version: 'm@3', weight: 30 },
      ],
    };
    expect(promoteTarget(e, 'm@2')).toBe('m@2');
    expect(promoteTarget(e, 'm@1')).toBe('m@3');
    expect(promoteTarget(e, null)).toBe('m@3');
    expect(promoteTarget({ candidates: [] }, null)).toBe('');
  });
});

describe('actionConfirm', () => {
  it('names the experiment and asks why for every action', () => {
    for (const action of ['pause', 'resume', 'promote', 'abort'] as const) {
      const c = actionConfirm(action, experiment, 'wifi-anomaly@2');
      expect(c.question).toContain('canary on wifi-anomaly');
      expect(c.askReason).toBe(true);
    }
  });

  it('shows a promote’s serving change and an abort’s weights going to zero, the abort as destructive', () => {
    expect(actionConfirm('promote', experiment, 'wifi-anomaly@2').changes).toEqual([
      { label: 'Serving', from: 'wifi-anomaly@1', to: 'wifi-anomaly@2' },
    ]);
    const abort = actionConfirm('abort', experiment, 'wifi-anomaly@2');
    expect(abort.changes).toEqual([{ label: 'Weight of wifi-anomaly@2', from: '10 %', to: '0 %' }]);
    expect(abort.destructive).toBe(true);
    expect(abort.notes?.[0]).toContain('The control wifi-anomaly@1 answers all the traffic again');
    expect(actionConfirm('pause', experiment, '').destructive).toBeUndefined();
  });
});

describe('criteriaText', () => {
  it('lists the required criteria, and the optional ones only when set', () => {
    expect(criteriaText(experiment)).toBe('error rate ≤ 1.0 %, p99 ≤ 500 ms, 200 samples per check');
    expect(
      criteriaText({
        criteria: { ...experiment.criteria, maxAnomalyRateDelta: 0.05, minAgreement: 0.9 },
      }),
    ).toBe(
      'error rate ≤ 1.0 %, p99 ≤ 500 ms, anomaly-rate difference ≤ 5.0 points, agreement ≥ 90.0 %, 200 samples per check',
    );
  });
});
