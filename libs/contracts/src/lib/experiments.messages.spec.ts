import { LogLensError } from './errors';
import { checkExperimentSpec, CreateExperimentRequest } from './experiments.messages';
import { validateMessage } from './validate';

const base = {
  model: 'wifi-anomaly',
  kind: 'canary',
  candidates: [{ version: '2', weight: 10 }],
  canary: { stepWeight: 40, maxWeight: 50, intervalSec: 60, failureThreshold: 2 },
  criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 100 },
  actor: 'operator:abc',
};

function problemsOf(body: Record<string, unknown>): string {
  try {
    checkExperimentSpec(validateMessage(CreateExperimentRequest, body));
  } catch (e) {
    if (e instanceof LogLensError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'ok';
}

describe('experiment requests', () => {
  it('accepts a canary, an A/B and a shadow experiment', () => {
    expect(problemsOf(base)).toBe('ok');
    expect(problemsOf({ ...base, kind: 'ab', canary: undefined, candidates: [{ version: '2', weight: 30 }, { version: 'challenger', weight: 20 }] })).toBe('ok');
    expect(problemsOf({ ...base, kind: 'shadow', canary: undefined, candidates: [{ version: '3', weight: 0 }], shadow: { percent: 100 } })).toBe('ok');
  });

  it('names every bad nested field and every broken rule', () => {
    expect(problemsOf({ ...base, criteria: { ...base.criteria, maxErrorRate: 2 } })).toMatch(/VALIDATION_FAILED: .*maxErrorRate must not be greater than 1/);
    expect(problemsOf({ ...base, candidates: [{ version: '2', weight: 10, extra: 1 }] })).toMatch(/property extra should not exist/);
    expect(problemsOf({ ...base, kind: 'ab', canary: undefined, candidates: [{ version: '2', weight: 60 }, { version: '3', weight: 50 }] })).toMatch(/weights add up to 110: at most 100/);
    expect(problemsOf({ ...base, canary: undefined })).toMatch(/a canary experiment needs canary/);
    expect(problemsOf({ ...base, kind: 'shadow', candidates: [{ version: '3', weight: 10 }] })).toMatch(
      /canary settings are for kind canary, not shadow; a shadow experiment needs shadow \{ percent \}; a shadow candidate answers no caller: its weight must be 0/,
    );
    expect(problemsOf({ ...base, canary: { ...base.canary, stepWeight: 60 } })).toMatch(/stepWeight must not exceed canary.maxWeight/);
    expect(problemsOf({ ...base, kind: 'bandit' })).toMatch(/kind must be one of ab, canary, shadow/);
    expect(problemsOf({ ...base, stickiness: { key: 'cookie' } })).toMatch(/stickiness.key must be one of source, host, window-key, header/);
  });
});
