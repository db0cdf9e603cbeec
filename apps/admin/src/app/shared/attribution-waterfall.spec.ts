import { buildWaterfall, scoreOfOutput } from './attribution-waterfall';

describe('buildWaterfall', () => {
  const explanation = { method: 'linear', approximate: false, outputSpace: 'logit', baseValue: 1, outputValue: -0.5, otherContribution: -0.25 } as const;

  it('walks from the base value through each feature, largest |contribution| first, then the rest, to the output', () => {
    const w = buildWaterfall(
      [
        { name: 'a', value: 1, reference: 0, contribution: 0.25 },
        { name: 'b', value: 2, reference: 0, contribution: -1.5 },
      ],
      explanation,
    );
    expect(w.steps.map((s) => [s.kind, s.label, s.from, s.to])).toEqual([
      ['base', 'base value', 1, 1],
      ['feature', 'b', 1, -0.5],
      ['feature', 'a', -0.5, -0.25],
      ['other', 'other features', -0.25, -0.5],
      ['output', 'output', -0.5, -0.5],
    ]);
    expect(w.min).toBe(-0.5);
    expect(w.max).toBe(1);
    expect(w.residual).toBeCloseTo(0, 12);
  });

  it('says how far the listed parts miss the output when an explanation does not add up', () => {
    const w = buildWaterfall([{ name: 'a', value: 1, reference: 0, contribution: 0.1 }], { ...explanation, otherContribution: 0 });
    expect(w.steps.map((s) => s.kind)).toEqual(['base', 'feature', 'output']); // no empty "other" row
    expect(w.residual).toBeCloseTo(1.6, 12);
  });

  it('maps an output to the score through the link the output space names', () => {
    expect(scoreOfOutput('logit', 0)).toBe(0.5);
    expect(scoreOfOutput('log-score', 0)).toBe(1);
    expect(scoreOfOutput('score', 0.3)).toBe(0.3);
    expect(scoreOfOutput('spe', 2)).toBeNull();
  });
});
