import { WifiSignal, normalizeMac } from './wifi-event';

/** What a structured telemetry record says about one AP/station/link at one time. */
export interface TelemetryReading {
  time: number | null;
  ap?: string;
  bssid?: string;
  station?: string;
  interface?: string;
  ssid?: string;
  signal: WifiSignal;
}

// Field names seen in AP/controller exporters and in the wireless-LQE dataset (data/wifi/wireless_lqe), compared
// case-insensitively with `_`, `-`, `.` and spaces removed. The first present alias wins.
const ALIASES = {
  time: ['time', 'timestamp', 'ts', '@timestamp', 't', 'datetime'],
  ap: ['ap', 'apname', 'accesspoint', 'router', 'node'],
  bssid: ['bssid', 'apmac'],
  station: ['station', 'sta', 'stationmac', 'client', 'clientmac', 'mac'],
  interface: ['interface', 'iface', 'ifname', 'radio'],
  ssid: ['ssid', 'network'],
  rssi: ['rssi', 'rssidbm', 'signal', 'signaldbm', 'receiversenderrssi'],
  snr: ['snr', 'snrdb', 'receiversendersnr'],
  noise: ['noise', 'noisedbm', 'noisefloor', 'receivernoise'],
  retries: ['retries', 'txretries', 'retry', 'retrycount', 'txretry'],
  packetDropPct: ['packetdroppct', 'packetdroppercentage', 'droppct', 'losspct', 'packetloss', 'packetlosspct'],
  throughputBps: ['throughputbps', 'bitspersecond', 'throughput', 'bps'],
  jitterMs: ['jitterms', 'jitter'],
  txRateMbps: ['txratembps', 'txrate', 'txbitrate'],
} as const;

// field names repeat from record to record; remembering their normal form saves a regex per field
const NORMALISED = new Map<string, string>();

const SIGNAL_FIELDS = ['rssi', 'snr', 'noise', 'retries', 'packetDropPct', 'throughputBps', 'jitterMs', 'txRateMbps'] as const;

/** Reads a telemetry record (an object from a JSON line); null when it carries no radio or link figure. */
export function parseTelemetryRecord(record: Readonly<Record<string, unknown>>): TelemetryReading | null {
  const byKey = new Map<string, unknown>();
  for (const k in record) {
    if (!Object.prototype.hasOwnProperty.call(record, k)) continue;
    let norm = NORMALISED.get(k);
    if (norm === undefined) {
      norm = k.toLowerCase().replace(/[\s_.-]/g, '');
      if (NORMALISED.size < 1000) NORMALISED.set(k, norm);
    }
    if (!byKey.has(norm)) byKey.set(norm, record[k]);
  }
  const pick = (names: readonly string[]): unknown => {
    for (const n of names) if (byKey.has(n)) return byKey.get(n);
    return undefined;
  };
  const signal: WifiSignal = {};
  for (const f of SIGNAL_FIELDS) {
    const v = toNumber(pick(ALIASES[f]));
    if (v !== undefined) signal[f] = v;
  }
  if (Object.keys(signal).length === 0) return null;
  const text = (names: readonly string[]): string | undefined => {
    const v = pick(names);
    return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const stationText = text(ALIASES.station);
  return {
    time: toTime(pick(ALIASES.time)),
    ap: text(ALIASES.ap),
    bssid: normalizeMac(text(ALIASES.bssid)),
    station: normalizeMac(stationText) ?? stationText,
    interface: text(ALIASES.interface),
    ssid: text(ALIASES.ssid),
    signal,
  };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Epoch seconds or ms (told apart by size), or an ISO-like string read as UTC when it has no zone. */
export function toTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v !== 'string' || v.length === 0) return null;
  if (/^\d+(?:\.\d+)?$/.test(v)) return toTime(Number(v));
  // `2024-11-18 12:30:11.635055104`: JavaScript dates take at most milliseconds
  const iso = v.trim().replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(t) ? t : null;
}
