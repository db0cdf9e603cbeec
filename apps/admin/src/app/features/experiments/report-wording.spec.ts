import type { ExperimentDto } from '@loglens/contracts/protocol';
import type { ProportionTest } from './experiments.model';
import {
  armsText,
  failedText,
  formatP,
  latencyVerdict,
  points,
  proportionVerdict,
  recommendationText,
} from './report-wording';

// the libs/experiments hand computation: 30/200 vs 50/200 gives z = 2.5, p = 0.0124193; its mSPRT p-value is 0.238116
const handComputed: ProportionTest = {
  nA: 200,
  nB: 200,
  rateA: 0.15,
  rateB: 0.25,
  difference: 0.1,
  z: 2.5,
  pValue: 0.0124193,
  sequentialPValue: 0.238116,
};

describe('report wording', () => {
  it('says "not significant yet" with the sample sizes while the always-valid p-value is above alpha, the single-look one beside it', () => {
    expect(proportionVerdict('anomaly rate', handComputed, 0.05)).toBe(
      'not significant yet (n = 200 control, 200 candidate; +10.0 points, p = 0.238 always-valid, p = 0.012 single-look z-test)',
    );
  });

  it('says which way a significant difference goes', () => {
    expect(
      proportionVerdict(
        'error rate',
        { ...handComputed, nA: 20_000, nB: 2_000, sequentialPValue: 0.0004 },
        0.05,
      ),
    ).toBe(
      "significant: the candidate's error rate is higher by 10.0 points (p < 0.001 always-valid, p = 0.012 single-look z-test; n = 20,000 control, 2,000 candidate)",
    );
    expect(
      proportionVerdict('anomaly rate', { ...handComputed, difference: -0.1, sequentialPValue: 0.01 }, 0.05),
    ).toMatch(/^significant: the candidate's anomaly rate is lower by 10.0 points/);
  });

  it('says there is no data yet when an arm has none', () => {
    expect(proportionVerdict('error rate', { ...handComputed, nB: 0 }, 0.05)).toBe(
      'no data yet (n = 200 control, 0 candidate)',
    );
  });

  it('words the Mann–Whitney result: slower when significant, not yet otherwise', () => {
    expect(latencyVerdict({ nA: 3, nB: 3, u: 9, effect: 1, z: 1.745743, pValue: 0.080856 }, 0.05)).toBe(
      'not significant yet (n = 3 control, 3 candidate; p = 0.081, P(candidate slower) = 1.00)',
    );
    expect(latencyVerdict({ nA: 900, nB: 100, u: 85_000, effect: 0.94, z: 14, pValue: 1e-12 }, 0.05)).toBe(
      'significant: the candidate is slower (p < 0.001, P(candidate slower) = 0.94; n = 900 control, 100 candidate)',
    );
  });

  it('formats p-values, points, failed criteria and the recommendation', () => {
    expect([formatP(0.0124193), formatP(0.0004), formatP(NaN)]).toEqual(['0.012', '< 0.001', 'n/a']);
    expect([points(0.025), points(-0.5), points(0)]).toEqual(['+2.5 points', '−50.0 points', '±0.0 points']);
    expect(failedText({ criterion: 'errorRate', value: 0.1, limit: 0.01 })).toBe('error rate 10.0 % > 1.0 %');
    expect(failedText({ criterion: 'p99Ms', value: 812.4, limit: 500 })).toBe('p99 latency 812 ms > 500 ms');
    expect(
      recommendationText({ winner: null, reason: 'inconclusive: every arm needs 200 requests' }, 'm@1'),
    ).toBe('No winner yet — inconclusive: every arm needs 200 requests.');
    expect(recommendationText({ winner: 'm@2', reason: 'meets every criterion' }, 'm@1')).toBe(
      'Recommended: m@2 — meets every criterion.',
    );
  });

  it('lists the arms with the control taking the rest, and a shadow as a mirrored share', () => {
    const base = {
      control: 'm@1',
      kind: 'ab',
      shadow: null,
      candidates: [
        { version: 'm@2', weight: 30 },
        { version: 'm@3', weight: 20 },
      ],
    } as Pick<ExperimentDto, 'control' | 'candidates' | 'kind' | 'shadow'>;
    expect(armsText(base)).toBe('m@2 30 % · m@3 20 % · m@1 (control) 50 %');
    expect(
      armsText({
        ...base,
        kind: 'shadow',
        shadow: { percent: 100 },
        candidates: [{ version: 'm@2', weight: 0 }],
      }),
    ).toBe('m@1 (control) 100 % · m@2 shadow of 100 %');
  });
});
