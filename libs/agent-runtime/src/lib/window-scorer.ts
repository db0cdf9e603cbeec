import {
  InferenceSubjects,
  LogLensError,
  RegistrySubjects,
  type GetVersionRequest,
  type ModelVersionDto,
  type PredictReply,
  type PredictRequest,
  type TopFeatureDto,
} from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';

export interface ScoredWindow {
  score: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
}

interface Baseline {
  median: number[];
  spread: number[];
  /** the feature never varied in training (its 5–95 % spread was 0): its spread is max(1, |median|) instead */
  constant: boolean[];
}

/** Rows per predict request: well inside the worker's row limit and the NATS payload cap. */
const CHUNK_ROWS = 2000;
const TOP_FEATURES = 3;

/**
 * Scores window feature vectors with a model's serving version through the worker pool (one request per chunk of
 * windows, so the workers batch them), and explains each score by the features furthest from the training
 * baseline. Asking by model name means a deploy is followed without a restart.
 */
export class WindowScorer {
  private readonly baselines = new Map<string, Promise<Baseline | null>>();
  private warnedMissing = false;

  constructor(
    private readonly rpc: RpcClient,
    readonly model: string,
    private readonly warn: (line: string) => void = () => undefined,
  ) {}

  /** Scores feature rows (named by `featureNames`, the pipeline's columns) in chunks. */
  async score(rows: number[][], featureNames: readonly string[]): Promise<ScoredWindow[]> {
    const out: ScoredWindow[] = [];
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(...(await this.scoreChunk(rows.slice(i, i + CHUNK_ROWS), featureNames)));
    return out;
  }

  private async scoreChunk(rows: number[][], featureNames: readonly string[]): Promise<ScoredWindow[]> {
    let reply: PredictReply;
    try {
      const req: PredictRequest = { model: this.model, rows };
      // scoring is a pure function of the rows: one retry on a timeout or a vanished worker is safe
      reply = await this.rpc.call<PredictReply>(InferenceSubjects.predict, req, { timeoutMs: 30_000, retries: 1 });
    } catch (e) {
      if (e instanceof LogLensError && e.code === 'NOT_FOUND') {
        if (!this.warnedMissing) this.warn(`model "${this.model}" has no serving version: windows are published unscored until one is deployed`);
        this.warnedMissing = true;
        return rows.map(() => ({ score: null, isAnomaly: false, threshold: null, modelVersion: null, topFeatures: [] }));
      }
      throw e;
    }
    this.warnedMissing = false;
    const baseline = await this.baselineOf(reply.modelVersion, featureNames);
    return rows.map((row, i) => ({
      score: Number.isFinite(reply.scores[i]) ? reply.scores[i] : null,
      isAnomaly: reply.isAnomaly?.[i] ?? false,
      threshold: reply.threshold,
      modelVersion: reply.modelVersion,
      topFeatures: topFeatures(row, featureNames, baseline),
    }));
  }

  private baselineOf(ref: string, names: readonly string[]): Promise<Baseline | null> {
    const cacheKey = `${ref}|${names.join(',')}`;
    let cached = this.baselines.get(cacheKey);
    if (!cached) {
      const req: GetVersionRequest = { ref };
      cached = this.rpc
        .call<ModelVersionDto>(RegistrySubjects.getVersion, req, { timeoutMs: 5000, retries: 1 })
        .then((v) => baselineFrom(v, names))
        .catch(() => null);
      this.baselines.set(cacheKey, cached);
    }
    return cached;
  }

  /** The serving version of the model, or null when none serves (yet). */
  async servingVersion(): Promise<ModelVersionDto | null> {
    const req: GetVersionRequest = { ref: this.model };
    try {
      return await this.rpc.call<ModelVersionDto>(RegistrySubjects.getVersion, req, { timeoutMs: 5000, retries: 2 });
    } catch (e) {
      if (e instanceof LogLensError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }
}

/** Median and 5–95 % spread per feature from a version's metadata.baseline {quantiles, perFeature}. */
export function baselineFrom(v: ModelVersionDto, names: readonly string[]): Baseline | null {
  const b = v.metadata['baseline'] as { quantiles?: number[]; perFeature?: Record<string, number[]> } | undefined;
  const quantiles = b?.quantiles;
  const perFeature = b?.perFeature;
  if (!quantiles || !perFeature) return null;
  const at = (q: number) => quantiles.findIndex((x) => Math.abs(x - q) < 1e-9);
  const [mid, lo, hi] = [at(0.5), at(0.05), at(0.95)];
  if (mid < 0) return null;
  const median = names.map((n) => perFeature[n]?.[mid] ?? 0);
  const raw = names.map((n) => {
    const qs = perFeature[n];
    return qs && lo >= 0 && hi >= 0 ? qs[hi] - qs[lo] : 1;
  });
  // a spread of 0 would make any change an "infinite" deviation (it printed 1e6): count from the median instead
  const constant = raw.map((r) => !(r > 1e-9));
  const spread = raw.map((r, j) => (constant[j] ? Math.max(1, Math.abs(median[j])) : r));
  return { median, spread, constant };
}

/** The features furthest from their training median, in units of their training spread. */
export function topFeatures(row: number[], names: readonly string[], baseline: Baseline | null): TopFeatureDto[] {
  return row
    .map((value, i) => {
      const median = baseline?.median[i] ?? null;
      const deviation = median === null ? Math.abs(value) : Math.abs(value - median) / (baseline?.spread[i] ?? 1);
      const constant = baseline?.constant[i] ?? false;
      const note = constant && value !== median ? (median === 0 ? 'new: never seen in training (deviation = the count)' : `never varied in training (deviation in units of ${median})`) : undefined;
      return { name: names[i] ?? `#${i}`, value, baseline: median, deviation: Math.round(deviation * 1000) / 1000, ...(note ? { note } : {}) };
    })
    .filter((f) => f.deviation > 0)
    .sort((a, b) => b.deviation - a.deviation)
    .slice(0, TOP_FEATURES);
}
