import { REASON_CLASSES, ReasonClass, WifiEvent, reasonClass } from '@loglens/log-parsing';
import { FeatureSchema, defineFeatureSchema } from './feature-schema';
import { RunningSeries } from './online-stats';

/** The fields of a {@link WifiEvent} the WiFi features read. */
export type WifiFeatureEvent = Pick<WifiEvent, 'time' | 'type' | 'outcome' | 'level' | 'station' | 'reasonCode' | 'roamFrom' | 'signal' | 'detail'> &
  Partial<Pick<WifiEvent, 'meaning'>>;

// Figures for a window without any radio sample: a good link, so "no telemetry" never looks like an RSSI collapse.
const NO_SIGNAL = { rssi: -50, snr: 40 } as const;

const reasonColumns = (kind: 'deauth' | 'disassoc'): Array<readonly [string, string]> =>
  REASON_CLASSES.map((c) => [`${kind}_${c.replace('-', '_')}`, `${kind} frames with a ${c} reason code (see reasonClass)`] as const);

// The columns both schema versions share, in v1 order.
const SHARED_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['events_per_minute', 'recognised WiFi log events per minute of window (lines no rule knows count in unrecognised_log2)'],
  ['auth_attempts', 'authentication exchanges that ended (success, failure or timeout)'],
  ['auth_failures', 'authentications that failed or timed out (incl. MAC-ACL denials, rejected SAE/open auth)'],
  ['assoc_attempts', 'association exchanges that ended (success, failure or timeout)'],
  ['assoc_failures', 'associations rejected or timed out'],
  ['handshake_failures', '4-way/group key handshakes that failed (e.g. PSK mismatch / invalid MIC)'],
  ['handshake_timeouts', '4-way/group key handshakes that timed out (EAPOL-Key retries exhausted)'],
  ['eap_failures', '802.1X/EAP authentications that failed'],
  ['dhcp_attempts', 'DHCP discovers/requests'],
  ['dhcp_acks', 'DHCP leases granted'],
  ['dhcp_failures', 'DHCP NAKs, exhausted pools and client lease failures'],
  ...reasonColumns('deauth'),
  ...reasonColumns('disassoc'),
  ['roams', 'stations arriving from another AP (or a client moving to another BSSID)'],
  ['connects', 'stations that completed a connection'],
  ['disconnects', 'stations that disconnected'],
  ['disconnect_rate', 'disconnects per distinct station in the window'],
  ['distinct_stations', 'distinct station MACs seen'],
  ['ap_up', 'AP/interface enabled events'],
  ['ap_down', 'AP/interface disabled or terminated events'],
  ['rssi_mean', `mean RSSI of radio samples, dBm (${NO_SIGNAL.rssi} without samples)`],
  ['rssi_min', `lowest RSSI, dBm (${NO_SIGNAL.rssi} without samples)`],
  ['rssi_trend', 'least-squares RSSI slope, dB per minute (0 with fewer than two samples)'],
  ['snr_mean', `mean SNR, dB (${NO_SIGNAL.snr} without samples)`],
  ['snr_min', `lowest SNR, dB (${NO_SIGNAL.snr} without samples)`],
  ['snr_trend', 'least-squares SNR slope, dB per minute'],
  ['retries_mean', 'mean transmit retries per telemetry sample (0 without samples)'],
  ['packet_drop_mean', 'mean packet drop %, telemetry (0 without samples)'],
  ['error_events', 'events at level error'],
];

/**
 * Version 1 of the per-AP / per-station WiFi window features: every line no rule recognised counted raw in
 * `other_events`. Kept so that a model trained on it is still served the columns it reads (see
 * {@link wifiWindowVector}'s `names`).
 */
export const WIFI_FEATURE_SCHEMA_V1: FeatureSchema = defineFeatureSchema('wifi-window.v1', [
  ...SHARED_COLUMNS,
  ['other_events', 'lines no WiFi rule recognised (kept with their mined template)'],
]);

/**
 * Version and columns of the per-AP / per-station WiFi window features (v2). Besides v1's incident columns, every
 * recognised event lands in a column by its meaning, so a rare but normal event (a DFS channel check, a WPS pairing,
 * a RADIUS accounting start) is counted where training saw such events before, never in a column whose learned
 * range is zero; lines no rule recognises are counted on a log scale against the learned rate of new line types.
 */
export const WIFI_FEATURE_SCHEMA: FeatureSchema = defineFeatureSchema('wifi-window.v2', [
  ...SHARED_COLUMNS,
  ['radio_events', 'radio management: DFS channel checks and radar hits, ACS, channel switches, regulatory changes'],
  ['security_events', 'events that mean security trouble: PSK mismatch, MIC failure, replayed frames, ACL denials, locked WPS PIN, OCV/beacon-protection failures'],
  ['failure_other', 'recognised failures no other column counts (RADIUS server not answering, ACS/CAC failure, driver errors, failed scans, WPS failures)'],
  ['lifecycle_log2', 'log2(1 + n), n = recognised normal events no other column counts (key handshakes, EAP steps, RADIUS accounting, WPS, 802.11k/v/r management, scans, driver chatter)'],
  ['unrecognised_log2', 'log2(max(1, n)), n = lines no WiFi rule recognised (kept with their mined template): 0 for a single one'],
]);

/** Running state of one WiFi window. */
export class WifiWindowState {
  readonly counts = new Map<string, number>();
  readonly stations = new Set<string>();
  readonly rssi: RunningSeries;
  readonly snr: RunningSeries;
  readonly retries: RunningSeries;
  readonly drop: RunningSeries;

  constructor(readonly start: number) {
    this.rssi = new RunningSeries(start);
    this.snr = new RunningSeries(start);
    this.retries = new RunningSeries(start);
    this.drop = new RunningSeries(start);
  }

  bump(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}

const ENDED = new Set(['success', 'failure', 'timeout']);
const FAILED = new Set(['failure', 'timeout']);

/** Accumulates one event into a WiFi window. */
export function addWifiEvent(state: WifiWindowState, e: WifiFeatureEvent): void {
  // lines no rule recognises are counted in `unrecognised_log2` alone (see there)
  if (e.type !== 'other') state.bump('events');
  if (e.station) state.stations.add(e.station);
  if (e.level === 'error') state.bump('error_events');
  const outcome = e.outcome ?? '';
  // whether an incident column below counted the event; the rest go to the columns of their meaning
  let counted = true;
  switch (e.type) {
    case 'auth':
      if (ENDED.has(outcome)) state.bump('auth_attempts');
      if (FAILED.has(outcome)) state.bump('auth_failures');
      counted = ENDED.has(outcome);
      break;
    case 'assoc':
      if (ENDED.has(outcome)) state.bump('assoc_attempts');
      if (FAILED.has(outcome)) state.bump('assoc_failures');
      counted = ENDED.has(outcome);
      break;
    case 'handshake':
      if (outcome === 'failure') state.bump('handshake_failures');
      if (outcome === 'timeout') state.bump('handshake_timeouts');
      counted = FAILED.has(outcome);
      break;
    case 'eap':
      if (FAILED.has(outcome)) state.bump('eap_failures');
      counted = FAILED.has(outcome);
      break;
    case 'dhcp':
      if (outcome === 'attempt') state.bump('dhcp_attempts');
      if (outcome === 'success') state.bump('dhcp_acks');
      if (outcome === 'failure') state.bump('dhcp_failures');
      counted = outcome === 'attempt' || outcome === 'success' || outcome === 'failure';
      break;
    case 'deauth':
    case 'disassoc':
      state.bump(`${e.type}_${classColumn(reasonClass(e.reasonCode))}`);
      break;
    case 'roam':
      if (outcome !== 'failure') state.bump('roams');
      counted = outcome !== 'failure';
      break;
    case 'connected':
      state.bump('connects');
      break;
    case 'disconnected':
      state.bump('disconnects');
      break;
    case 'ap-up':
      state.bump('ap_up');
      break;
    case 'ap-down':
      state.bump('ap_down');
      break;
    case 'radio':
      state.bump('radio_events');
      counted = e.meaning !== 'failure';
      break;
    case 'other':
      state.bump('other_events');
      break;
    case 'telemetry':
      // radio samples have their own columns below
      break;
    case 'state-change':
    case 'scan':
    case 'signal':
    case 'config':
    case 'wps':
    case 'radius':
    case 'mgmt':
    case 'driver':
      counted = false;
      break;
  }
  if (e.meaning === 'security') state.bump('security_events');
  else if (!counted && e.meaning === 'failure') state.bump('failure_other');
  else if (!counted && e.meaning !== 'unknown') state.bump('lifecycle_other');
  if (e.roamFrom !== undefined) state.bump('roams');
  const s = e.signal;
  if (s) {
    if (s.rssi !== undefined) state.rssi.add(s.rssi, e.time);
    if (s.snr !== undefined) state.snr.add(s.snr, e.time);
    else if (s.rssi !== undefined && s.noise !== undefined) state.snr.add(s.rssi - s.noise, e.time);
    if (s.retries !== undefined) state.retries.add(s.retries, e.time);
    if (s.packetDropPct !== undefined) state.drop.add(s.packetDropPct, e.time);
  }
}

const WIFI_FEATURE_NAMES = WIFI_FEATURE_SCHEMA.features.map((f) => f.name);
const COMPUTABLE = new Set([...WIFI_FEATURE_NAMES, ...WIFI_FEATURE_SCHEMA_V1.features.map((f) => f.name)]);

/** Whether {@link wifiWindowVector} can compute every one of these columns (v1 and v2 names). */
export function wifiFeaturesComputable(names: readonly string[]): boolean {
  return names.every((n) => COMPUTABLE.has(n));
}

/**
 * The feature row of a WiFi window lasting `durationMs`, in {@link WIFI_FEATURE_SCHEMA} order, or in the order of
 * `names` (any v1 or v2 column) for a model trained on another version.
 */
export function wifiWindowVector(state: WifiWindowState, durationMs: number, names: readonly string[] = WIFI_FEATURE_NAMES): number[] {
  const minutes = Math.max(durationMs / 60_000, 1e-9);
  const stations = state.stations.size;
  const values: Record<string, number> = {
    events_per_minute: state.count('events') / minutes,
    disconnect_rate: state.count('disconnects') / Math.max(1, stations),
    distinct_stations: stations,
    rssi_mean: state.rssi.mean(NO_SIGNAL.rssi),
    rssi_min: state.rssi.min(NO_SIGNAL.rssi),
    rssi_trend: state.rssi.slopePerMinute(),
    snr_mean: state.snr.mean(NO_SIGNAL.snr),
    snr_min: state.snr.min(NO_SIGNAL.snr),
    snr_trend: state.snr.slopePerMinute(),
    retries_mean: state.retries.mean(0),
    packet_drop_mean: state.drop.mean(0),
    // log scale: a burst of new-but-harmless lines moves the window by how many times more there are, not how many
    lifecycle_log2: Math.log2(1 + state.count('lifecycle_other')),
    // log2(max(1, n)): 0 for none and for one, 1 for two, 2 for four… A single line no rule knows leaves the row as
    // it was, so it can never make a window anomalous on its own; a new line type that keeps coming counts by how
    // many times more such lines the window has than the one a normal window may have
    unrecognised_log2: Math.log2(Math.max(1, state.count('other_events'))),
  };
  return names.map((name) => values[name] ?? state.count(name));
}

function classColumn(c: ReasonClass): string {
  return c.replace('-', '_');
}

/** Window key for per-AP windows: the AP identity, else the host, else `unknown`. */
export function wifiApKey(e: Pick<WifiEvent, 'ap' | 'host'>): string {
  return e.ap ?? e.host ?? 'unknown';
}

/** Window key for per-station windows (events without a station share `no-station`). */
export function wifiStationKey(e: Pick<WifiEvent, 'station'>): string {
  return e.station ?? 'no-station';
}
