import { KNOWN_TEMPLATES_MAX, TEMPLATE_TEXT_MAX, type FeatureSchemaDto, type LogRecordInput } from '@loglens/contracts';
import { BasePipeline, GENERIC_COLUMNS, SOURCE_TEMPLATES_SCHEMA, toPipelineInput, type PipelineInput } from '@loglens/agent-runtime';
import { HeaderDetector } from '@loglens/log-parsing';
import { writeIsolationForestModel } from '@loglens/onnx-format';
import { buildReferenceProfile } from '@loglens/drift';
import { DEFAULT_BASELINE_QUANTILES, featureQuantiles, isolationForestScores, quantileOfSorted, trainIsolationForest, type RangeGuard } from '@loglens/training';

export const SOURCE_ALGORITHMS = ['iforest'] as const;
export type SourceAlgorithm = (typeof SOURCE_ALGORITHMS)[number];

export interface SourceTrainingOptions {
  /** the sources the records come from (training provenance; records may name their own `source`) */
  sources: string[];
  /** raw lines or objects (`{ message, timestamp?, host?, source? }`), in stream order */
  records: readonly LogRecordInput[];
  /** detector family; the isolation forest when absent (the only one so far) */
  algorithm?: SourceAlgorithm;
  /** window length; chosen from the data (no labels) when absent */
  windowMs?: number;
  /** how many of the source's templates get a column of their own (the rest share "other templates") */
  topK?: number;
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** What a trained source model is, for the registry (`metadata`) and for people (`summary`). */
export interface SourceModelSummary {
  sources: string[];
  algorithm: SourceAlgorithm;
  windowMs: number;
  lines: number;
  windows: number;
  templates: number;
  vocabulary: number;
  from: string | null;
  to: string | null;
  threshold: number;
  /** share of training windows above the threshold */
  trainingAnomalyRate: number;
}

export interface SourceModel {
  onnx: Uint8Array;
  /** version metadata: featureSchema, window, threshold, baseline, training provenance */
  metadata: Record<string, unknown>;
  summary: SourceModelSummary;
}

/** Refused training input (no lines, too few windows …); the message says what to change. */
export class SourceTrainingError extends Error {
  override readonly name = 'SourceTrainingError';
}

/** Window lengths tried when none is given, shortest first. */
export const WINDOW_CANDIDATES_MS = [10_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000, 3600_000, 6 * 3600_000, 24 * 3600_000];
/** A window length is long enough when its median window holds this many lines. */
const MIN_MEDIAN_EVENTS = 8;
const DEFAULT_TOP_K = 40;
/** Fewer training windows than this give no usable baseline. */
export const MIN_TRAINING_WINDOWS = 20;
/** Share of the stretch (by line order) whose templates count as known when measuring how often new ones appear. */
const KNOWN_SHARE = 0.6;
/** Training windows allowed above the threshold: the stretch may hold a few anomalies (robustness, not recall). */
const FLAG_QUANTILE = 0.995;
/** Where between the 99.5th percentile and the maximum training score the threshold sits. */
const THRESHOLD_MARGIN = Number(process.env['LOGLENS_SOURCE_MARGIN'] ?? 0.5);
/** Source-model columns after the template columns, in order. */
const COLUMNS: Array<keyof typeof GENERIC_COLUMNS> = ['other_templates', 'new_template_types', 'error_events', 'warning_events', 'events', 'events_per_minute'];

/**
 * Trains a detector on a stretch of one source's logs assumed mostly normal:
 * 1. the lines go through the base agent's pipeline (headers, template mining) to find the source's templates;
 * 2. the window length is the shortest whose median window holds enough lines to count (unless given);
 * 3. columns: the top-K templates by lines, "other templates", how many never-seen template types, errors,
 *    warnings, events, rate. The rate of new types is learned, not assumed zero: templates first seen in the last
 *    40 % of the stretch count as new there, so the baseline holds how often this source shows new line types;
 * 4. an isolation forest (Liu et al. 2008) on the window rows, with a range guard whose scale per column is at
 *    least the column's training maximum, so a value twice the largest seen scores 0.5, and one never-seen line
 *    type (new_template_types = 1) stays inside the guard's range;
 * 5. threshold: the 99.5th percentile of the training windows' scores (no labels; a few anomalies in the stretch
 *    sit above it instead of moving it).
 */
export function trainSourceModel(options: SourceTrainingOptions): SourceModel {
  const progress = options.onProgress ?? (() => undefined);
  const algorithm = options.algorithm ?? 'iforest';
  if (!SOURCE_ALGORITHMS.includes(algorithm)) throw new SourceTrainingError(`algorithm must be one of ${SOURCE_ALGORITHMS.join(', ')}`);
  const inputs: PipelineInput[] = [];
  const fallbackSource = options.sources[0] ?? 'training';
  for (const r of options.records) {
    const input = toPipelineInput(r, fallbackSource);
    if (!('error' in input)) inputs.push(input);
  }
  if (inputs.length === 0) throw new SourceTrainingError(`no log lines to learn from for ${options.sources.join(', ') || 'the source'}`);

  // 1. mine: templates with their counts and where each first appeared
  progress('mining templates', 0, inputs.length);
  const mining = new BasePipeline(null, undefined, { windowMs: 60_000 });
  const firstSeen = new Map<string, number>();
  const headers = new HeaderDetector();
  const times: Array<number | null> = [];
  inputs.forEach((input, i) => {
    times.push(input.time ?? headers.read(input.message).time);
    const parsed = mining.add(i, input);
    if (parsed.templateId && !firstSeen.has(parsed.templateId)) firstSeen.set(parsed.templateId, i);
  });
  mining.flushAll();
  const state = mining.snapshot();
  const templates = state.templates
    .map((t) => {
      const mergedFirst = [t.id, ...Object.entries(state.aliases).filter(([, to]) => to === t.id).map(([from]) => from)]
        .map((id) => firstSeen.get(id) ?? Infinity)
        .reduce((a, b) => Math.min(a, b), Infinity);
      return { id: t.id, text: t.tokens.join(' '), count: t.count, firstLine: mergedFirst };
    })
    .sort((a, b) => b.count - a.count);
  progress('mining templates', inputs.length, inputs.length);

  // 2. window length
  const windowMs = options.windowMs ?? chooseWindowMs(times);
  // 3. vocabulary
  // a column per template needs windows to learn it from: about one column per four windows at most
  const expectedWindows = countWindows(times, windowMs);
  const topK = Math.max(1, Math.min(options.topK ?? Math.min(DEFAULT_TOP_K, Math.max(5, Math.floor(expectedWindows / 4))), templates.length));
  const vocabulary = templates.slice(0, topK);
  const columnOf = (t: { text: string }, j: number) => ({ name: `t${String(j + 1).padStart(2, '0')}`, dtype: 'float32' as const, description: t.text });
  const features = [...vocabulary.map(columnOf), ...COLUMNS.map((name) => ({ name, dtype: 'float32' as const, description: GENERIC_COLUMNS[name] }))];
  const cut = Math.floor(inputs.length * KNOWN_SHARE);
  const knownEarly = templates.filter((t) => t.firstLine < cut).map((t) => t.text);
  const trainingSchema = { version: SOURCE_TEMPLATES_SCHEMA, features, knownTemplates: knownEarly.slice(0, KNOWN_TEMPLATES_MAX) };
  // the registry keeps at most KNOWN_TEMPLATES_MAX known templates (the most frequent: templates are sorted by lines)
  const known = (list: string[]): string[] => list.slice(0, KNOWN_TEMPLATES_MAX).map((t) => t.slice(0, TEMPLATE_TEXT_MAX));
  const servingSchema = { version: SOURCE_TEMPLATES_SCHEMA, features, knownTemplates: known(templates.map((t) => t.text)) };

  // 4. window rows
  progress('windows', 0, inputs.length);
  const pipeline = new BasePipeline(trainingSchema as FeatureSchemaDto, undefined, { windowMs });
  inputs.forEach((input, i) => pipeline.add(i, { ...input, host: undefined }));
  const X = pipeline.flushAll().sort((a, b) => a.start - b.start).map((w) => w.features);
  progress('windows', inputs.length, inputs.length);
  if (X.length < MIN_TRAINING_WINDOWS) {
    throw new SourceTrainingError(
      `${X.length} windows of ${windowMs / 1000} s in the training stretch: at least ${MIN_TRAINING_WINDOWS} are needed (a longer stretch, or a shorter windowMs)`,
    );
  }

  progress('isolation trees', 0, 100);
  const seed = options.seed ?? 1;
  const forest = trainIsolationForest(X, { trees: 100, sampleSize: 256, seed, rangeGuard: true, onProgress: (d, t) => progress('isolation trees', d, t) });
  forest.guard = countGuard(X, forest.guard, featureNames0(features));
  const scores = isolationForestScores(X, forest);
  const sorted = [...scores].sort((a, b) => a - b);
  // halfway from the 99.5th percentile to the highest training score: what training already showed is not an alarm
  const q = quantileOfSorted(sorted, FLAG_QUANTILE);
  const threshold = q + THRESHOLD_MARGIN * (sorted[sorted.length - 1] - q);
  const featureNames = features.map((f) => f.name);
  const onnx = writeIsolationForestModel({
    featureNames,
    trees: forest.trees,
    normalizer: forest.normalizer,
    guard: forest.guard,
    modelName: 'source_isolation_forest',
    docString: `isolation forest learned from ${options.sources.join(', ')}: windows of ${windowMs / 60_000} min over the source's own templates`,
  });

  const quantiles = [...DEFAULT_BASELINE_QUANTILES];
  const perFeature = featureQuantiles(X, quantiles);
  const timed = times.filter((t): t is number => t !== null);
  const from = timed.length ? new Date(timed.reduce((a, b) => Math.min(a, b))).toISOString() : null;
  const to = timed.length ? new Date(timed.reduce((a, b) => Math.max(a, b))).toISOString() : null;
  const trainingAnomalyRate = scores.filter((s) => s >= threshold).length / scores.length;
  const summary: SourceModelSummary = {
    sources: options.sources,
    algorithm,
    windowMs,
    lines: inputs.length,
    windows: X.length,
    templates: templates.length,
    vocabulary: vocabulary.length,
    from,
    to,
    threshold,
    trainingAnomalyRate,
  };
  const metadata: Record<string, unknown> = {
    task: 'log-anomaly-detection',
    description: `Learned from ${options.sources.join(', ')}: ${inputs.length} lines, ${X.length} windows of ${windowMs / 60_000} min, ${vocabulary.length} of ${templates.length} templates as columns`,
    featureSchema: servingSchema,
    inputName: 'features',
    scoreOutput: 'score',
    threshold,
    thresholdRule: `the ${FLAG_QUANTILE * 100}th percentile of the training windows' scores; no labels`,
    scaler: { kind: 'none', reason: 'tree ensembles split on raw values; scaling changes nothing' },
    baseline: { quantiles, perFeature: Object.fromEntries(featureNames.map((n, j) => [n, perFeature[j]])) },
    // the drift reference: per column a histogram on the training windows' deciles, the scores, the flagged share,
    // lines per template text (the same text the agents' miner gives, so unseen templates are found by name)
    referenceProfile: buildReferenceProfile({ featureNames, rows: X, scores, threshold, templates: templateLines(templates) }),
    window: { kind: 'tumbling', sizeMs: windowMs, by: 'source', description: `all lines of the source in ${windowMs / 60_000}-minute windows of the lines' own time` },
    training: {
      dataset: `source logs: ${options.sources.join(', ')}`,
      sources: options.sources,
      from,
      to,
      lines: inputs.length,
      windows: X.length,
      rows: X.length,
      templates: templates.length,
      vocabulary: vocabulary.map((t) => ({ template: t.text, lines: t.count })),
      newTemplateShare: templates.length ? 1 - knownEarly.length / templates.length : 0,
      algorithm,
      algorithmName: 'isolation forest with a count range guard',
      supervised: false,
      params: { trees: 100, sampleSize: 256, seed, topK, knownShare: KNOWN_SHARE, flagQuantile: FLAG_QUANTILE, normalizer: forest.normalizer },
      trainingAnomalyRate,
    },
  };
  return { onnx, metadata, summary };
}

/** Lines per template text; texts cut to what the registry keeps, so a long template still matches its live twin. */
function templateLines(templates: ReadonlyArray<{ text: string; count: number }>): Map<string, number> {
  const lines = new Map<string, number>();
  for (const t of templates) {
    const text = t.text.slice(0, TEMPLATE_TEXT_MAX);
    lines.set(text, (lines.get(text) ?? 0) + t.count);
  }
  return lines;
}

/**
 * The shortest candidate window whose median (non-empty) window holds {@link MIN_MEDIAN_EVENTS} lines, keeping at
 * least {@link MIN_TRAINING_WINDOWS} windows; the longest that keeps enough windows otherwise.
 */
export function chooseWindowMs(times: ReadonlyArray<number | null>): number {
  let fallback = WINDOW_CANDIDATES_MS[0];
  for (const size of WINDOW_CANDIDATES_MS) {
    const counts = new Map<number, number>();
    let last = 0;
    for (const t of times) {
      last = t ?? last;
      const k = Math.floor(last / size);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    if (sorted.length >= MIN_TRAINING_WINDOWS) fallback = size;
    if (median >= MIN_MEDIAN_EVENTS && sorted.length >= MIN_TRAINING_WINDOWS) return size;
  }
  return fallback;
}

function countWindows(times: ReadonlyArray<number | null>, size: number): number {
  const keys = new Set<number>();
  let last = 0;
  for (const t of times) {
    last = t ?? last;
    keys.add(Math.floor(last / size));
  }
  return keys.size;
}

function featureNames0(features: ReadonlyArray<{ name: string }>): string[] {
  return features.map((f) => f.name);
}

/**
 * The range guard for counts: nothing below the training range is an alarm (lower bound 0); each column's scale is
 * at least its training maximum (and 1), so a value twice the largest seen scores 0.5. Novelty gets a prior on top
 * of what training showed, because a source that showed no new line types while it was learned will still show
 * some: one new type per window (`new_template_types` ≤ 1), and as many "other" lines as half a median window.
 */
function countGuard(X: readonly number[][], guard: RangeGuard | undefined, names: readonly string[]): RangeGuard {
  const width = X[0]?.length ?? 0;
  const upper = guard?.upper ? [...guard.upper] : X.reduce((m, row) => m.map((v, j) => Math.max(v, row[j])), new Array<number>(width).fill(0));
  const events = names.indexOf('events');
  const sortedEvents = events >= 0 ? X.map((r) => r[events]).sort((a, b) => a - b) : [];
  const medianEvents = sortedEvents[Math.floor(sortedEvents.length / 2)] ?? 0;
  const other = names.indexOf('other_templates');
  const newTypes = names.indexOf('new_template_types');
  if (other >= 0) upper[other] = Math.max(upper[other], Math.ceil(medianEvents / 2), 3);
  if (newTypes >= 0) upper[newTypes] = Math.max(upper[newTypes], 1);
  const scale = upper.map((u, j) => Math.max(guard?.scale[j] ?? 1, Math.abs(u), 1));
  return { lower: new Array<number>(width).fill(0), upper, scale };
}
