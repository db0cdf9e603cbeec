import type { TopFeatureDto, WindowExplanationDto } from '@loglens/contracts';

/** One bar of an attribution waterfall: where the running sum stood before and after this step. */
export interface WaterfallStep {
  kind: 'base' | 'feature' | 'other' | 'output';
  /** what the row says: `base value`, a feature (with its template text), `N other features`, `output` */
  label: string;
  /** the feature's value in this window (features only) */
  value: number | null;
  template: string | null;
  from: number;
  to: number;
  /** to − from; the base and output rows carry their own value here */
  contribution: number;
}

export interface Waterfall {
  steps: WaterfallStep[];
  /** the smallest and largest running sum, the axis the bars are drawn on */
  min: number;
  max: number;
  /** base + Σ contributions − output: 0 up to rounding when the window's explanation is complete */
  residual: number;
}

/**
 * The waterfall of a window's attributions: from the base value (the model's expected output), each listed feature's
 * contribution in order of |contribution|, then the unlisted features together, to the window's output
 * (`baseValue + Σ topFeatures[].contribution + otherContribution = outputValue`, docs/models.md).
 */
export function buildWaterfall(features: readonly TopFeatureDto[], explanation: WindowExplanationDto): Waterfall {
  const attributed = features
    .filter((f) => typeof f.contribution === 'number' && Number.isFinite(f.contribution))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const steps: WaterfallStep[] = [
    {
      kind: 'base',
      label: 'base value',
      value: null,
      template: null,
      from: explanation.baseValue,
      to: explanation.baseValue,
      contribution: explanation.baseValue,
    },
  ];
  let at = explanation.baseValue;
  for (const f of attributed) {
    steps.push({
      kind: 'feature',
      label: f.name,
      value: f.value,
      template: f.template && f.template !== f.name ? f.template : null,
      from: at,
      to: at + f.contribution,
      contribution: f.contribution,
    });
    at += f.contribution;
  }
  if (explanation.otherContribution !== 0) {
    steps.push({
      kind: 'other',
      label: 'other features',
      value: null,
      template: null,
      from: at,
      to: at + explanation.otherContribution,
      contribution: explanation.otherContribution,
    });
    at += explanation.otherContribution;
  }
  steps.push({
    kind: 'output',
    label: 'output',
    value: null,
    template: null,
    from: explanation.outputValue,
    to: explanation.outputValue,
    contribution: explanation.outputValue,
  });
  const ends = steps.flatMap((s) => [s.from, s.to]);
  return { steps, min: Math.min(...ends), max: Math.max(...ends), residual: at - explanation.outputValue };
}

/** What the output space is, in an operator's words, and the score it maps to (null when the link needs more). */
export function outputSpaceText(space: WindowExplanationDto['outputSpace']): string {
  switch (space) {
    case 'logit':
      return 'log-odds (score = sigmoid of the output)';
    case 'log-score':
      return 'ln score (score = e^output)';
    case 'spe':
      return 'squared reconstruction error (SPE)';
    case 'margin':
      return 'class margin';
    case 'score':
      return 'score';
  }
}

/** The score an output maps to through the model's link, where the link needs nothing else. */
export function scoreOfOutput(space: WindowExplanationDto['outputSpace'], output: number): number | null {
  if (space === 'logit') return 1 / (1 + Math.exp(-output));
  if (space === 'log-score') return Math.exp(output);
  if (space === 'score') return output;
  return null;
}
