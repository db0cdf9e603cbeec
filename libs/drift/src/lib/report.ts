// Compares a live profile with the reference: per feature, templates, unseen templates, score, anomaly rate, verdict.
import { type CategoricalStatistic, type DriftConfig, type DriftStatistic, DEFAULT_DRIFT_CONFIG } from './config';
import type { Profile, ReferenceProfile } from './profile';
import { type NumericSketch, emptyNumericSketch, meanOf, stdOf } from './sketch';
import { alignCategories, benjaminiHochberg, chiSquare, chiSquareSurvival, jensenShannon, ksBinned, psi, wassersteinNormalized } from './statistics';

/** One side of a comparison, for charts: the shared edges, its counts, its mean and spread. */
export interface HistogramView {
  edges: number[];
  counts: number[];
  n: number;
  mean: number | null;
  std: number | null;
}

export interface ColumnDrift {
  feature: string;
  statistic: DriftStatistic;
  /** a distance (psi, jensenshannon, wasserstein: drift when ≥ threshold) or a p-value (ks, chisquare: drift when < threshold, after the correction) */
  value: number | null;
  threshold: number;
  drifted: boolean;
  /** ks / chisquare: the test statistic (D, χ²) and the raw p before the correction */
  testStatistic?: number;
  rawPValue?: number;
  reference: HistogramView;
  current: HistogramView;
  /** the other distances, for context */
  distances: { psi: number | null; jensenshannon: number | null; wasserstein: number | null };
}

export interface TemplateDrift {
  statistic: CategoricalStatistic;
  value: number | null;
  threshold: number;
  drifted: boolean;
  /** templates whose share moved most (reference share → current share) */
  topChanges: Array<{ template: string; reference: number; current: number }>;
}

export interface UnseenTemplates {
  /** share of current lines whose template is not in the reference */
  rate: number | null;
  threshold: number;
  drifted: boolean;
  lines: number;
  /** the unseen templates with the most lines */
  examples: Array<{ template: string; lines: number }>;
}

export interface AnomalyRateChange {
  reference: number | null;
  current: number | null;
  change: number | null;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
}

export interface DriftReport {
  referenceOrigin: ReferenceProfile['origin'];
  referenceWindows: number;
  currentWindows: number;
  features: ColumnDrift[];
  templates: TemplateDrift | null;
  unseenTemplates: UnseenTemplates | null;
  score: ColumnDrift | null;
  anomalyRate: AnomalyRateChange;
  dataset: { drifted: boolean; driftedFeatures: number; features: number; share: number; threshold: number };
}

const P_VALUE_STATISTICS: readonly DriftStatistic[] = ['ks', 'chisquare'];

export function isPValueStatistic(s: DriftStatistic): boolean {
  return P_VALUE_STATISTICS.includes(s);
}

function view(s: NumericSketch): HistogramView {
  return { edges: s.edges, counts: s.counts, n: s.n, mean: meanOf(s), std: stdOf(s) };
}

function thresholdOf(statistic: DriftStatistic, config: DriftConfig, feature?: string): number {
  const own = feature ? config.features[feature]?.threshold : undefined;
  if (own !== undefined) return own;
  return isPValueStatistic(statistic) ? config.thresholds.pValue : config.thresholds[statistic as 'psi' | 'jensenshannon' | 'wasserstein'];
}

function numericStatisticFor(feature: string, referenceRows: number, config: DriftConfig): DriftStatistic {
  const own = config.features[feature]?.statistic;
  if (own) return own === 'chisquare' ? 'ks' : own;
  if (config.numericStatistic !== 'auto') return config.numericStatistic;
  return referenceRows <= config.smallReferenceRows ? 'ks' : 'wasserstein';
}

function columnDrift(feature: string, ref: NumericSketch, cur: NumericSketch, config: DriftConfig): ColumnDrift {
  const statistic = numericStatisticFor(feature, ref.n, config);
  const threshold = thresholdOf(statistic, config, feature);
  const base = { feature, statistic, threshold, reference: view(ref), current: view(cur) };
  if (!cur.n || !ref.n) return { ...base, value: null, drifted: false, distances: { psi: null, jensenshannon: null, wasserstein: null } };
  const distances = { psi: psi(ref.counts, cur.counts), jensenshannon: jensenShannon(ref.counts, cur.counts), wasserstein: wassersteinNormalized(ref, cur) };
  if (statistic === 'ks') {
    const ks = ksBinned(ref.counts, cur.counts);
    return { ...base, value: ks.pValue, drifted: ks.pValue < threshold, testStatistic: ks.statistic, rawPValue: ks.pValue, distances };
  }
  const value = distances[statistic as 'psi' | 'jensenshannon' | 'wasserstein'];
  return { ...base, value, drifted: value >= threshold, distances };
}

/**
 * The drift of `current` against `reference`. Per feature one statistic decides (the config's, or Evidently's rule
 * by reference size); p-values of all feature tests are adjusted together (Benjamini–Hochberg) before comparing.
 */
export function compareProfiles(reference: ReferenceProfile, current: Profile, config: DriftConfig = DEFAULT_DRIFT_CONFIG): DriftReport {
  const features = Object.entries(reference.features).map(([name, ref]) => columnDrift(name, ref, current.features[name] ?? emptyNumericSketch(ref.edges), config));
  // multiple testing: adjust the p-values of the features that were tested
  const tested = features.filter((f) => isPValueStatistic(f.statistic) && f.value !== null);
  if (config.correction === 'bh' && tested.length > 1) {
    const adjusted = benjaminiHochberg(tested.map((f) => f.rawPValue ?? 1));
    tested.forEach((f, i) => {
      f.value = adjusted[i];
      f.drifted = adjusted[i] < f.threshold;
    });
  }
  const withData = features.filter((f) => f.value !== null);
  const driftedFeatures = withData.filter((f) => f.drifted).length;
  const share = withData.length ? driftedFeatures / withData.length : 0;

  const score = reference.score ? columnDrift('score', reference.score, current.score ?? emptyNumericSketch(reference.score.edges), config) : null;
  return {
    referenceOrigin: reference.origin,
    referenceWindows: reference.windows,
    currentWindows: current.windows,
    features,
    templates: templateDrift(reference, current, config),
    unseenTemplates: unseenTemplates(reference, current, config),
    score,
    anomalyRate: anomalyRateChange(reference, current, config),
    dataset: { drifted: withData.length > 0 && share >= config.datasetDriftShare, driftedFeatures, features: withData.length, share, threshold: config.datasetDriftShare },
  };
}

function templateDrift(reference: ReferenceProfile, current: Profile, config: DriftConfig): TemplateDrift | null {
  if (!reference.templates) return null;
  // numeric-only statistics named for templates map to their categorical counterparts
  const own = config.features['templates']?.statistic;
  const ownCategorical: CategoricalStatistic | undefined = own === 'ks' ? 'chisquare' : own === 'wasserstein' ? 'jensenshannon' : own;
  const statistic: CategoricalStatistic =
    ownCategorical ?? (config.categoricalStatistic !== 'auto' ? config.categoricalStatistic : reference.templates.n <= config.smallReferenceRows ? 'chisquare' : 'jensenshannon');
  const threshold = thresholdOf(statistic, config, 'templates');
  const cur = current.templates;
  if (!cur || !cur.n || !reference.templates.n) return { statistic, value: null, threshold, drifted: false, topChanges: [] };
  const a = alignCategories(reference.templates, cur);
  const rn = reference.templates.n;
  const topChanges = a.categories
    .map((template, i) => ({ template, reference: a.reference[i] / rn, current: a.current[i] / cur.n }))
    .sort((x, y) => Math.abs(y.current - y.reference) - Math.abs(x.current - x.reference))
    .slice(0, 10);
  // chi-square on line counts has great power over many lines: a real but small mix change is reported
  const value = statistic === 'chisquare' ? chiSquare(a.reference, a.current).pValue : statistic === 'psi' ? psi(a.reference, a.current) : jensenShannon(a.reference, a.current);
  const drifted = statistic === 'chisquare' ? value < threshold : value >= threshold;
  return { statistic, value, threshold, drifted, topChanges };
}

function unseenTemplates(reference: ReferenceProfile, current: Profile, config: DriftConfig): UnseenTemplates | null {
  const known = reference.templates?.counts;
  if (!known) return null;
  const threshold = config.unseenTemplateRate;
  const cur = current.templates;
  if (!cur || !cur.n) return { rate: null, threshold, drifted: false, lines: 0, examples: [] };
  const unseen = Object.entries(cur.counts).filter(([t]) => !Object.prototype.hasOwnProperty.call(known, t));
  const lines = unseen.reduce((a, [, n]) => a + n, 0);
  const rate = lines / cur.n;
  return {
    rate,
    threshold,
    // drifted when the share is above the threshold beyond chance: one unseen line among 80 (a young miner's first
    // spelling, a short check window) is 1.25 % but says nothing; 2 % of 3,000 lines does
    drifted: wilsonLowerBound(lines, cur.n) >= threshold,
    lines,
    examples: unseen
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([template, n]) => ({ template, lines: n })),
  };
}

/** Two-proportion z-test of the flagged share (pooled variance); two-sided p = P(χ²₁ > z²). */
function anomalyRateChange(reference: ReferenceProfile, current: Profile, config: DriftConfig): AnomalyRateChange {
  const threshold = config.anomalyRatePValue;
  const r = reference.threshold !== null && reference.windows ? reference.flagged / reference.windows : null;
  const c = current.windows ? current.flagged / current.windows : null;
  if (r === null || c === null) return { reference: r, current: c, change: r !== null && c !== null ? c - r : null, pValue: null, threshold, drifted: false };
  const pooled = (reference.flagged + current.flagged) / (reference.windows + current.windows);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / reference.windows + 1 / current.windows));
  const pValue = se > 0 ? chiSquareSurvival(((c - r) / se) ** 2, 1) : 1;
  return { reference: r, current: c, change: c - r, pValue, threshold, drifted: pValue < threshold };
}

/** One-sided 95 % Wilson lower bound of a proportion k/n: the share is above it with 95 % confidence. */
export function wilsonLowerBound(k: number, n: number, z = 1.6448536269514722): number {
  if (n <= 0) return 0;
  const p = k / n;
  const z2 = z * z;
  return Math.max(0, (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n));
}
