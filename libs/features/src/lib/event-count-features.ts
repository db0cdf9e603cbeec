import { FeatureSchema, defineFeatureSchema } from './feature-schema';

/** What the generic featurizer needs from a parsed log line. */
export interface TemplatedEvent {
  /** The template id (from the template miner, or a dataset's event id). */
  templateId: string;
  /** Log level as the source wrote it (`ERROR`, `err`, `FATAL`, `warning` …); case-insensitive. */
  level?: string;
}

/** Columns the generic featurizer can add after the per-template counts. */
export type EventCountExtra = 'unseen' | 'errors' | 'warnings' | 'events' | 'rate';

/** Every {@link EventCountExtra}, in column order. */
export const EVENT_COUNT_EXTRAS: readonly EventCountExtra[] = ['unseen', 'errors', 'warnings', 'events', 'rate'];

const EXTRA_COLUMNS: Record<EventCountExtra, readonly [string, string]> = {
  unseen: ['unseen_templates', 'events whose template is not in the vocabulary (new since training)'],
  errors: ['error_events', 'events at level error or worse (ERROR, ERR, FATAL, SEVERE, CRIT, ALERT, EMERG, FAILURE)'],
  warnings: ['warning_events', 'events at level warning (WARN, WARNING)'],
  events: ['events', 'events in the window'],
  rate: ['events_per_minute', 'events per minute of window length'],
};

const ERROR_LEVELS = new Set(['error', 'err', 'fatal', 'severe', 'crit', 'critical', 'alert', 'emerg', 'failure', 'panic']);
const WARNING_LEVELS = new Set(['warn', 'warning']);

/** Running counts for one window; {@link EventCountFeaturizer.vector} turns it into a row. */
export interface EventCountState {
  counts: Float64Array;
  unseen: number;
  errors: number;
  warnings: number;
  events: number;
}

/**
 * The event-count vector over a fixed template vocabulary (the loglizer/DeepLog "event count matrix" row), plus
 * optional generic columns: unseen templates, error and warning counts, event total and rate.
 */
export class EventCountFeaturizer {
  readonly schema: FeatureSchema;
  /** The generic columns in use, in {@link EVENT_COUNT_EXTRAS} order. */
  readonly extras: readonly EventCountExtra[];
  private readonly index = new Map<string, number>();

  /**
   * @param vocabulary template ids in column order, each with a column name and a description (the template text)
   * @param extras generic columns appended after the counts, in {@link EVENT_COUNT_EXTRAS} order
   */
  constructor(
    vocabulary: ReadonlyArray<{ id: string; name?: string; description?: string }>,
    extras: readonly EventCountExtra[] = EVENT_COUNT_EXTRAS,
    version = 'event-counts.v1',
  ) {
    vocabulary.forEach((t, i) => {
      if (this.index.has(t.id)) throw new RangeError(`template id ${t.id} is in the vocabulary twice`);
      this.index.set(t.id, i);
    });
    const ordered = EVENT_COUNT_EXTRAS.filter((x) => extras.includes(x));
    this.extras = ordered;
    this.schema = defineFeatureSchema(version, [
      ...vocabulary.map((t) => [t.name ?? t.id, t.description ?? `count of template ${t.id}`] as const),
      ...ordered.map((x) => EXTRA_COLUMNS[x]),
    ]);
  }

  /** A fresh, empty window state. */
  create(): EventCountState {
    return { counts: new Float64Array(this.index.size), unseen: 0, errors: 0, warnings: 0, events: 0 };
  }

  /** Counts one event into a window state. */
  add(state: EventCountState, event: TemplatedEvent): void {
    const i = this.index.get(event.templateId);
    if (i === undefined) state.unseen++;
    else state.counts[i]++;
    state.events++;
    const level = event.level?.toLowerCase();
    if (level && ERROR_LEVELS.has(level)) state.errors++;
    else if (level && WARNING_LEVELS.has(level)) state.warnings++;
  }

  /** The feature row of a window lasting `durationMs` (used only by the rate column). */
  vector(state: EventCountState, durationMs = 60_000): number[] {
    const row = Array.from(state.counts);
    for (const x of this.extras) {
      switch (x) {
        case 'unseen':
          row.push(state.unseen);
          break;
        case 'errors':
          row.push(state.errors);
          break;
        case 'warnings':
          row.push(state.warnings);
          break;
        case 'events':
          row.push(state.events);
          break;
        case 'rate':
          row.push(state.events / Math.max(durationMs / 60_000, 1e-9));
          break;
      }
    }
    return row;
  }

  /** Counts a whole sequence at once (a session already grouped), e.g. an HDFS block's template ids. */
  vectorOf(events: Iterable<TemplatedEvent>, durationMs?: number): number[] {
    const s = this.create();
    for (const e of events) this.add(s, e);
    return this.vector(s, durationMs);
  }
}
