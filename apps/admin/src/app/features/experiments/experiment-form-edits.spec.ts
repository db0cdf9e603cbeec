import { EMPTY_EXPERIMENT_FORM, type ExperimentFormValue } from './experiment-form';
import {
  controlShare,
  patched,
  prefilled,
  withAddedCandidate,
  withCandidate,
  withKind,
  withoutCandidate,
} from './experiment-form-edits';

const two: ExperimentFormValue = {
  ...EMPTY_EXPERIMENT_FORM,
  kind: 'ab',
  candidates: [
    { version: '2', weight: '20' },
    { version: '3', weight: '30' },
  ],
};

describe('the create form’s edits', () => {
  it('prefills the model and the first candidate from a version’s page, and nothing without them', () => {
    expect(prefilled(EMPTY_EXPERIMENT_FORM, null, null)).toBe(EMPTY_EXPERIMENT_FORM);
    const v = prefilled(EMPTY_EXPERIMENT_FORM, 'wifi-anomaly', '2');
    expect(v.model).toBe('wifi-anomaly');
    expect(v.candidates).toEqual([{ version: '2', weight: '10' }]);
    expect(prefilled(EMPTY_EXPERIMENT_FORM, 'iris', null).candidates).toBe(EMPTY_EXPERIMENT_FORM.candidates);
  });

  it('patches the fields given', () => {
    const v = patched({ maxP99Ms: '250', stickiness: 'host' })(EMPTY_EXPERIMENT_FORM);
    expect(v).toEqual({ ...EMPTY_EXPERIMENT_FORM, maxP99Ms: '250', stickiness: 'host' });
    expect(EMPTY_EXPERIMENT_FORM.maxP99Ms).toBe('500');
  });

  it('keeps only the first candidate when the kind takes one', () => {
    expect(withKind(two, 'canary').candidates).toEqual([{ version: '2', weight: '20' }]);
    expect(withKind(two, 'shadow').kind).toBe('shadow');
    expect(withKind(two, 'ab').candidates).toHaveLength(2);
  });

  it('edits, adds and removes candidates without touching the value it was given', () => {
    expect(withCandidate(two, 1, { weight: '5' }).candidates[1]).toEqual({ version: '3', weight: '5' });
    expect(withAddedCandidate(two).candidates[2]).toEqual({ version: '', weight: '10' });
    expect(withoutCandidate(two, 0).candidates).toEqual([{ version: '3', weight: '30' }]);
    expect(two.candidates).toHaveLength(2);
    expect(two.candidates[1].weight).toBe('30');
  });

  it('says what the control answers', () => {
    expect(controlShare(two.candidates)).toBe('50 %');
    expect(controlShare([{ version: '2', weight: '33.3' }])).toBe('66.7 %');
    expect(controlShare([{ version: '2', weight: 'x' }])).toBe('100 %');
    expect(controlShare([{ version: '2', weight: '101' }])).toBe('nothing (the weights exceed 100 %)');
  });
});
