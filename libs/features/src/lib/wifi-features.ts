import { REASON_CLASSES, ReasonClass, WifiEvent, reasonClass } from '@loglens/log-parsing';
import { FeatureSchema, defineFeatureSchema } from './feature-schema';
import { RunningSeries } from './online-stats';

/** The fields of a {@link WifiEvent} the WiFi features read. */
export type WifiFeatureEvent = Pick<WifiEvent, 'time' | 'type' | 'outcome' | 'level' | 'station' | 'reasonCode' | 'roamFrom' | 'signal' | 'detail'>;

// Figures for a window without any radio sample: a good link, so "no telemetry" never looks like an RSSI collapse.
const NO_SIGNAL = { rssi: -50, snr: 40 } as const;

const reasonColumns = (kind: 'deauth' | 'disassoc'): Array<readonly [string, string]> =>
  REASON_CLASSES.map((c) => [`${kind}_${c.replace('-', '_')}`, `${kind} frames with a ${c} reason code (see reasonClass)`] as const);

/** Version and columns of the per-AP / per-station WiFi window features. */
export const WIFI_FEATURE_SCHEMA: FeatureSchema = defineFeatureSchema('wifi-window.v1', [
  ['events_per_minute', 'WiFi log events per minute of window'],
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
  ['other_events', 'lines no WiFi rule recognised (kept with their mined template)'],
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
  state.bump('events');
  if (e.station) state.stations.add(e.station);
  if (e.level === 'error') state.bump('error_events');
  const outcome = e.outcome ?? '';
  switch (e.type) {
    case 'auth':
      if (ENDED.has(outcome)) state.bump('auth_attempts');
      if (FAILED.has(outcome)) state.bump('auth_failures');
      break;
    case 'assoc':
      if (ENDED.has(outcome)) state.bump('assoc_attempts');
      if (FAILED.has(outcome)) state.bump('assoc_failures');
      break;
    case 'handshake':
      if (outcome === 'failure') state.bump('handshake_failures');
      if (outcome === 'timeout') state.bump('handshake_timeouts');
      break;
    case 'eap':
      if (FAILED.has(outcome)) state.bump('eap_failures');
      break;
    case 'dhcp':
      if (outcome === 'attempt') state.bump('dhcp_attempts');
      if (outcome === 'success') state.bump('dhcp_acks');
      if (outcome === 'failure') state.bump('dhcp_failures');
      break;
    case 'deauth':
    case 'disassoc':
      state.bump(`${e.type}_${classColumn(reasonClass(e.reasonCode))}`);
      break;
    case 'roam':
      if (outcome !== 'failure') state.bump('roams');
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
    case 'other':
      state.bump('other_events');
      break;
    case 'state-change':
    case 'scan':
    case 'signal':
    case 'telemetry':
    case 'config':
    case 'radio':
    case 'wps':
    case 'radius':
    case 'mgmt':
    case 'driver':
      break;
  }
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

/** The feature row of a WiFi window lasting `durationMs`, in {@link WIFI_FEATURE_SCHEMA} order. */
export function wifiWindowVector(state: WifiWindowState, durationMs: number): number[] {
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
  };
  return WIFI_FEATURE_SCHEMA.features.map((f) => values[f.name] ?? state.count(f.name));
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
