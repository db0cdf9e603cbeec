import type { CandidateField, ExperimentFormValue } from './experiment-form';
import type { ExperimentKind } from './experiments.model';

/* The create form's edits as plain functions of its value: each returns the new value and leaves the old one alone. */

/** An edit a section of the form hands the page, which applies it to its latest value. */
export type FormEdit = (v: ExperimentFormValue) => ExperimentFormValue;

/** Sets the fields given. */
export function patched(change: Partial<ExperimentFormValue>): FormEdit {
  return (v) => ({ ...v, ...change });
}

/** `?model=…&candidate=…` of a version's page fill the model and the first candidate. */
export function prefilled(
  v: ExperimentFormValue,
  model: string | null,
  candidate: string | null,
): ExperimentFormValue {
  if (!model && !candidate) return v;
  return {
    ...v,
    model: model ?? v.model,
    candidates: candidate ? [{ ...v.candidates[0], version: candidate }] : v.candidates,
  };
}

/** canary and shadow take exactly one candidate: a switch to them keeps the first */
export function withKind(v: ExperimentFormValue, kind: ExperimentKind): ExperimentFormValue {
  return { ...v, kind, candidates: kind === 'ab' ? v.candidates : v.candidates.slice(0, 1) };
}

export function withCandidate(
  v: ExperimentFormValue,
  i: number,
  change: Partial<CandidateField>,
): ExperimentFormValue {
  return { ...v, candidates: v.candidates.map((c, j) => (j === i ? { ...c, ...change } : c)) };
}

export function withAddedCandidate(v: ExperimentFormValue): ExperimentFormValue {
  return { ...v, candidates: [...v.candidates, { version: '', weight: '10' }] };
}

export function withoutCandidate(v: ExperimentFormValue, i: number): ExperimentFormValue {
  return { ...v, candidates: v.candidates.filter((_, j) => j !== i) };
}

/** What the control answers once the candidates took their weights: "90 %", or nothing above 100 %. */
export function controlShare(candidates: readonly CandidateField[]): string {
  const total = candidates.reduce((s, c) => s + (Number(c.weight) || 0), 0);
  return total > 100 ? 'nothing (the weights exceed 100 %)' : `${Number((100 - total).toFixed(3))} %`;
}
