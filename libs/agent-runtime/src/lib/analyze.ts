import { EXPLAIN_MAX_ROWS, LogLensError, type AgentKind, type AnalyzeReply, type AnalyzedRecordDto, type AnalyzeWindowDto, type LogRecordInput } from '@loglens/contracts';
import type { AnalysisPipeline, ClosedWindow, PipelineFactory } from './pipeline';
import { toPipelineInput } from './record-input';
import { windowId } from './window-id';
import type { WindowScorer } from './window-scorer';

export interface AnalyzeOptions {
  kind: AgentKind;
  /** source for records that do not name one */
  source: string;
  /** each source's current template state, so ids match the stream path's */
  stateOf?: (source: string) => unknown;
  /** aborted when the caller is gone: the analysis stops at its next check (every {@link CHECK_EVERY} records) */
  signal?: AbortSignal;
}

/**
 * Records parsed between two looks at the signal. The loop yields to the event loop there, so the cancel message
 * (and health pings, and the stream's work) get a turn during a long request.
 */
export const CHECK_EVERY = 256;

/** Gives the event loop a turn, then throws CANCELLED if the caller is gone. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new LogLensError('CANCELLED', 'the analyze request was cancelled: its caller went away');
}

/**
 * Windows per scoring request started while the records are still being parsed: the scorer's own chunk, so the
 * requests are the ones scoring every window at the end would send.
 */
export const SCORE_AHEAD_ROWS = EXPLAIN_MAX_ROWS;

type Scored = Awaited<ReturnType<WindowScorer['score']>>;

/** One source's pipeline in a request: its windows closed so far, and the scoring of those already sent. */
interface SourceRun {
  source: string;
  pipeline: AnalysisPipeline;
  closed: ClosedWindow[];
  /** the scores of closed[0 … sent), one promise per request, in order */
  scoring: Array<Promise<Scored>>;
  sent: number;
}

/**
 * The synchronous analysis behind POST /api/v1/models/analyze: the same pipeline and scorer as the stream path,
 * run over the request's records; every window is closed at the end. Every input record appears in `records`,
 * in input order; a bad record gets its own error and the rest are analyzed. Windows that close while records are
 * still being parsed are scored meanwhile, {@link SCORE_AHEAD_ROWS} at a time: the workers score while this parses.
 */
export async function analyzeRecords(
  records: readonly LogRecordInput[],
  factory: PipelineFactory,
  scorer: Pick<WindowScorer, 'score'>,
  options: AnalyzeOptions,
): Promise<AnalyzeReply> {
  const runs = new Map<string, SourceRun>();
  const out: AnalyzedRecordDto[] = new Array(records.length);
  const runOf: Array<SourceRun | undefined> = new Array(records.length);
  // requests sent ahead are awaited only at the end: a failure (or a cancel) in between must not go unhandled
  const sendFull = (run: SourceRun, all: boolean) => {
    while (run.closed.length - run.sent >= (all ? 1 : SCORE_AHEAD_ROWS)) {
      const windows = run.closed.slice(run.sent, run.sent + SCORE_AHEAD_ROWS);
      run.sent += windows.length;
      const keys = windows.map((w) => ({ source: run.source, window: w.key }));
      const scored = scorer.score(
        windows.map((w) => w.features),
        run.pipeline.featureNames,
        options.signal,
        keys,
      );
      scored.catch(() => undefined);
      run.scoring.push(scored);
    }
  };
  for (let index = 0; index < records.length; index++) {
    if (index % CHECK_EVERY === 0 && index > 0) {
      for (const run of runs.values()) {
        for (const w of run.pipeline.flushDue()) run.closed.push(w);
        sendFull(run, false);
      }
    }
    if (index % CHECK_EVERY === 0) await checkpoint(options.signal);
    const input = toPipelineInput(records[index], options.source);
    if ('error' in input) {
      out[index] = { index, templateId: null, template: null, windowId: null, error: input.error };
      continue;
    }
    let run = runs.get(input.source);
    if (!run) {
      run = { source: input.source, pipeline: factory(input.source, options.stateOf?.(input.source)), closed: [], scoring: [], sent: 0 };
      runs.set(input.source, run);
    }
    const parsed = run.pipeline.add(index, input);
    runOf[index] = run;
    out[index] =
      parsed.error === undefined && !parsed.truncated
        ? { index, templateId: parsed.templateId, template: parsed.template, windowId: null }
        : {
            index,
            templateId: parsed.templateId,
            template: parsed.template,
            windowId: null,
            ...(parsed.error ? { error: parsed.error } : {}),
            ...(parsed.truncated ? { truncated: true } : {}),
          };
  }
  // the last windows go to the workers first: the records' final templates and the windows' ids are worked out
  // while they score
  for (const run of runs.values()) {
    for (const w of run.pipeline.flushAll()) run.closed.push(w);
    sendFull(run, true);
  }
  await checkpoint(options.signal);
  // every record in its final template: ids merged later in the request resolve to the survivor, texts generalise
  const resolved = new Map<SourceRun, Map<string, { templateId: string; template: string } | null>>();
  for (const r of out) {
    const run = runOf[r.index];
    if (r.templateId === null || !run?.pipeline.resolveTemplate) continue;
    let cache = resolved.get(run);
    if (!cache) resolved.set(run, (cache = new Map()));
    let t = cache.get(r.templateId);
    if (t === undefined) cache.set(r.templateId, (t = run.pipeline.resolveTemplate(r.templateId)));
    if (t) {
      r.templateId = t.templateId;
      r.template = t.template;
    }
  }
  const ids: string[] = [];
  for (const run of runs.values()) {
    for (const window of run.closed) {
      const id = windowId(options.kind, run.source, window.key, window.start, window.end);
      for (const m of window.members) if (out[m] && out[m].windowId === null) out[m].windowId = id;
      ids.push(id);
    }
  }
  const scores: Scored = [];
  for (const run of runs.values()) for (const scored of run.scoring) for (const s of await scored) scores.push(s);
  // one object literal per window, in the reply's key order: spreading a partial window into a scored one cost
  // ~4 µs a window, ~16 ms of a 10,000-line request (3,989 windows)
  const windows: AnalyzeWindowDto[] = [];
  for (const run of runs.values()) {
    for (const window of run.closed) {
      const s = scores[windows.length];
      const w: AnalyzeWindowDto = {
        id: ids[windows.length],
        key: window.key,
        start: new Date(window.start).toISOString(),
        end: new Date(window.end).toISOString(),
        recordIndexes: [...window.members].sort((a, b) => a - b),
        anomalyScore: s.score,
        isAnomaly: s.isAnomaly,
        threshold: s.threshold,
        modelVersion: s.modelVersion,
        topFeatures: s.topFeatures,
      };
      if (s.explanation) w.explanation = s.explanation;
      windows.push(w);
    }
  }
  const modelVersions = [...new Set(windows.map((w) => w.modelVersion).filter((v): v is string => v !== null))];
  return { agent: options.kind, modelVersions, windows, records: out };
}

/** Scores windows grouped by their pipeline's feature columns (one predict chunk per group). */
export async function scoreGrouped(
  scorer: Pick<WindowScorer, 'score'>,
  closed: ReadonlyArray<{ source: string; window: ClosedWindow; names: readonly string[] }>,
  signal?: AbortSignal,
): Promise<Awaited<ReturnType<WindowScorer['score']>>> {
  const out = new Array<Awaited<ReturnType<WindowScorer['score']>>[number]>(closed.length);
  const groups = new Map<readonly string[], number[]>();
  closed.forEach((c, i) => {
    const group = groups.get(c.names);
    if (group) group.push(i);
    else groups.set(c.names, [i]);
  });
  for (const [names, indexes] of groups) {
    await checkpoint(signal);
    // each window's source and key: with an experiment running, the workers route each window by the one its
    // stickiness names, so a source (or an AP, a host) is always scored by the same arm
    const keys = indexes.map((i) => ({ source: closed[i].source, window: closed[i].window.key }));
    const scored = await scorer.score(indexes.map((i) => closed[i].window.features), names, signal, keys);
    indexes.forEach((i, k) => (out[i] = scored[k]));
  }
  return out;
}
