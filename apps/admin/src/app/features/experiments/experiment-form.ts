import type { CreateExperimentBody } from '@loglens/client';
import { MODEL_NAME_PATTERN } from '@loglens/contracts/protocol';
import type { ExperimentKind, StickinessKey } from './experiments.model';

/**
 * The create form's checks, mirroring the contract's CreateExperimentRequest and checkExperimentSpec (a value import
 * of those would bundle class-validator). The gateway checks again; when it refuses, its message is shown.
 */

/** The version rule of the contract: a number or an alias. */
const VERSION_PATTERN = /^(\d+|[a-z][a-z0-9_-]{0,31})$/;
export const MAX_CANDIDATES = 4;

export interface CandidateField {
  version: string;
  /** percent of the traffic, as typed */
  weight: string;
}

/** What the person filled in, as the inputs give it (text). Rates are typed in percent. */
export interface ExperimentFormValue {
  model: string;
  kind: ExperimentKind;
  /** empty: the serving version */
  control: string;
  candidates: CandidateField[];
  stickiness: StickinessKey | '';
  stepWeight: string;
  maxWeight: string;
  intervalSec: string;
  failureThreshold: string;
  shadowPercent: string;
  maxErrorRatePct: string;
  maxP99Ms: string;
  /** optional */
  maxAnomalyRateDeltaPct: string;
  /** optional */
  minAgreementPct: string;
  minSamples: string;
}

export const EMPTY_EXPERIMENT_FORM: ExperimentFormValue = {
  model: '',
  kind: 'canary',
  control: '',
  candidates: [{ version: '', weight: '10' }],
  stickiness: '',
  stepWeight: '10',
  maxWeight: '50',
  intervalSec: '60',
  failureThreshold: '2',
  shadowPercent: '100',
  maxErrorRatePct: '1',
  maxP99Ms: '500',
  maxAnomalyRateDeltaPct: '',
  minAgreementPct: '',
  minSamples: '200',
};

/** Field errors keyed by field (`model`, `candidate.0.weight`, `stepWeight`…) and rules across fields under `form`. */
export type ExperimentFormErrors = Partial<Record<string, string>> & { form?: string[] };

export type ExperimentFormCheck =
  | { ok: true; body: CreateExperimentBody }
  | { ok: false; errors: ExperimentFormErrors };

/** A number from a text field within [min, max] (integer when asked), or the message saying what is wrong. */
function numberIn(text: string, min: number, max: number, integer = false): number | string {
  const t = text.trim();
  if (!t) return 'Required.';
  const n = Number(t);
  if (!Number.isFinite(n)) return 'A number, please.';
  if (integer && !Number.isInteger(n)) return 'A whole number, please.';
  if (n < min || n > max) return max === Infinity ? `At least ${min}.` : `Between ${min} and ${max}.`;
  return n;
}

/** Rounds away the float noise of percent → fraction (1.1 / 100 = 0.011000000000000001). */
const fraction = (pct: number): number => Number((pct / 100).toPrecision(12));

export function checkExperimentForm(v: ExperimentFormValue): ExperimentFormCheck {
  const errors: ExperimentFormErrors = {};
  const problems: string[] = [];
  const take = (field: string, r: number | string): number => {
    if (typeof r === 'string') {
      errors[field] = r;
      return NaN;
    }
    return r;
  };

  const model = v.model.trim();
  if (!model) errors['model'] = 'Name the model whose traffic is split.';
  else if (!MODEL_NAME_PATTERN.test(model))
    errors['model'] =
      'Lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (max 64).';

  const control = v.control.trim();
  if (control && !VERSION_PATTERN.test(control))
    errors['control'] = 'A version number (3) or an alias of the model.';

  if (v.candidates.length < 1) problems.push('Name at least one candidate version.');
  if (v.candidates.length > MAX_CANDIDATES) problems.push(`At most ${MAX_CANDIDATES} candidates.`);
  if (v.kind !== 'ab' && v.candidates.length !== 1)
    problems.push(`A ${v.kind} experiment has exactly one candidate.`);
  const candidates = v.candidates.map((c, i) => {
    const version = c.version.trim();
    if (!version) errors[`candidate.${i}.version`] = 'Name the candidate version.';
    else if (!VERSION_PATTERN.test(version))
      errors[`candidate.${i}.version`] = 'A version number (3) or an alias of the model.';
    else if (control && version === control)
      errors[`candidate.${i}.version`] = 'The control cannot be a candidate too.';
    // a shadow candidate answers no caller: its weight is 0 whatever the field says (the form hides it)
    const weight = v.kind === 'shadow' ? 0 : take(`candidate.${i}.weight`, numberIn(c.weight, 0, 100));
    if (v.kind === 'ab' && weight === 0)
      errors[`candidate.${i}.weight`] = 'An A/B candidate needs a weight above 0.';
    return { version, weight };
  });
  const versions = candidates.map((c) => c.version).filter(Boolean);
  if (new Set(versions).size !== versions.length) problems.push('Two candidates name the same version.');
  const total = candidates.reduce((sum, c) => sum + (Number.isFinite(c.weight) ? c.weight : 0), 0);
  if (total > 100) problems.push(`The candidates' weights add up to ${total} %: at most 100.`);

  let canary: CreateExperimentBody['canary'];
  if (v.kind === 'canary') {
    canary = {
      stepWeight: take('stepWeight', numberIn(v.stepWeight, 1, 100)),
      maxWeight: take('maxWeight', numberIn(v.maxWeight, 1, 100)),
      intervalSec: take('intervalSec', numberIn(v.intervalSec, 1, 86_400, true)),
      failureThreshold: take('failureThreshold', numberIn(v.failureThreshold, 1, 100, true)),
    };
    if (canary.stepWeight > canary.maxWeight)
      errors['stepWeight'] = 'The step must not exceed the maximum weight.';
  }
  let shadow: CreateExperimentBody['shadow'];
  if (v.kind === 'shadow') shadow = { percent: take('shadowPercent', numberIn(v.shadowPercent, 1, 100)) };

  const criteria: CreateExperimentBody['criteria'] = {
    maxErrorRate: fraction(take('maxErrorRatePct', numberIn(v.maxErrorRatePct, 0, 100))),
    maxP99Ms: take('maxP99Ms', numberIn(v.maxP99Ms, 0, Infinity)),
    minSamples: take('minSamples', numberIn(v.minSamples, 1, 1_000_000, true)),
  };
  if (v.maxAnomalyRateDeltaPct.trim())
    criteria.maxAnomalyRateDelta = fraction(
      take('maxAnomalyRateDeltaPct', numberIn(v.maxAnomalyRateDeltaPct, 0, 100)),
    );
  if (v.minAgreementPct.trim())
    criteria.minAgreement = fraction(take('minAgreementPct', numberIn(v.minAgreementPct, 0, 100)));

  if (problems.length > 0) errors.form = problems;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      model,
      kind: v.kind,
      ...(control ? { control } : {}),
      candidates,
      ...(v.stickiness ? { stickiness: { key: v.stickiness } } : {}),
      ...(canary ? { canary } : {}),
      ...(shadow ? { shadow } : {}),
      criteria,
    },
  };
}
