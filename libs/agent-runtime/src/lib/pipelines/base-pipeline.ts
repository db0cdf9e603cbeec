import { HeaderDetector, TemplateMiner, WildcardPattern, collapseWhitespace, normalizeLevel, type HeaderDetectorState, type TemplateMinerState } from '@loglens/log-parsing';
import { TumblingWindower, type ClosedWindow as FeatureWindow } from '@loglens/features';
import type { FeatureSchemaDto } from '@loglens/contracts';
import type { AnalysisPipeline, ClosedWindow, ParsedRecord, PipelineInput, PipelineStateSize, ResolvedTemplate } from '../pipeline';

/** The feature-schema version of models learned from one source's own templates (libs/source-models). */
export const SOURCE_TEMPLATES_SCHEMA = 'source-templates.v1';

/** Generic columns a base model may read, by name; every other column counts one template. */
export const GENERIC_COLUMNS = {
  unseen_templates: 'events whose template is not in the vocabulary (new since training)',
  other_templates: 'events of templates without a column of their own (rarer known ones and never-seen ones)',
  new_template_types: 'distinct templates never seen in training (how many new line types, not how many lines)',
  error_events: 'events at level error or worse (ERROR, ERR, FATAL, SEVERE, CRIT, ALERT, EMERG, E, F)',
  warning_events: 'events at level warning (WARN, WARNING, W)',
  events: 'events in the window',
  events_per_minute: 'events per minute of window length',
} as const;
type GenericColumn = keyof typeof GENERIC_COLUMNS;
const isGeneric = (name: string): name is GenericColumn => name in GENERIC_COLUMNS;

/** Columns used when no model serves yet: the window is still cut and counted. */
const NO_MODEL_COLUMNS: GenericColumn[] = ['unseen_templates', 'error_events', 'warning_events', 'events', 'events_per_minute'];

// the level when the header did not carry one: the first level word of the body
const LEVEL = /\b(FATAL|SEVERE|CRIT(?:ICAL)?|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE|NOTICE|ALERT|EMERG)\b/;
const BLOCK_ID = /\bblk_-?\d{1,20}\b/;

interface Acc {
  counts: Float64Array;
  /** templates never seen in training that occurred in this window */
  newTypes: Set<string> | null;
  members: number[];
}

type Event = { handle: number; key: string; time: number | null; column: number; newType: string | null; level: string | undefined };

export interface BasePipelineOptions {
  windowMs?: number;
  maxEvents?: number;
  /** windows open at once / keys remembered by the windower (see TumblingWindowOptions) */
  maxOpenWindows?: number;
  maxWindowKeys?: number;
  /** live templates of the source's miner */
  maxTemplates?: number;
  /** "now" for headers without a year (tests) */
  now?: () => number;
}

/** What is saved per source: the miner's state plus the source's detected line format. */
export type BasePipelineState = TemplateMinerState & { lineFormat?: HeaderDetectorState };

/**
 * The base agent's pipeline for generic logs. Each line's header (time, host, program, level) is read in the
 * source's detected format and only the message body is mined into a template (ids stable across restarts through
 * the saved state). Each line is counted against the model's vocabulary:
 * - models learned from the source itself (schema `source-templates.v1`) name the source's own templates: a mined
 *   template is placed once per template text (top-K column, "other templates", or never seen in training);
 * - other models (HDFS's `log-anomaly`) name templates written another way: each body is matched against them.
 * Windows are per session (an HDFS block id when the line names one) or per host/source, tumbling in event time
 * (the record's timestamp, else the line's own, else arrival).
 */
export class BasePipeline implements AnalysisPipeline {
  readonly kind = 'base' as const;
  readonly featureNames: readonly string[];
  private readonly miner: TemplateMiner;
  private readonly header: HeaderDetector;
  private readonly templateColumns: Array<{ index: number; pattern: WildcardPattern }>;
  /** source models: patterns of every template seen in training (a line of none is a new type) */
  private readonly known: WildcardPattern[] | null;
  private readonly sourceModel: boolean;
  /** source models: mined template text → its column (-1: other templates) and whether it is new */
  private readonly placed = new Map<string, { column: number; isNew: boolean }>();
  private placedEvictions = 0;
  private readonly generic: Partial<Record<GenericColumn, number>> = {};
  private readonly windower: TumblingWindower<Event, Acc>;
  private readonly closed: ClosedWindow[] = [];
  private readonly windowMs: number;

  constructor(schema: FeatureSchemaDto | null, state?: unknown, options: BasePipelineOptions = {}) {
    this.miner = isMinerState(state) ? TemplateMiner.fromJSON(state, { maxClusters: options.maxTemplates }) : new TemplateMiner({ maxClusters: options.maxTemplates });
    this.header = new HeaderDetector(isMinerState(state) ? state.lineFormat : null, { now: options.now });
    const names = schema ? schema.features.map((f) => f.name) : NO_MODEL_COLUMNS;
    this.featureNames = names;
    names.forEach((n, i) => {
      if (isGeneric(n)) this.generic[n] = i;
    });
    this.sourceModel = schema?.version === SOURCE_TEMPLATES_SCHEMA;
    this.templateColumns = (schema?.features ?? [])
      .map((f, index) => ({ f, index }))
      .filter(({ f }) => !isGeneric(f.name))
      .map(({ f, index }) => ({ index, pattern: new WildcardPattern(f.description ?? f.name, this.sourceModel) }));
    this.known = this.sourceModel ? (schema?.knownTemplates ?? []).map((t) => new WildcardPattern(t, true)) : null;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    const width = names.length;
    this.windower = new TumblingWindower<Event, Acc>(
      {
        keyOf: (e) => e.key,
        timeOf: (e) => e.time,
        create: () => ({ counts: new Float64Array(width), newTypes: null, members: [] }),
        add: (acc, e) => this.count(acc, e),
      },
      { sizeMs: this.windowMs, maxEvents: options.maxEvents ?? 50_000, maxOpenWindows: options.maxOpenWindows, maxKeys: options.maxWindowKeys },
    );
  }

  add(handle: number, input: PipelineInput): ParsedRecord {
    const header = this.header.read(input.message);
    const body = header.body.length > 0 ? header.body : input.message;
    // the windows count templates: the line's values (params) are not worked out
    const mined = this.miner.add(body, { params: false });
    const { column, newType } = this.classify(body, mined.templateId, mined.template);
    const block = BLOCK_ID.exec(body)?.[0];
    const key = block ?? input.host ?? input.source;
    const level = normalizeLevel(header.level ?? LEVEL.exec(body)?.[1]);
    // one object shape per line, no spreads: this runs once per line on the agent's hot path
    const event: Event = { handle, key, time: input.time ?? header.time ?? input.arrival ?? null, column, newType, level };
    for (const w of this.windower.add(event)) this.closed.push(this.toWindow(w));
    const parsed: ParsedRecord = { templateId: mined.templateId, template: mined.template, windows: 1 };
    if (input.truncated) parsed.truncated = true;
    return parsed;
  }

  flushDue(): ClosedWindow[] {
    return this.closed.splice(0);
  }

  flushAll(): ClosedWindow[] {
    this.header.settle();
    for (const w of this.windower.flush()) this.closed.push(this.toWindow(w));
    return this.closed.splice(0);
  }

  snapshot(): BasePipelineState {
    return { ...this.miner.toJSON(), lineFormat: this.header.toJSON() };
  }

  stateSize(): PipelineStateSize {
    const miner = this.miner.stateSize();
    const w = this.windower.evictions;
    return {
      openWindows: this.windower.size,
      windowKeys: this.windower.trackedKeys,
      templates: miner.templates,
      trackedKeys: this.placed.size,
      evictions: { openWindows: w.openWindows, windowKeys: w.keys, templates: miner.evictions, trackedKeys: this.placedEvictions, sources: 0 },
    };
  }

  resolveTemplate(templateId: string): ResolvedTemplate | null {
    const t = this.miner.templateOf(templateId);
    return t ? { templateId: t.id, template: t.template } : null;
  }

  /** The column a line counts in (-1: none of the template columns) and, for source models, a never-seen template. */
  private classify(body: string, templateId: string, template: string): { column: number; newType: string | null } {
    if (!this.sourceModel) {
      // one text against every column's pattern: its whitespace collapsed once
      const text = collapseWhitespace(body);
      const hit = this.templateColumns.find((c) => c.pattern.testCollapsed(text));
      return { column: hit ? hit.index : -1, newType: null };
    }
    let placed = this.placed.get(template);
    if (!placed) {
      const text = collapseWhitespace(template);
      const hit = this.templateColumns.find((c) => c.pattern.testCollapsed(text));
      const isNew = !hit && !(this.known ?? []).some((k) => k.testCollapsed(text));
      placed = { column: hit ? hit.index : -1, isNew };
      // bounded: a source with ever-changing templates must not grow this without end
      if (this.placed.size >= 50_000) {
        this.placedEvictions += this.placed.size;
        this.placed.clear();
      }
      this.placed.set(template, placed);
    }
    return { column: placed.column, newType: placed.isNew ? templateId : null };
  }

  private count(acc: Acc, e: Event): void {
    const g = this.generic;
    if (e.column >= 0) acc.counts[e.column]++;
    else {
      if (g.unseen_templates !== undefined) acc.counts[g.unseen_templates]++;
      if (g.other_templates !== undefined) acc.counts[g.other_templates]++;
    }
    if (e.newType !== null && g.new_template_types !== undefined) {
      acc.newTypes ??= new Set();
      if (!acc.newTypes.has(e.newType)) {
        acc.newTypes.add(e.newType);
        acc.counts[g.new_template_types]++;
      }
    }
    if (e.level === 'error' && g.error_events !== undefined) acc.counts[g.error_events]++;
    if (e.level === 'warning' && g.warning_events !== undefined) acc.counts[g.warning_events]++;
    if (g.events !== undefined) acc.counts[g.events]++;
    acc.members.push(e.handle);
  }

  private toWindow(w: FeatureWindow<Acc>): ClosedWindow {
    const features = Array.from(w.state.counts);
    const rate = this.generic.events_per_minute;
    if (rate !== undefined) features[rate] = w.state.members.length / Math.max(this.windowMs / 60_000, 1e-9);
    return { key: w.key, start: w.start, end: w.end, members: w.state.members, features };
  }
}

function isMinerState(s: unknown): s is BasePipelineState {
  return typeof s === 'object' && s !== null && 'templates' in s;
}
