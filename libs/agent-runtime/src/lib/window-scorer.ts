import {
  EXPLAIN_MAX_ROWS,
  InferenceSubjects,
  LogLensError,
  RegistrySubjects,
  type GetVersionRequest,
  type ModelVersionDto,
  type PredictReply,
  type PredictRequest,
  type RowExplanationDto,
  type RowRouteKey,
  type TopFeatureDto,
  type WindowExplanationDto,
} from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';
import { profileProblem, type ReferenceProfile } from '@loglens/drift';
import { GENERIC_COLUMNS } from './pipelines/base-pipeline';

export interface ScoredWindow {
  score: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
  explanation?: WindowExplanationDto;
}

/** Rows per predict request: well inside the worker's row limit and explained-row limit, and the NATS payload cap. */
const CHUNK_ROWS = EXPLAIN_MAX_ROWS;
const TOP_FEATURES = 5;

/** Which windows get attributions: the flagged ones (default), every one, or none. */
export type ExplainWindows = 'anomalies' | 'all' | 'none';

export interface WindowScorerOptions {
  /** the pipeline's columns count templates (the base agent): name each template column's text */
  templates?: boolean;
  /**
   * `anomalies` (default): score every window, then ask for the attributions of the flagged ones only — exact
   * TreeSHAP costs ~30× a plain score on the WiFi forest, and "why was this flagged" is the question asked.
   */
  explain?: ExplainWindows;
}

/**
 * Scores window feature vectors with a model's serving version through the worker pool (one request per chunk of
 * windows, so the workers batch them), and explains each score by its exact feature attributions (the worker's
 * explainer: TreeSHAP, linear, PCA; docs/models.md). Asking by model name means a deploy is followed without a
 * restart. A version the worker cannot explain is still scored, without topFeatures.
 */
/** How often a version without a reference profile is looked up again (its reference window may have been frozen). */
export const REFERENCE_RECHECK_MS = 30_000;

/** Bytes an explained reply may take per request: half the default NATS payload cap (1 MiB), for headroom. */
const EXPLAIN_REPLY_BUDGET = 512 * 1024;
/** A feature's attribution in a reply (`{"feature":"…","value":…,"contribution":…}` with long template names): at most. */
const ATTRIBUTION_BYTES = 160;

/**
 * Rows per explained predict so its reply stays inside EXPLAIN_REPLY_BUDGET (at least 1, at most EXPLAIN_MAX_ROWS);
 * `features` is how many attributions each row's explanation carries (TOP_FEATURES once the worker cuts them).
 */
export function explainRowsPerRequest(features: number): number {
  return Math.max(1, Math.min(EXPLAIN_MAX_ROWS, Math.floor(EXPLAIN_REPLY_BUDGET / (Math.max(1, features) * ATTRIBUTION_BYTES + 200))));
}

export class WindowScorer {
  private readonly versions = new Map<string, Promise<ModelVersionDto | null>>();
  private warnedMissing = false;
  private readonly unexplained = new Set<string>();
  /**
   * The workers refused `explainTop` (they predate it: unknown property): ask for whole explanations from now on, in
   * chunks sized for them.
   */
  private fullExplanations = false;

  constructor(
    private readonly rpc: RpcClient,
    readonly model: string,
    private readonly warn: (line: string) => void = () => undefined,
    private readonly options: WindowScorerOptions = {},
  ) {}

  /**
   * Scores feature rows (named by `featureNames`, the pipeline's columns) in chunks. An aborted `signal` stops the
   * wait for the workers with CANCELLED (an analyze call whose client went away).
   */
  async score(rows: number[][], featureNames: readonly string[], signal?: AbortSignal, keys?: readonly RowRouteKey[]): Promise<ScoredWindow[]> {
    const out: ScoredWindow[] = [];
    // explaining every window (AGENT_EXPLAIN=all) makes each reply carry every row's attributions: smaller chunks
    const chunk = this.options.explain === 'all' ? explainRowsPerRequest(this.attributionsPerRow(featureNames.length)) : CHUNK_ROWS;
    for (let i = 0; i < rows.length; i += chunk) {
      out.push(...(await this.scoreChunk(rows.slice(i, i + chunk), featureNames, signal, keys?.slice(i, i + chunk))));
    }
    return out;
  }

  private async scoreChunk(rows: number[][], featureNames: readonly string[], signal: AbortSignal | undefined, keys: RowRouteKey[] | undefined): Promise<ScoredWindow[]> {
    let reply: PredictReply;
    try {
      reply = await this.scoreAndExplain(rows, signal, keys);
    } catch (e) {
      if (e instanceof LogLensError && e.code === 'NOT_FOUND') {
        if (!this.warnedMissing) this.warn(`model "${this.model}" has no serving version: windows are published unscored until one is deployed`);
        this.warnedMissing = true;
        return rows.map(() => ({ score: null, isAnomaly: false, threshold: null, modelVersion: null, topFeatures: [] }));
      }
      throw e;
    }
    this.warnedMissing = false;
    const versionOf = (i: number) => reply.modelVersions?.[i] ?? reply.modelVersion;
    const templates = new Map<string, Map<string, string> | null>();
    if (this.options.templates) {
      for (const ref of new Set(rows.map((_, i) => versionOf(i)))) templates.set(ref, templateTexts(await this.versionOf(ref), featureNames));
    }
    return rows.map((row, i) => {
      const explained = reply.explanations?.[i];
      return {
        score: Number.isFinite(reply.scores[i]) ? reply.scores[i] : null,
        isAnomaly: reply.isAnomaly?.[i] ?? false,
        threshold: reply.threshold,
        modelVersion: versionOf(i),
        ...(explained ? windowAttributions(explained, templates.get(versionOf(i)) ?? null) : { topFeatures: [] }),
      };
    });
  }

  /**
   * One predict per chunk; with `explain: 'anomalies'` a second, explained one for the flagged rows of each version
   * that scored some — pinned to that version, so the attributions explain those very scores (a deploy or an
   * experiment's other arm in between changes nothing), and a pinned request is no experiment traffic: the rows are
   * not routed or counted again.
   */
  private async scoreAndExplain(rows: number[][], signal: AbortSignal | undefined, keys: RowRouteKey[] | undefined): Promise<PredictReply> {
    const mode = this.options.explain ?? 'anomalies';
    if (mode !== 'anomalies') return this.predict(rows, signal, mode === 'all', keys);
    const reply = await this.predict(rows, signal, false, keys);
    const flaggedBy = new Map<string, number[]>();
    rows.forEach((_, i) => {
      if (!reply.isAnomaly?.[i]) return;
      const ref = reply.modelVersions?.[i] ?? reply.modelVersion;
      if (this.unexplained.has(ref)) return;
      const list = flaggedBy.get(ref);
      if (list) list.push(i);
      else flaggedBy.set(ref, [i]);
    });
    if (flaggedBy.size === 0) return reply;
    const explanations: Array<RowExplanationDto | undefined> = new Array(rows.length);
    let explainedAny = false;
    for (const [ref, flagged] of flaggedBy) {
      const explained = await this.explainPinned(ref, flagged.map((i) => rows[i]), signal);
      if (!explained || explained.modelVersion !== ref || !explained.explanations) continue;
      flagged.forEach((row, k) => (explanations[row] = explained.explanations?.[k]));
      explainedAny = true;
    }
    return explainedAny ? { ...reply, explanations: explanations as RowExplanationDto[] } : reply;
  }

  /**
   * Attributions of rows by one version; null when that version cannot explain (not asked again) or is gone. A pinned
   * version's explanation is a function of the row alone (exact methods, and sampling seeded the same for every row),
   * so each distinct row is asked for once and its explanation given to every window with that row: windows of
   * sessions that look alike (most of them, in logs like HDFS's) cost one explanation.
   */
  private async explainPinned(ref: string, rows: number[][], signal: AbortSignal | undefined): Promise<PredictReply | null> {
    try {
      const { distinct, slots } = distinctRows(rows);
      const reply = await this.send(distinct, signal, true, undefined, ref);
      return distinct.length === rows.length ? reply : spreadReply(reply, slots);
    } catch (e) {
      if (!(e instanceof LogLensError) || e.code === 'TIMEOUT' || e.code === 'OVERLOADED' || e.code === 'CANCELLED') throw e;
      // an archived or deleted version: its scores stand, without attributions
      if (e.code === 'NOT_FOUND') return null;
      this.unexplained.add(ref);
      this.warn(`${ref}: windows are scored without attributions (${e.message})`);
      return null;
    }
  }

  /** Scores, with attributions when `explain`; a version whose explanation fails is scored without them (and not asked again). */
  private async predict(rows: number[][], signal: AbortSignal | undefined, explain: boolean, keys?: RowRouteKey[]): Promise<PredictReply> {
    if (!explain) return this.send(rows, signal, false, keys);
    const known = [...this.unexplained].some((ref) => ref.startsWith(`${this.model}@`));
    if (known) {
      const reply = await this.send(rows, signal, false, keys);
      if (this.unexplained.has(reply.modelVersion)) return reply;
      this.unexplained.clear();
    }
    try {
      return await this.send(rows, signal, true, keys);
    } catch (e) {
      if (!(e instanceof LogLensError) || e.code === 'NOT_FOUND' || e.code === 'TIMEOUT' || e.code === 'OVERLOADED' || e.code === 'CANCELLED') throw e;
      const reply = await this.send(rows, signal, false, keys);
      this.unexplained.add(reply.modelVersion);
      this.warn(`${reply.modelVersion}: windows are scored without attributions (${e.message})`);
      return reply;
    }
  }

  /** Attributions an explained reply carries per row of `features` columns: the few shown, unless the workers refused the cut. */
  private attributionsPerRow(features: number): number {
    return this.fullExplanations ? features : Math.min(features, TOP_FEATURES);
  }

  /**
   * A predict by model (routed by the model's experiment, row by row with `keys`), or of one pinned `version`. An
   * explained one asks only for the attributions a window shows (`explainTop`); a worker too old to know the option
   * refuses it, and is asked again for whole lists (so are all requests after it).
   */
  private async send(rows: number[][], signal: AbortSignal | undefined, explain: boolean, keys?: RowRouteKey[], version?: string): Promise<PredictReply> {
    // attributions name features of every row: an explained reply must stay inside the NATS payload, so many rows go
    // in parts (sized for the lists the reply will carry)
    const per = explain ? explainRowsPerRequest(this.attributionsPerRow(rows[0]?.length ?? 0)) : rows.length;
    if (rows.length <= per) return this.sendOne(rows, signal, explain, keys, version);
    const parts: PredictReply[] = [];
    for (let i = 0; i < rows.length; i += per) parts.push(await this.send(rows.slice(i, i + per), signal, explain, keys?.slice(i, i + per), version));
    return joinReplies(parts);
  }

  private async sendOne(rows: number[][], signal: AbortSignal | undefined, explain: boolean, keys?: RowRouteKey[], version?: string): Promise<PredictReply> {
    const top = explain && !this.fullExplanations;
    // the agent profiles its windows for drift itself: the worker must not count these rows again
    const req: PredictRequest = {
      ...(version ? { version } : { model: this.model }),
      rows,
      profiled: true,
      ...(explain ? { explain: true } : {}),
      ...(top ? { explainTop: TOP_FEATURES } : {}),
      ...(keys && !version ? { rowKeys: keys } : {}),
    };
    // scoring is a pure function of the rows: one retry on a timeout or a vanished worker is safe
    try {
      return await this.rpc.call(InferenceSubjects.predict, req, { timeoutMs: 30_000, retries: 1, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (!top || !(e instanceof LogLensError) || e.code !== 'VALIDATION_FAILED' || !e.message.includes('explainTop')) throw e;
      this.fullExplanations = true;
      this.warn('the inference workers do not know explainTop (an older version): explanations are asked for whole');
      // whole lists may not fit this request's reply: sent again, in parts sized for them
      return this.send(rows, signal, explain, keys, version);
    }
  }

  /** A version's reference profile (`metadata.referenceProfile`), or null when it has none or it is malformed (cached). */
  referenceOf(ref: string, now = Date.now()): Promise<ReferenceProfile | null> {
    // a version without one may be collecting its reference window: ask again now and then, it is frozen on the way
    const since = this.missingSince.get(ref);
    if (since !== undefined && now - since >= REFERENCE_RECHECK_MS) {
      this.missingSince.delete(ref);
      this.references.delete(ref);
      this.versions.delete(ref);
    }
    let cached = this.references.get(ref);
    if (!cached) {
      cached = this.versionOf(ref).then((v) => {
        const p = v?.metadata?.['referenceProfile'];
        if (p === undefined || p === null) {
          if (v) this.missingSince.set(ref, now);
          return null;
        }
        const why = profileProblem(p);
        if (why) {
          this.warn(`${ref}: its reference profile is not used for drift (${why})`);
          return null;
        }
        return p as ReferenceProfile;
      });
      this.references.set(ref, cached);
    }
    return cached;
  }

  private readonly references = new Map<string, Promise<ReferenceProfile | null>>();
  /** when a version was last found without a reference profile */
  private readonly missingSince = new Map<string, number>();

  private versionOf(ref: string): Promise<ModelVersionDto | null> {
    let cached = this.versions.get(ref);
    if (!cached) {
      const req: GetVersionRequest = { ref };
      // a failed look-up (registry busy or down) is not cached: the next window asks again
      const lookup = this.rpc.call(RegistrySubjects.getVersion, req, { timeoutMs: 5000, retries: 1 }).catch((e: unknown) => {
        if (!(e instanceof LogLensError && e.code === 'NOT_FOUND') && this.versions.get(ref) === lookup) {
          this.versions.delete(ref);
          this.references.delete(ref);
        }
        return null;
      });
      cached = lookup;
      this.versions.set(ref, cached);
    }
    return cached;
  }

  /** The serving version of the model, or null when none serves (yet). */
  async servingVersion(): Promise<ModelVersionDto | null> {
    const req: GetVersionRequest = { ref: this.model };
    try {
      return await this.rpc.call(RegistrySubjects.getVersion, req, { timeoutMs: 5000, retries: 2 });
    } catch (e) {
      if (e instanceof LogLensError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }
}

/** Each distinct row once (in first-seen order), and for each row its place among them. */
export function distinctRows(rows: number[][]): { distinct: number[][]; slots: number[] } {
  const seen = new Map<string, number>();
  const distinct: number[][] = [];
  const slots = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    // a number's text is exact (0 and -0 share one, and score and explain the same)
    const key = rows[i].join(',');
    let slot = seen.get(key);
    if (slot === undefined) {
      slot = distinct.length;
      seen.set(key, slot);
      distinct.push(rows[i]);
    }
    slots[i] = slot;
  }
  return { distinct, slots };
}

/** A reply about distinct rows given back row by row (scores, flags, explanations; the output tensors left out). */
function spreadReply(reply: PredictReply, slots: number[]): PredictReply {
  return {
    ...reply,
    scores: slots.map((j) => reply.scores[j]),
    isAnomaly: reply.isAnomaly ? slots.map((j) => reply.isAnomaly?.[j] ?? false) : null,
    outputs: {},
    ...(reply.explanations ? { explanations: slots.map((j) => reply.explanations?.[j] as RowExplanationDto) } : {}),
  };
}

/** The replies to consecutive parts of one request's rows, as one reply (scores, flags, explanations, versions). */
function joinReplies(parts: PredictReply[]): PredictReply {
  if (parts.length === 1) return parts[0];
  return {
    ...parts[0],
    scores: parts.flatMap((p) => p.scores),
    isAnomaly: parts.every((p) => p.isAnomaly) ? parts.flatMap((p) => p.isAnomaly ?? []) : null,
    explanations: parts.flatMap((p) => p.explanations ?? []),
    ...(parts.every((p) => p.modelVersions) ? { modelVersions: parts.flatMap((p) => p.modelVersions ?? []) } : {}),
  };
}

/**
 * A base-agent column's template text, by feature name: every column that is not one of the generic counts
 * (events, error_events, unseen_templates …) counts one template, written in the feature schema's description.
 */
export function templateTexts(version: ModelVersionDto | null, names: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  const schema = version?.featureSchema;
  for (const name of names) {
    if (name in GENERIC_COLUMNS) continue;
    const f = schema?.features.find((x) => x.name === name);
    texts.set(name, f?.description ?? name);
  }
  return texts;
}

/**
 * A window's topFeatures from its row's attributions: the largest |contribution| first (non-zero only), each
 * template column named by its text; the rest summed into `otherContribution`, so base + Σ = output.
 */
export function windowAttributions(e: RowExplanationDto, templates: ReadonlyMap<string, string> | null): Pick<ScoredWindow, 'topFeatures' | 'explanation'> {
  const top = e.attributions.filter((a) => a.contribution !== 0).slice(0, TOP_FEATURES);
  const listed = top.reduce((s, a) => s + a.contribution, 0);
  // a list the worker cut to the top few (explainTop) carries the whole list's sum
  const total = e.attributionSum ?? e.attributions.reduce((s, a) => s + a.contribution, 0);
  return {
    topFeatures: top.map((a) => {
      const template = templates?.get(a.feature);
      return { name: a.feature, value: a.value ?? NaN, reference: a.reference ?? null, contribution: a.contribution, ...(template ? { template } : {}) };
    }),
    explanation: {
      method: e.method,
      approximate: e.approximate,
      outputSpace: e.outputSpace,
      baseValue: e.baseValue,
      outputValue: e.outputValue,
      otherContribution: total - listed,
    },
  };
}
