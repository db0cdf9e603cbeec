import { TemplateMiner, type TemplateMinerState } from '@loglens/log-parsing';
import { EVENT_COUNT_EXTRAS, EventCountFeaturizer, TumblingWindower, type ClosedWindow as FeatureWindow, type EventCountExtra, type EventCountState } from '@loglens/features';
import type { FeatureSchemaDto } from '@loglens/contracts';
import type { AnalysisPipeline, ClosedWindow, ParsedRecord, PipelineInput } from '../pipeline';

/** Column names of the generic extras, as EventCountFeaturizer names them. */
const EXTRA_BY_COLUMN: Record<string, EventCountExtra> = {
  unseen_templates: 'unseen',
  error_events: 'errors',
  warning_events: 'warnings',
  events: 'events',
  events_per_minute: 'rate',
};

const LEVEL = /\b(FATAL|SEVERE|CRIT(?:ICAL)?|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE|NOTICE|ALERT|EMERG)\b/;
const BLOCK_ID = /\bblk_-?\d+\b/;

interface VocabularyEntry {
  id: string;
  name: string;
  pattern: RegExp;
}

interface Acc {
  counts: EventCountState;
  members: number[];
}

type Event = { handle: number; key: string; time: number | null; templateId: string; level?: string };

export interface BasePipelineOptions {
  windowMs?: number;
  maxEvents?: number;
}

/**
 * The base agent's pipeline for generic logs: lines are mined into templates (ids stable across restarts through
 * the saved miner state); each line is counted against the model's template vocabulary (the feature schema's
 * template texts, `<*>` = any value) and the generic columns; windows are per session (an HDFS block id when the
 * line names one) or per host/source, tumbling in event time.
 */
export class BasePipeline implements AnalysisPipeline {
  readonly kind = 'base' as const;
  readonly featureNames: readonly string[];
  private readonly miner: TemplateMiner;
  private readonly featurizer: EventCountFeaturizer;
  private readonly vocabulary: VocabularyEntry[];
  private readonly windower: TumblingWindower<Event, Acc>;
  private readonly closed: ClosedWindow[] = [];
  private readonly windowMs: number;

  constructor(schema: FeatureSchemaDto | null, state?: unknown, options: BasePipelineOptions = {}) {
    this.miner = isMinerState(state) ? TemplateMiner.fromJSON(state) : new TemplateMiner();
    const features = schema?.features ?? [];
    const vocab = features.filter((f) => !(f.name in EXTRA_BY_COLUMN));
    const extras = EVENT_COUNT_EXTRAS.filter((x) => features.some((f) => EXTRA_BY_COLUMN[f.name] === x));
    this.vocabulary = vocab.map((f) => ({ id: f.name, name: f.name, pattern: templatePattern(f.description ?? f.name) }));
    // without a model schema the pipeline still windows and counts the generic columns
    this.featurizer = new EventCountFeaturizer(
      this.vocabulary.map((v) => ({ id: v.id, name: v.name })),
      schema ? extras : EVENT_COUNT_EXTRAS,
      schema?.version ?? 'event-counts.v1',
    );
    this.featureNames = this.featurizer.schema.features.map((f) => f.name);
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.windower = new TumblingWindower<Event, Acc>(
      {
        keyOf: (e) => e.key,
        timeOf: (e) => e.time,
        create: () => ({ counts: this.featurizer.create(), members: [] }),
        add: (acc, e) => {
          this.featurizer.add(acc.counts, { templateId: e.templateId, level: e.level });
          acc.members.push(e.handle);
        },
      },
      { sizeMs: this.windowMs, maxEvents: options.maxEvents ?? 50_000 },
    );
  }

  add(handle: number, input: PipelineInput): ParsedRecord {
    const mined = this.miner.add(input.message);
    const vocab = this.vocabulary.find((v) => v.pattern.test(input.message));
    const block = BLOCK_ID.exec(input.message)?.[0];
    const key = block ?? input.host ?? input.source;
    const level = LEVEL.exec(input.message)?.[1];
    const event: Event = { handle, key, time: input.time, templateId: vocab?.id ?? mined.templateId, ...(level ? { level } : {}) };
    for (const w of this.windower.add(event)) this.closed.push(this.toWindow(w));
    return { templateId: mined.templateId, template: mined.template, windows: 1 };
  }

  flushDue(): ClosedWindow[] {
    return this.closed.splice(0);
  }

  flushAll(): ClosedWindow[] {
    for (const w of this.windower.flush()) this.closed.push(this.toWindow(w));
    return this.closed.splice(0);
  }

  snapshot(): TemplateMinerState {
    return this.miner.toJSON();
  }

  private toWindow(w: FeatureWindow<Acc>): ClosedWindow {
    return { key: w.key, start: w.start, end: w.end, members: w.state.members, features: this.featurizer.vector(w.state.counts, this.windowMs) };
  }
}

/** `Receiving block <*> src: /<*>` → a regex where each `<*>` matches any value. */
export function templatePattern(template: string): RegExp {
  const parts = template.split('<*>').map((p) => p.trim().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(parts.join('.*?'));
}

function isMinerState(s: unknown): s is TemplateMinerState {
  return typeof s === 'object' && s !== null && 'templates' in s;
}
