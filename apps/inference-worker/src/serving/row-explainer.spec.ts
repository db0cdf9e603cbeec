import type { RowExplanationDto } from '@loglens/contracts';
import { keepTopAttributions } from './row-explainer';

describe('keepTopAttributions (a predict request’s explainTop)', () => {
  const row = (contributions: number[]): RowExplanationDto => ({
    method: 'tree-shap',
    approximate: false,
    outputSpace: 'logit',
    baseValue: -2,
    outputValue: -2 + contributions.reduce((a, b) => a + b, 0),
    attributions: contributions.map((contribution, j) => ({ feature: `f${j}`, value: j, contribution })),
  });

  it('keeps the first k of each ranked list and the whole list’s sum, in rank order', () => {
    const ranked = row([0.9, -0.4, 0.3, -0.1, 0.05, 0.01, 0]);
    const [cut] = keepTopAttributions([ranked], 3);
    expect(cut.attributions).toEqual(ranked.attributions.slice(0, 3));
    expect(cut.attributionSum).toBe(ranked.attributions.reduce((s, a) => s + a.contribution, 0));
    expect(cut).toMatchObject({ method: 'tree-shap', baseValue: -2, outputValue: ranked.outputValue });
  });

  it('leaves lists of at most k, and every list when the request asked for no cut, as they are', () => {
    const short = row([0.5, 0.25]);
    expect(keepTopAttributions([short], 2)[0]).toBe(short);
    const long = row([0.5, 0.25, 0.125]);
    expect(keepTopAttributions([long], undefined)[0]).toBe(long);
    expect(keepTopAttributions([long], null)[0]).toBe(long);
  });
});
