// Profiles: the sketches of what a model version scored (per feature, its score, its flags, the templates behind its
// rows). The reference profile comes from training and travels in the version's metadata (`referenceProfile`); live
// profiles are folded per version and time bucket with the reference's own bin edges, so the two compare cell by cell.
import {
  type CategoricalSketch,
  type NumericSketch,
  DEFAULT_BINS,
  addCategory,
  addNumeric,
  categoricalSketch,
  edgesFromValues,
  emptyCategoricalSketch,
  emptyNumericSketch,
  mergeCategorical,
  mergeNumeric,
  numericSketch,
} from './sketch';

export const PROFILE_FORMAT = 'drift-profile.v1';

/** Sketches of a set of scored windows (rows). */
export interface Profile {
  format: typeof PROFILE_FORMAT;
  /** one histogram per feature column, by name */
  features: Record<string, NumericSketch>;
  /** the model's scores */
  score: NumericSketch | null;
  /** lines per template text behind the rows (null when the model's rows do not come from templates) */
  templates: CategoricalSketch | null;
  /** rows (windows) folded in */
  windows: number;
  /** rows at or above the version's threshold */
  flagged: number;
}

/** A version's reference: its training rows, or the first live windows of a version trained elsewhere. */
export interface ReferenceProfile extends Profile {
  /** where the reference came from */
  origin: 'training' | 'reference-window';
  /** the threshold flags were counted against */
  threshold: number | null;
}

export interface ReferenceInput {
  featureNames: readonly string[];
  /** the rows the model learned normal behaviour from */
  rows: readonly (readonly number[])[];
  /** the model's scores of those rows (its score distribution, and the anomaly rate against `threshold`) */
  scores?: readonly number[];
  threshold?: number | null;
  /** lines per template text in the training data */
  templates?: Record<string, number> | ReadonlyMap<string, number>;
  bins?: number;
  /** `training` (default) or `reference-window` (the first live windows of a version trained elsewhere) */
  origin?: ReferenceProfile['origin'];
}

/** The reference profile of training rows: each column's edges are its own min, deciles and max. */
export function buildReferenceProfile(input: ReferenceInput): ReferenceProfile {
  const { featureNames, rows } = input;
  const bins = input.bins ?? DEFAULT_BINS;
  rows.forEach((r, i) => {
    if (r.length !== featureNames.length) throw new RangeError(`row ${i} has ${r.length} values for ${featureNames.length} features`);
  });
  if (input.scores && input.scores.length !== rows.length) throw new RangeError(`${input.scores.length} scores for ${rows.length} rows`);
  const features: Record<string, NumericSketch> = {};
  featureNames.forEach((name, j) => {
    const column = rows.map((r) => r[j]);
    features[name] = numericSketch(column, edgesFromValues(column, bins));
  });
  const threshold = input.threshold ?? null;
  const scores = input.scores ?? null;
  return {
    format: PROFILE_FORMAT,
    origin: input.origin ?? 'training',
    threshold,
    features,
    score: scores ? numericSketch(scores, edgesFromValues(scores, bins)) : null,
    templates: input.templates ? categoricalSketch(input.templates) : null,
    windows: rows.length,
    flagged: scores && threshold !== null ? scores.filter((s) => s >= threshold).length : 0,
  };
}

/** An empty profile with the reference's edges: what live windows fold into. */
export function emptyProfileLike(reference: Profile): Profile {
  const features: Record<string, NumericSketch> = {};
  for (const [name, s] of Object.entries(reference.features)) features[name] = emptyNumericSketch(s.edges);
  return {
    format: PROFILE_FORMAT,
    features,
    score: reference.score ? emptyNumericSketch(reference.score.edges) : null,
    templates: emptyCategoricalSketch(),
    windows: 0,
    flagged: 0,
  };
}

export interface ScoredWindow {
  /** the row, in the reference's feature order */
  row: readonly number[];
  featureNames: readonly string[];
  score: number | null;
  flagged: boolean;
  /** lines per template text in the window */
  templates?: Record<string, number> | ReadonlyMap<string, number>;
}

/** Folds one scored window into a live profile (in place; O(features · log bins)). Unknown feature names are ignored. */
export function addWindow(profile: Profile, w: ScoredWindow): void {
  for (let j = 0; j < w.featureNames.length; j++) {
    const s = profile.features[w.featureNames[j]];
    if (s) addNumeric(s, w.row[j]);
  }
  if (profile.score && w.score !== null) addNumeric(profile.score, w.score);
  if (w.templates) {
    profile.templates ??= emptyCategoricalSketch();
    const entries = w.templates instanceof Map ? w.templates.entries() : Object.entries(w.templates);
    for (const [t, n] of entries) addCategory(profile.templates, t, n);
  }
  profile.windows++;
  if (w.flagged) profile.flagged++;
}

/** a + b (exact: same edges per feature; features only one side has are kept as they are). */
export function mergeProfiles(a: Profile, b: Profile): Profile {
  const features: Record<string, NumericSketch> = { ...a.features };
  for (const [name, s] of Object.entries(b.features)) features[name] = features[name] ? mergeNumeric(features[name], s) : s;
  const merge2 = <T>(x: T | null, y: T | null, f: (x: T, y: T) => T): T | null => (x && y ? f(x, y) : (x ?? y));
  return {
    format: PROFILE_FORMAT,
    features,
    score: merge2(a.score, b.score, mergeNumeric),
    templates: merge2(a.templates, b.templates, (x, y) => mergeCategorical(x, y)),
    windows: a.windows + b.windows,
    flagged: a.flagged + b.flagged,
  };
}

/** Checks a profile read from JSON (metadata, a message, a database row); returns a reason when it is not one. */
export function profileProblem(p: unknown): string | null {
  if (!p || typeof p !== 'object') return 'a profile must be an object';
  const o = p as Record<string, unknown>;
  if (o['format'] !== PROFILE_FORMAT) return `profile format must be ${PROFILE_FORMAT}`;
  if (!o['features'] || typeof o['features'] !== 'object') return 'profile.features must be an object of histograms';
  for (const [name, s] of Object.entries(o['features'] as Record<string, unknown>)) {
    const why = histogramProblem(s);
    if (why) return `profile.features.${name}: ${why}`;
  }
  if (o['score'] !== null && o['score'] !== undefined) {
    const why = histogramProblem(o['score']);
    if (why) return `profile.score: ${why}`;
  }
  if (!Number.isInteger(o['windows']) || (o['windows'] as number) < 0) return 'profile.windows must be a non-negative integer';
  if (!Number.isInteger(o['flagged']) || (o['flagged'] as number) < 0) return 'profile.flagged must be a non-negative integer';
  return null;
}

function histogramProblem(s: unknown): string | null {
  if (!s || typeof s !== 'object') return 'not a histogram';
  const h = s as Record<string, unknown>;
  const edges = h['edges'];
  const counts = h['counts'];
  const sums = h['sums'];
  if (!Array.isArray(edges) || edges.length === 0 || !edges.every((e) => typeof e === 'number' && Number.isFinite(e))) return 'edges must be finite numbers';
  for (let i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) return 'edges must increase strictly';
  if (!Array.isArray(counts) || counts.length !== edges.length + 1 || !counts.every((c) => Number.isInteger(c) && c >= 0)) return `counts must be ${edges.length + 1} non-negative integers`;
  if (!Array.isArray(sums) || sums.length !== counts.length || !sums.every((c) => typeof c === 'number' && Number.isFinite(c))) return `sums must be ${counts.length} finite numbers`;
  return null;
}
