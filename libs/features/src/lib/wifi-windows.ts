import { WifiEvent } from '@loglens/log-parsing';
import { ClosedWindow, TumblingWindower } from './tumbling-windower';
import { WifiFeatureEvent, WifiWindowState, addWifiEvent, wifiApKey, wifiStationKey, wifiWindowVector } from './wifi-features';

/** An event as the WiFi windowers take it. */
export type WifiWindowEvent = WifiFeatureEvent & Pick<WifiEvent, 'ap' | 'host'>;

export interface WifiWindowerOptions {
  /** Per AP (default) or per station. */
  by?: 'ap' | 'station';
  /** Default 5 minutes: long enough to see a burst, short enough to alert while it lasts. */
  sizeMs?: number;
  allowedLatenessMs?: number;
  maxEvents?: number;
}

/** One closed window as a feature row. */
export interface FeatureRow {
  key: string;
  start: number;
  end: number;
  events: number;
  vector: number[];
}

export const DEFAULT_WIFI_WINDOW_MS = 5 * 60_000;

/** A tumbling windower accumulating WiFi features per AP or per station. */
export function createWifiWindower(opts: WifiWindowerOptions = {}): TumblingWindower<WifiWindowEvent, WifiWindowState> {
  const keyOf = opts.by === 'station' ? wifiStationKey : wifiApKey;
  return new TumblingWindower<WifiWindowEvent, WifiWindowState>(
    {
      keyOf,
      timeOf: (e) => e.time,
      create: (_key, start) => new WifiWindowState(start),
      add: addWifiEvent,
    },
    {
      sizeMs: opts.sizeMs ?? DEFAULT_WIFI_WINDOW_MS,
      allowedLatenessMs: opts.allowedLatenessMs,
      maxEvents: opts.maxEvents,
    },
  );
}

/** The feature row of a closed WiFi window (rates use the window's planned length). */
export function wifiRow(w: ClosedWindow<WifiWindowState>, sizeMs: number): FeatureRow {
  return { key: w.key, start: w.start, end: w.end, events: w.events, vector: wifiWindowVector(w.state, sizeMs) };
}

/** Batch helper: windows a whole event list and returns every window's row, in closing order. */
export function wifiFeatureRows(events: Iterable<WifiWindowEvent>, opts: WifiWindowerOptions = {}): FeatureRow[] {
  const sizeMs = opts.sizeMs ?? DEFAULT_WIFI_WINDOW_MS;
  const windower = createWifiWindower(opts);
  const rows: FeatureRow[] = [];
  for (const e of events) for (const w of windower.add(e)) rows.push(wifiRow(w, sizeMs));
  for (const w of windower.flush()) rows.push(wifiRow(w, sizeMs));
  return rows;
}
