// Reference windows: a version with no reference profile (an uploaded model: nothing of its training data is known)
// has no bin edges for live windows to fold into, so producers send the raw rows of its first live windows instead
// (`ReferenceSample`, bounded per bucket). The registry keeps them in arrival order and, once N windows are in,
// freezes the first N into the version's reference exactly as training rows are profiled (`buildReferenceProfile`:
// each column's own min, deciles and max), marked `origin: "reference-window"`. From then on live windows fold into
// its edges like any other version's.
import { buildReferenceProfile, type ReferenceProfile } from './profile';

/** Raw rows of a version without a reference, in the order they were scored. `null` stands for a missing value. */
export interface ReferenceSample {
  featureNames: string[];
  rows: Array<Array<number | null>>;
  scores: Array<number | null>;
}

/** Rows one bucket carries at most (the registry needs the first DRIFT_REFERENCE_WINDOWS; 500 by default). */
export const MAX_SAMPLE_ROWS = 5000;

/** The default reference window: the first 500 live windows (DRIFT_REFERENCE_WINDOWS). */
export const DEFAULT_REFERENCE_WINDOWS = 500;

/** Checks a sample read from JSON; returns a reason when it is not one. */
export function sampleProblem(s: unknown): string | null {
  if (!s || typeof s !== 'object') return 'sample must be an object';
  const o = s as Record<string, unknown>;
  const names = o['featureNames'];
  if (!Array.isArray(names) || names.length === 0 || names.length > 10_000 || !names.every((n) => typeof n === 'string' && n.length > 0 && n.length <= 200)) {
    return 'sample.featureNames must be 1-10000 non-empty names';
  }
  if (new Set(names).size !== names.length) return 'sample.featureNames must not repeat';
  const rows = o['rows'];
  if (!Array.isArray(rows) || rows.length > MAX_SAMPLE_ROWS) return `sample.rows must be an array of at most ${MAX_SAMPLE_ROWS} rows`;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as unknown;
    if (!Array.isArray(r) || r.length !== names.length || !r.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) {
      return `sample.rows[${i}] must be ${names.length} finite numbers (or null)`;
    }
  }
  const scores = o['scores'];
  if (!Array.isArray(scores) || scores.length !== rows.length || !scores.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) {
    return `sample.scores must be ${rows.length} finite numbers (or null)`;
  }
  return null;
}

/**
 * The reference of the first `windows` sampled rows (samples in the order they were collected), or null while fewer
 * have been collected. Samples whose feature names differ from the first one's (another schema) are skipped. Scores
 * are profiled when every used row has one; flags count against `threshold`.
 */
export function referenceFromSamples(samples: readonly ReferenceSample[], windows: number, threshold: number | null): { reference: ReferenceProfile; rows: number } | null {
  if (!(windows >= 1)) throw new RangeError('windows must be at least 1');
  const first = samples.find((s) => s.rows.length > 0);
  if (!first) return null;
  const key = first.featureNames.join('\u0000');
  const rows: number[][] = [];
  const scores: Array<number | null> = [];
  for (const s of samples) {
    if (s.featureNames.join('\u0000') !== key) continue;
    for (let i = 0; i < s.rows.length && rows.length < windows; i++) {
      rows.push(s.rows[i].map((v) => (v === null ? NaN : v)));
      scores.push(s.scores[i]);
    }
    if (rows.length >= windows) break;
  }
  if (rows.length < windows) return null;
  const scored = scores.every((v): v is number => v !== null);
  const reference = buildReferenceProfile({ featureNames: first.featureNames, rows, ...(scored ? { scores: scores as number[] } : {}), threshold, origin: 'reference-window' });
  return { reference, rows: rows.length };
}

/** Live windows held in a list of samples with the first sample's feature names (what `referenceFromSamples` would use). */
export function sampledWindows(samples: readonly ReferenceSample[]): number {
  const first = samples.find((s) => s.rows.length > 0);
  if (!first) return 0;
  const key = first.featureNames.join('\u0000');
  return samples.reduce((n, s) => n + (s.featureNames.join('\u0000') === key ? s.rows.length : 0), 0);
}
