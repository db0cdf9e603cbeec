// Drift defaults (the anchors: Evidently, NannyML, Alibi Detect) and their per-model override from version metadata.

export const NUMERIC_STATISTICS = ['ks', 'wasserstein', 'psi', 'jensenshannon'] as const;
export const CATEGORICAL_STATISTICS = ['chisquare', 'jensenshannon', 'psi'] as const;
export type NumericStatistic = (typeof NUMERIC_STATISTICS)[number];
export type CategoricalStatistic = (typeof CATEGORICAL_STATISTICS)[number];
export type DriftStatistic = NumericStatistic | CategoricalStatistic;

export interface DriftConfig {
  /** 'auto': KS at or below `smallReferenceRows` reference rows, normalised Wasserstein above (Evidently) */
  numericStatistic: 'auto' | NumericStatistic;
  /** 'auto': chi-square at or below `smallReferenceRows`, Jensen–Shannon above (Evidently) */
  categoricalStatistic: 'auto' | CategoricalStatistic;
  smallReferenceRows: number;
  /** distance thresholds: drift when the value is at or above; p-value threshold: drift when the adjusted p is below */
  thresholds: { psi: number; jensenshannon: number; wasserstein: number; pValue: number };
  /** multiple-testing correction of the per-feature p-values (Alibi Detect's FDR option) */
  correction: 'bh' | 'none';
  /** the dataset drifts when at least this share of features does (Evidently's 0.5) */
  datasetDriftShare: number;
  /** share of current lines whose template the reference never saw, at or above which the templates drift */
  unseenTemplateRate: number;
  /** p below which the anomaly rate's change counts (two-proportion z-test) */
  anomalyRatePValue: number;
  /** per feature: its own statistic and/or threshold */
  features: Record<string, { statistic?: DriftStatistic; threshold?: number }>;
}

export const DEFAULT_DRIFT_CONFIG: DriftConfig = Object.freeze({
  numericStatistic: 'auto',
  categoricalStatistic: 'auto',
  smallReferenceRows: 1000,
  thresholds: Object.freeze({ psi: 0.1, jensenshannon: 0.1, wasserstein: 0.1, pValue: 0.05 }),
  correction: 'bh',
  datasetDriftShare: 0.5,
  unseenTemplateRate: 0.01,
  anomalyRatePValue: 0.05,
  features: Object.freeze({}),
}) as DriftConfig;

/** A refused `metadata.drift` override; the message names the field. */
export class DriftConfigError extends Error {
  override readonly name = 'DriftConfigError';
}

/** The defaults with a version's `metadata.drift` laid over them (every field optional; bad values are refused). */
export function driftConfigFrom(metadata: Record<string, unknown> | null | undefined): DriftConfig {
  const raw = metadata?.['drift'];
  if (raw === undefined || raw === null) return DEFAULT_DRIFT_CONFIG;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new DriftConfigError('metadata.drift must be an object');
  const o = raw as Record<string, unknown>;
  const known = new Set(['numericStatistic', 'categoricalStatistic', 'smallReferenceRows', 'thresholds', 'correction', 'datasetDriftShare', 'unseenTemplateRate', 'anomalyRatePValue', 'features']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new DriftConfigError(`metadata.drift.${k} is not a drift setting (known: ${[...known].join(', ')})`);
  const d = DEFAULT_DRIFT_CONFIG;
  const oneOf = <T extends string>(k: string, allowed: readonly T[], dflt: T): T => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !allowed.includes(v as T)) throw new DriftConfigError(`metadata.drift.${k} must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  const share = (path: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new DriftConfigError(`metadata.drift.${path} must be a number in (0, 1]`);
    return v;
  };
  const positive = (path: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new DriftConfigError(`metadata.drift.${path} must be a positive number`);
    return v;
  };
  const t = o['thresholds'];
  if (t !== undefined && (typeof t !== 'object' || t === null || Array.isArray(t))) throw new DriftConfigError('metadata.drift.thresholds must be an object');
  const th = (t ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(th)) if (!(k in d.thresholds)) throw new DriftConfigError(`metadata.drift.thresholds.${k} is not a threshold (known: ${Object.keys(d.thresholds).join(', ')})`);
  const f = o['features'];
  if (f !== undefined && (typeof f !== 'object' || f === null || Array.isArray(f))) throw new DriftConfigError('metadata.drift.features must be an object by feature name');
  const features: DriftConfig['features'] = {};
  const allStatistics: readonly string[] = [...NUMERIC_STATISTICS, ...CATEGORICAL_STATISTICS];
  for (const [name, v] of Object.entries((f ?? {}) as Record<string, unknown>)) {
    if (!v || typeof v !== 'object') throw new DriftConfigError(`metadata.drift.features.${name} must be { statistic?, threshold? }`);
    const { statistic, threshold, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length) throw new DriftConfigError(`metadata.drift.features.${name}.${Object.keys(rest)[0]} is not a feature setting (statistic, threshold)`);
    if (statistic !== undefined && (typeof statistic !== 'string' || !allStatistics.includes(statistic))) {
      throw new DriftConfigError(`metadata.drift.features.${name}.statistic must be one of ${allStatistics.join(', ')}`);
    }
    features[name] = { ...(statistic !== undefined ? { statistic: statistic as DriftStatistic } : {}), ...(threshold !== undefined ? { threshold: positive(`features.${name}.threshold`, threshold, 0) } : {}) };
  }
  const rows = o['smallReferenceRows'];
  if (rows !== undefined && (!Number.isInteger(rows) || (rows as number) < 0)) throw new DriftConfigError('metadata.drift.smallReferenceRows must be a non-negative integer');
  return {
    numericStatistic: oneOf('numericStatistic', ['auto', ...NUMERIC_STATISTICS], d.numericStatistic),
    categoricalStatistic: oneOf('categoricalStatistic', ['auto', ...CATEGORICAL_STATISTICS], d.categoricalStatistic),
    smallReferenceRows: (rows as number | undefined) ?? d.smallReferenceRows,
    thresholds: {
      psi: positive('thresholds.psi', th['psi'], d.thresholds.psi),
      jensenshannon: share('thresholds.jensenshannon', th['jensenshannon'], d.thresholds.jensenshannon),
      wasserstein: positive('thresholds.wasserstein', th['wasserstein'], d.thresholds.wasserstein),
      pValue: share('thresholds.pValue', th['pValue'], d.thresholds.pValue),
    },
    correction: oneOf('correction', ['bh', 'none'], d.correction),
    datasetDriftShare: share('datasetDriftShare', o['datasetDriftShare'], d.datasetDriftShare),
    unseenTemplateRate: share('unseenTemplateRate', o['unseenTemplateRate'], d.unseenTemplateRate),
    anomalyRatePValue: share('anomalyRatePValue', o['anomalyRatePValue'], d.anomalyRatePValue),
    features,
  };
}
