// The typed event every WiFi log line becomes, whatever its dialect. Agents window and count these; nothing here
// knows about models.

/** Which program (or record shape) a line came from. */
export type WifiSource = 'hostapd' | 'wpa_supplicant' | 'dhcp' | 'cisco-wlc' | 'telemetry' | 'unknown';

/** What happened; `other` keeps lines no rule recognises, with their mined template. */
export type WifiEventType =
  | 'auth'
  | 'assoc'
  | 'handshake'
  | 'deauth'
  | 'disassoc'
  | 'eap'
  | 'dhcp'
  | 'roam'
  | 'connected'
  | 'disconnected'
  | 'ap-up'
  | 'ap-down'
  | 'state-change'
  | 'scan'
  | 'signal'
  | 'telemetry'
  | 'config'
  | 'radio'
  | 'wps'
  | 'radius'
  | 'mgmt'
  | 'driver'
  | 'other';

/** Every value of {@link WifiEventType}, in a fixed order (feature vectors and tests iterate it). */
export const WIFI_EVENT_TYPES: readonly WifiEventType[] = [
  'auth',
  'assoc',
  'handshake',
  'deauth',
  'disassoc',
  'eap',
  'dhcp',
  'roam',
  'connected',
  'disconnected',
  'ap-up',
  'ap-down',
  'state-change',
  'scan',
  'signal',
  'telemetry',
  'config',
  'radio',
  'wps',
  'radius',
  'mgmt',
  'driver',
  'other',
];

/**
 * What a recognised line means for the network: normal `lifecycle` (a client joins, a radio passes its DFS check, a
 * RADIUS accounting session starts), a `failure` (something that should have worked did not), or `security` (what an
 * attack or a wrong credential looks like: PSK mismatch, MIC failure, replayed frames, a locked WPS PIN). Lines no
 * rule recognises are `unknown`.
 */
export type WifiMeaning = 'lifecycle' | 'failure' | 'security';

/** How a step ended: `attempt` for a request whose result comes in a later line. */
export type WifiOutcome = 'attempt' | 'success' | 'failure' | 'timeout';

export type WifiLevel = 'error' | 'warning' | 'info' | 'debug';

/** Radio and link figures; each present only when the line carried it. */
export interface WifiSignal {
  /** dBm */
  rssi?: number;
  /** dB */
  snr?: number;
  /** dBm */
  noise?: number;
  retries?: number;
  /** 0..100 */
  packetDropPct?: number;
  throughputBps?: number;
  jitterMs?: number;
  txRateMbps?: number;
}

/** One parsed WiFi log line or telemetry record. */
export interface WifiEvent {
  /** Epoch milliseconds (UTC), null when the line carries no time. */
  time: number | null;
  source: WifiSource;
  type: WifiEventType;
  outcome?: WifiOutcome;
  /** What the event means (see {@link WifiMeaning}); `unknown` for lines no rule recognises. */
  meaning: WifiMeaning | 'unknown';
  level: WifiLevel;
  /** Syslog host (the AP's or client's name) when a prefix gave one. */
  host?: string;
  /** Stable AP identity: the AP name, `<host>/<interface>` for hostapd, or the BSSID seen by a client. */
  ap?: string;
  bssid?: string;
  ssid?: string;
  interface?: string;
  /** Station (client) MAC, lower-case colon form. */
  station?: string;
  /** 802.11 reason code (deauth/disassoc/disconnect). */
  reasonCode?: number;
  /** Meaning of {@link reasonCode} from the IEEE 802.11 table. */
  reason?: string;
  /** 802.11 status code (rejected auth/assoc). */
  statusCode?: number;
  /** Short machine-readable qualifier: `acl-deny`, `psk-mismatch`, `DHCPNAK`, `group`, a Cisco mnemonic … */
  detail?: string;
  /** For state changes: `UNINITIALIZED -> ENABLED`. */
  state?: { from: string; to: string };
  /** The AP a station left when this event is the arrival half of a roam. */
  roamFrom?: string;
  signal?: WifiSignal;
  /** Stable id of the line's template: a fixed id for recognised events, the miner's id for `other`. */
  templateId: string;
  template: string;
  /** The message without its time/host prefix. */
  message: string;
  raw: string;
}

const MAC_COLON = /^[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}$/i;
const MAC_DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;

/** `AA-BB-…`, `aa:bb:…` or Cisco's `aabb.ccdd.eeff` → `aa:bb:cc:dd:ee:ff`; undefined for anything else. */
export function normalizeMac(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (MAC_COLON.test(text)) return text.toLowerCase().replace(/-/g, ':');
  if (MAC_DOTTED.test(text)) {
    const hex = text.replace(/\./g, '').toLowerCase();
    return hex.match(/../g)?.join(':');
  }
  return undefined;
}

/** A MAC in either notation, for use inside larger patterns (one capture-free alternative). */
export const MAC_PATTERN = String.raw`(?:[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})`;
