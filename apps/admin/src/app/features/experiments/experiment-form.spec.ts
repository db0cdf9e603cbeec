import { EMPTY_EXPERIMENT_FORM, checkExperimentForm, type ExperimentFormValue } from './experiment-form';

const form = (change: Partial<ExperimentFormValue>): ExperimentFormValue => ({
  ...EMPTY_EXPERIMENT_FORM,
  model: 'wifi-anomaly',
  candidates: [{ version: '2', weight: '10' }],
  ...change,
});

function errorsOf(v: ExperimentFormValue) {
  const c = checkExperimentForm(v);
  if (c.ok) throw new Error(`expected the form to be refused, got ${JSON.stringify(c.body)}`);
  return c.errors;
}

describe('checkExperimentForm', () => {
  it('builds the canary body the gateway expects, rates turned from percent into fractions', () => {
    const c = checkExperimentForm(
      form({ stickiness: 'header', maxErrorRatePct: '1.1', minAgreementPct: '90', intervalSec: '30' }),
    );
    expect(c).toEqual({
      ok: true,
      body: {
        model: 'wifi-anomaly',
        kind: 'canary',
        candidates: [{ version: '2', weight: 10 }],
        stickiness: { key: 'header' },
        canary: { stepWeight: 10, maxWeight: 50, intervalSec: 30, failureThreshold: 2 },
        criteria: { maxErrorRate: 0.011, maxP99Ms: 500, minSamples: 200, minAgreement: 0.9 },
      },
    });
  });

  it('sends a shadow candidate at weight 0 with the shadow share, and no canary settings', () => {
    const c = checkExperimentForm(
      form({ kind: 'shadow', candidates: [{ version: '2', weight: '35' }], shadowPercent: '100' }),
    );
    expect(c.ok && c.body).toMatchObject({
      kind: 'shadow',
      candidates: [{ version: '2', weight: 0 }],
      shadow: { percent: 100 },
    });
    expect(c.ok && c.body.canary).toBeUndefined();
  });

  it('refuses A/B weights that add up to more than 100, like the server', () => {
    const e = errorsOf(
      form({
        kind: 'ab',
        candidates: [
          { version: '2', weight: '60' },
          { version: '3', weight: '50' },
        ],
      }),
    );
    expect(e.form).toEqual(["The candidates' weights add up to 110 %: at most 100."]);
  });

  it('refuses an A/B candidate at weight 0 and the same version twice', () => {
    const e = errorsOf(
      form({
        kind: 'ab',
        candidates: [
          { version: '2', weight: '0' },
          { version: '2', weight: '10' },
        ],
      }),
    );
    expect(e['candidate.0.weight']).toBe('An A/B candidate needs a weight above 0.');
    expect(e.form).toEqual(['Two candidates name the same version.']);
  });

  it('refuses a canary with two candidates, a step above the maximum and a fractional interval', () => {
    const e = errorsOf(
      form({
        candidates: [
          { version: '2', weight: '10' },
          { version: '3', weight: '10' },
        ],
        stepWeight: '60',
        maxWeight: '50',
        intervalSec: '1.5',
      }),
    );
    expect(e.form).toEqual(['A canary experiment has exactly one candidate.']);
    expect(e['stepWeight']).toBe('The step must not exceed the maximum weight.');
    expect(e['intervalSec']).toBe('A whole number, please.');
  });

  it('names a bad model name, a bad version, an out-of-range rate and a missing minimum of samples', () => {
    const e = errorsOf(
      form({
        model: 'Wifi Anomaly',
        candidates: [{ version: 'v 2', weight: '10' }],
        maxErrorRatePct: '150',
        minSamples: '',
      }),
    );
    expect(e['model']).toMatch(/Lower-case letters/);
    expect(e['candidate.0.version']).toBe('A version number (3) or an alias of the model.');
    expect(e['maxErrorRatePct']).toBe('Between 0 and 100.');
    expect(e['minSamples']).toBe('Required.');
  });

  it('refuses a candidate that is the control', () => {
    expect(errorsOf(form({ control: '2' }))['candidate.0.version']).toBe(
      'The control cannot be a candidate too.',
    );
  });
});
