import type { AgentKind, AnalyzeWindowDto, TopFeatureDto, WindowExplanationDto, WindowResultDto } from '@loglens/contracts';
import { formatNumber } from '../../shared/format';

/** One analysed window as the tables show it, whether it came from an analyze reply, the store or the live feed. */
export interface WindowView {
  id: string;
  key: string;
  agent: AgentKind | null;
  source: string | null;
  start: string;
  end: string;
  recordCount: number;
  anomalyScore: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
  /** how the score decomposes into the attributions of topFeatures, when the window was explained */
  explanation: WindowExplanationDto | null;
  /** live feed: when this tab received it */
  receivedAt: string | null;
}

export function fromAnalyzeWindow(w: AnalyzeWindowDto, agent: AgentKind, source: string | null): WindowView {
  return {
    id: w.id,
    key: w.key,
    agent,
    source,
    start: w.start,
    end: w.end,
    recordCount: w.recordIndexes.length,
    anomalyScore: w.anomalyScore,
    isAnomaly: w.isAnomaly,
    threshold: w.threshold,
    modelVersion: w.modelVersion,
    topFeatures: w.topFeatures ?? [],
    explanation: w.explanation ?? null,
    receivedAt: null,
  };
}

export function fromStoredWindow(w: WindowResultDto, receivedAt: string | null = null): WindowView {
  return {
    id: w.id,
    key: w.key,
    agent: w.agent ?? null,
    source: w.source ?? null,
    start: w.start,
    end: w.end,
    recordCount: w.recordCount ?? w.recordIds?.length ?? 0,
    anomalyScore: w.anomalyScore,
    isAnomaly: w.isAnomaly,
    threshold: w.threshold,
    modelVersion: w.modelVersion,
    topFeatures: w.topFeatures ?? [],
    explanation: w.explanation ?? null,
    receivedAt,
  };
}

/** Windows in time order (then by key), the order an analysis reads best in when not sorting anomalies first. */
export function byTime(a: Pick<WindowView, 'start' | 'key'>, b: Pick<WindowView, 'start' | 'key'>): number {
  return Date.parse(a.start) - Date.parse(b.start) || a.key.localeCompare(b.key);
}

/**
 * With `anomaliesFirst`, anomalous windows come first, highest score first (unscored last), and the normal ones
 * follow in their given order; without it, the given order as is. Never changes the input array.
 */
export function sortWindows<T extends Pick<WindowView, 'isAnomaly' | 'anomalyScore'>>(
  windows: readonly T[],
  anomaliesFirst: boolean,
): T[] {
  if (!anomaliesFirst) return [...windows];
  const score = (w: T) => (w.anomalyScore === null ? -Infinity : w.anomalyScore);
  const anomalous = windows.filter((w) => w.isAnomaly).sort((a, b) => score(b) - score(a));
  return [...anomalous, ...windows.filter((w) => !w.isAnomaly)];
}

export type Prediction = 'anomalous' | 'normal' | 'not scored';

/** What the model said about a window; a window no model scored (nothing serving) is neither. */
export function predictionOf(w: Pick<WindowView, 'isAnomaly' | 'anomalyScore'>): Prediction {
  if (w.isAnomaly) return 'anomalous';
  return w.anomalyScore === null ? 'not scored' : 'normal';
}

const pad = (n: number) => String(n).padStart(2, '0');

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function localTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `2024-06-03 03:00:00 – 03:05:00` in local time; the end's date only when it differs from the start's. */
export function formatRange(startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const endText = localDate(end) === localDate(start) ? localTime(end) : `${localDate(end)} ${localTime(end)}`;
  return `${localDate(start)} ${localTime(start)} – ${endText}`;
}

/** formatRange in two lines for narrow table cells: the day, then the times (each with its day when they differ). */
export function rangeLines(startIso: string, endIso: string): [string, string] {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return [startIso, endIso];
  if (localDate(start) === localDate(end)) return [localDate(start), `${localTime(start)} – ${localTime(end)}`];
  return [`${localDate(start)} ${localTime(start)} –`, `${localDate(end)} ${localTime(end)}`];
}

/** `2024-06-03 03:00:00`, local time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${localDate(d)} ${localTime(d)}`;
}

/** `14:03:12`, local time: when something arrived today. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : localTime(d);
}

/** Deviations this large (results stored before agents gave a note instead) mean the feature never moved in training. */
const FAR_OUTSIDE = 1000;

/** A top feature as results stored before attributions carried it: distance from the training median. */
export interface LegacyTopFeature {
  name: string;
  value: number;
  baseline: number | null;
  deviation: number;
  note?: string;
}

/**
 * A feature that drove the score: `E5 "Receiving block <*>" = 12 (+2.51)` — its attribution to the window's explained
 * output (logit, ln score or SPE; docs/models.md), with the reference value where the model has one. Results stored
 * before attributions read `deauth_count = 42 (usual 0, deviation 8.1)`.
 */
export function featureText(f: TopFeatureDto | LegacyTopFeature): string {
  if ('contribution' in f && typeof f.contribution === 'number') {
    const template = f.template && f.template !== f.name ? ` "${f.template}"` : '';
    const reference = f.reference === null || f.reference === undefined ? '' : `reference ${formatNumber(f.reference)}, `;
    const c = Math.round(f.contribution * 1000) / 1000;
    return `${f.name}${template} = ${formatNumber(f.value)} (${reference}${c >= 0 ? '+' : '−'}${formatNumber(Math.abs(c))})`;
  }
  const legacy = f as LegacyTopFeature;
  const usual = legacy.baseline === null ? '' : `usual ${formatNumber(legacy.baseline)}, `;
  const deviation = legacy.note
    ? legacy.note
    : legacy.deviation >= FAR_OUTSIDE
      ? 'far outside training'
      : `deviation ${formatNumber(Math.round(legacy.deviation * 10) / 10)}`;
  return `${legacy.name} = ${formatNumber(legacy.value)} (${usual}${deviation})`;
}

/** A score or threshold, or a dash when there is none. */
export function scoreText(v: number | null): string {
  return v === null ? '—' : formatNumber(v);
}
