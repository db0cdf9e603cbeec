import type { AgentKind } from '@loglens/contracts';

/**
 * One record as a pipeline sees it. `time` is epoch ms from the record itself (an object's `timestamp`), or null when
 * it carries none; then the line's own header time is used, and only then `arrival` (when the stream received it).
 */
export interface PipelineInput {
  message: string;
  time: number | null;
  /** epoch ms the record reached the stream; the last resort for its time */
  arrival?: number;
  source: string;
  host?: string;
  fields?: Record<string, unknown>;
  /** the message was longer than the line cap and was cut to it */
  truncated?: boolean;
}

export interface ParsedRecord {
  templateId: string | null;
  template: string | null;
  /** how many windows the record joined; 0 means it can be acknowledged at once */
  windows: number;
  error?: string;
  /** the message was cut to the line cap */
  truncated?: boolean;
}

/** A template id as it stands now (templates merge as more lines arrive), with its current text. */
export interface ResolvedTemplate {
  templateId: string;
  template: string;
}

/** A window the pipeline closed: its key, time range, the records in it (by handle) and its feature vector. */
export interface ClosedWindow {
  key: string;
  start: number;
  end: number;
  members: number[];
  features: number[];
}

/**
 * What an agent kind plugs into the runtime: parsing, windowing and feature extraction for its logs. A pipeline
 * instance serves one source (site); its state (templates) can be saved and restored.
 */
export interface AnalysisPipeline {
  readonly kind: AgentKind;
  readonly featureNames: readonly string[];
  /** Parses a record and adds it to its windows. `handle` names the record in ClosedWindow.members. */
  add(handle: number, input: PipelineInput): ParsedRecord;
  /** Windows whose time has passed (event-time watermark) or that reached their size limit. */
  flushDue(): ClosedWindow[];
  /** Every open window (end of an analyze request, or an idle stream). */
  flushAll(): ClosedWindow[];
  /** Template state worth keeping across restarts. */
  snapshot(): unknown;
  /**
   * The template an id returned by `add` belongs to now (ids of merged templates resolve to the survivor, texts
   * generalise); pipelines without mined templates leave it out.
   */
  resolveTemplate?(templateId: string): ResolvedTemplate | null;
  /** What the pipeline holds per key now and what it dropped to stay within its caps (for the agent's stats). */
  stateSize?(): PipelineStateSize;
}

/** Sizes of a pipeline's per-key state, and evictions since it was built (each table is capped). */
export interface PipelineStateSize {
  openWindows: number;
  /** keys whose windowing history is remembered */
  windowKeys: number;
  templates: number;
  /** WiFi: stations, clients, interfaces, BSSIDs, cached rule templates */
  trackedKeys: number;
  evictions: StateEvictions;
}

export interface StateEvictions {
  /** windows closed early because too many keys had one open */
  openWindows: number;
  windowKeys: number;
  templates: number;
  trackedKeys: number;
  /** per-source pipelines dropped from memory (their template state stays in the KV bucket) */
  sources: number;
}

export const NO_EVICTIONS: StateEvictions = { openWindows: 0, windowKeys: 0, templates: 0, trackedKeys: 0, sources: 0 };

export function addEvictions(a: StateEvictions, b: StateEvictions): StateEvictions {
  return {
    openWindows: a.openWindows + b.openWindows,
    windowKeys: a.windowKeys + b.windowKeys,
    templates: a.templates + b.templates,
    trackedKeys: a.trackedKeys + b.trackedKeys,
    sources: a.sources + b.sources,
  };
}

/** Builds a pipeline for a source, optionally from saved state. */
export type PipelineFactory = (source: string, state?: unknown) => AnalysisPipeline;
