// The hostapd / wpa_supplicant control-interface vocabulary, from hostap's own sources:
//   - src/common/wpa_ctrl.h: every fixed event prefix (`AP-STA-CONNECTED `, `CTRL-EVENT-*`, `WPS-*`, `DFS-*`, `ACS-*`,
//     `EAPOL-4WAY-HS-COMPLETED`, `BSS-TM-*`, `PMKSA-CACHE-*`, P2P/DPP/NAN/mesh/GAS/HS 2.0 …), written by wpa_msg();
//   - src/ap/*.c hostapd_logger(): `STA <mac> <module>: <text>` with the modules IEEE 802.11, IEEE 802.1X, WPA, RADIUS,
//     DRIVER, MLME (src/utils/wpa_debug.h, hostapd_module_str);
//   - wpa_printf() lines that start with their subsystem (`nl80211:`, `RADIUS:`, `SAE:`, `FT:`, `WNM:` …).
// Each recognised line gets an event type the features count and a meaning: normal `lifecycle`, `failure`, or
// `security` (what an attack or a misconfigured credential looks like). Nothing here uses a regex that can
// backtrack: names are looked up in tables after a split at the first space, and the few patterns are anchored,
// with no nested or adjacent overlapping quantifiers.
import { ParsedWifiMessage } from './parsed-message';
import { WifiEventType, WifiMeaning, WifiOutcome, normalizeMac } from './wifi-event';

/** How one control event reads. `mac` says what the first MAC after the name is. */
interface EventSpec {
  type: WifiEventType;
  meaning: WifiMeaning;
  outcome?: WifiOutcome;
  level?: 'warning' | 'error';
  mac?: 'station' | 'bssid';
  detail?: string;
}

const L = (type: WifiEventType, extra: Partial<EventSpec> = {}): EventSpec => ({ type, meaning: 'lifecycle', ...extra });
const F = (type: WifiEventType, extra: Partial<EventSpec> = {}): EventSpec => ({ type, meaning: 'failure', outcome: 'failure', level: 'warning', ...extra });
const S = (type: WifiEventType, extra: Partial<EventSpec> = {}): EventSpec => ({ type, meaning: 'security', outcome: 'failure', level: 'warning', ...extra });

/**
 * Every fixed event name of wpa_ctrl.h (hostapd and wpa_supplicant sides) that the specific rules of
 * hostapd-messages.ts / wpa-supplicant-messages.ts do not already read with their fields.
 */
export const CONTROL_EVENTS: Readonly<Record<string, EventSpec>> = {
  // --- hostapd: stations
  'AP-STA-CONNECTED': L('connected', { outcome: 'success', mac: 'station' }),
  'AP-STA-DISCONNECTED': L('disconnected', { mac: 'station' }),
  'AP-STA-POSSIBLE-PSK-MISMATCH': S('handshake', { mac: 'station', detail: 'psk-mismatch' }),
  'AP-STA-POLL-OK': L('mgmt', { outcome: 'success', mac: 'station', detail: 'poll' }),
  'EAPOL-4WAY-HS-COMPLETED': L('handshake', { outcome: 'success', mac: 'station', detail: 'pairwise' }),
  'AP-REJECTED-MAX-STA': F('assoc', { mac: 'station', detail: 'max-sta' }),
  'AP-REJECTED-BLOCKED-STA': S('auth', { mac: 'station', detail: 'blocked' }),
  'AP-MGMT-FRAME-RECEIVED': L('mgmt'),
  'STA-OPMODE-MAX-BW-CHANGED': L('mgmt', { mac: 'station' }),
  'STA-OPMODE-SMPS-MODE-CHANGED': L('mgmt', { mac: 'station' }),
  'STA-OPMODE-N_SS-CHANGED': L('mgmt', { mac: 'station' }),
  'WDS-STA-INTERFACE-ADDED': L('config', { mac: 'station' }),
  'WDS-STA-INTERFACE-REMOVED': L('config', { mac: 'station' }),
  'RX-PROBE-REQUEST': L('mgmt'),
  'BSS-TM-QUERY': L('mgmt', { mac: 'station', detail: 'bss-tm' }),
  'BSS-TM-RESP': L('mgmt', { mac: 'station', detail: 'bss-tm' }),
  'BEACON-REQ-TX-STATUS': L('mgmt', { mac: 'station' }),
  'BEACON-RESP-RX': L('mgmt', { mac: 'station' }),
  'LINK-MSR-RESP-RX': L('mgmt', { mac: 'station' }),
  'COLOC-INTF-REQ': L('mgmt'),
  'COLOC-INTF-REPORT': L('mgmt', { mac: 'station' }),
  'MBO-CELL-PREFERENCE': L('mgmt'),
  'MBO-TRANSITION-REASON': L('mgmt'),
  'WFA-GEN-CAPAB': L('mgmt', { mac: 'station' }),
  'HS20-T-C-FILTERING-ADD': L('mgmt', { mac: 'station' }),
  'HS20-T-C-FILTERING-REMOVE': L('mgmt', { mac: 'station' }),
  'TRANSITION-DISABLE': L('config'),
  'OCV-FAILURE': S('mgmt', { detail: 'ocv' }),
  'PASN-AUTH-STATUS': L('auth'),
  // --- hostapd: the AP and its radio
  'AP-ENABLED': L('ap-up'),
  'AP-DISABLED': L('ap-down', { level: 'warning' }),
  'AP-NO_IR': L('radio', { level: 'warning', detail: 'no-ir' }),
  'INTERFACE-ENABLED': L('ap-up', { detail: 'interface' }),
  'INTERFACE-DISABLED': L('ap-down', { detail: 'interface', level: 'warning' }),
  'ACS-STARTED': L('radio', { outcome: 'attempt', detail: 'acs' }),
  'ACS-COMPLETED': L('radio', { outcome: 'success', detail: 'acs' }),
  'ACS-FAILED': F('radio', { detail: 'acs' }),
  'DFS-RADAR-DETECTED': L('radio', { level: 'warning', detail: 'radar' }),
  'DFS-NEW-CHANNEL': L('radio', { detail: 'dfs' }),
  'DFS-CAC-START': L('radio', { outcome: 'attempt', detail: 'cac' }),
  'DFS-CAC-COMPLETED': L('radio', { outcome: 'success', detail: 'cac' }),
  'DFS-NOP-FINISHED': L('radio', { detail: 'dfs' }),
  'DFS-PRE-CAC-EXPIRED': L('radio', { detail: 'cac' }),
  'AP-CSA-FINISHED': L('radio', { outcome: 'success', detail: 'channel-switch' }),
  // --- WPS (both sides)
  'WPS-PIN-NEEDED': L('wps', { mac: 'station' }),
  'WPS-NEW-AP-SETTINGS': L('wps'),
  'WPS-REG-SUCCESS': L('wps', { outcome: 'success', mac: 'station' }),
  // hostapd locks the AP PIN after repeated wrong PINs: what a brute-force attempt looks like
  'WPS-AP-SETUP-LOCKED': S('wps', { detail: 'pin-locked' }),
  'WPS-AP-SETUP-UNLOCKED': L('wps'),
  'WPS-AP-PIN-ENABLED': L('wps'),
  'WPS-AP-PIN-DISABLED': L('wps'),
  'WPS-PIN-ACTIVE': L('wps'),
  'WPS-CANCEL': L('wps'),
  'WPS-OVERLAP-DETECTED': F('wps', { detail: 'pbc-overlap' }),
  'WPS-AP-AVAILABLE-PBC': L('wps'),
  'WPS-AP-AVAILABLE-AUTH': L('wps'),
  'WPS-AP-AVAILABLE-PIN': L('wps'),
  'WPS-AP-AVAILABLE': L('wps'),
  'WPS-CRED-RECEIVED': L('wps', { outcome: 'success' }),
  'WPS-M2D': L('wps'),
  'WPS-FAIL': F('wps'),
  'WPS-SUCCESS': L('wps', { outcome: 'success' }),
  'WPS-TIMEOUT': F('wps', { outcome: 'timeout' }),
  'WPS-PBC-ACTIVE': L('wps'),
  'WPS-PBC-DISABLE': L('wps'),
  'WPS-ENROLLEE-SEEN': L('wps', { mac: 'station' }),
  'WPS-OPEN-NETWORK': L('wps'),
  'WPS-ER-AP-ADD': L('wps'),
  'WPS-ER-AP-REMOVE': L('wps'),
  'WPS-ER-ENROLLEE-ADD': L('wps'),
  'WPS-ER-ENROLLEE-REMOVE': L('wps'),
  'WPS-ER-AP-SETTINGS': L('wps'),
  'WPS-ER-AP-SET-SEL-REG': L('wps'),
  // --- wpa_supplicant (client side); CONNECTED/DISCONNECTED/ASSOC-REJECT/… keep their field-reading rules
  'CTRL-EVENT-CONNECTED': L('connected', { outcome: 'success', mac: 'bssid' }),
  'CTRL-EVENT-DISCONNECTED': L('disconnected', { mac: 'bssid' }),
  'CTRL-EVENT-ASSOC-REJECT': F('assoc', { mac: 'bssid' }),
  'CTRL-EVENT-AUTH-REJECT': F('auth', { mac: 'bssid' }),
  'CTRL-EVENT-TERMINATING': L('ap-down', { detail: 'terminating', level: 'warning' }),
  'CTRL-EVENT-PASSWORD-CHANGED': L('config'),
  'CTRL-EVENT-EAP-NOTIFICATION': L('eap'),
  'CTRL-EVENT-EAP-STARTED': L('eap', { outcome: 'attempt', mac: 'station' }),
  'CTRL-EVENT-EAP-PROPOSED-METHOD': L('eap'),
  'CTRL-EVENT-EAP-METHOD': L('eap'),
  'CTRL-EVENT-EAP-PEER-CERT': L('eap'),
  'CTRL-EVENT-EAP-PEER-ALT': L('eap'),
  'CTRL-EVENT-EAP-TLS-CERT-ERROR': S('eap', { detail: 'tls-cert' }),
  'CTRL-EVENT-EAP-STATUS': L('eap'),
  'CTRL-EVENT-EAP-RETRANSMIT': L('eap', { mac: 'station' }),
  'CTRL-EVENT-EAP-RETRANSMIT2': L('eap', { mac: 'station' }),
  'CTRL-EVENT-EAP-SUCCESS': L('eap', { outcome: 'success', mac: 'station' }),
  'CTRL-EVENT-EAP-SUCCESS2': L('eap', { outcome: 'success', mac: 'station' }),
  'CTRL-EVENT-EAP-FAILURE': F('eap', { mac: 'station' }),
  'CTRL-EVENT-EAP-FAILURE2': F('eap', { mac: 'station' }),
  'CTRL-EVENT-EAP-TIMEOUT-FAILURE': F('eap', { outcome: 'timeout', mac: 'station' }),
  'CTRL-EVENT-EAP-TIMEOUT-FAILURE2': F('eap', { outcome: 'timeout', mac: 'station' }),
  'EAP-ERROR-CODE': F('eap'),
  'CTRL-EVENT-SSID-TEMP-DISABLED': F('auth'),
  'CTRL-EVENT-SSID-REENABLED': L('config'),
  'CTRL-EVENT-SCAN-STARTED': L('scan', { outcome: 'attempt' }),
  'CTRL-EVENT-SCAN-RESULTS': L('scan', { outcome: 'success' }),
  'CTRL-EVENT-SCAN-FAILED': F('scan'),
  'CTRL-EVENT-STATE-CHANGE': L('state-change'),
  'CTRL-EVENT-BSS-ADDED': L('scan'),
  'CTRL-EVENT-BSS-REMOVED': L('scan'),
  'CTRL-EVENT-NETWORK-NOT-FOUND': F('scan'),
  'CTRL-EVENT-SIGNAL-CHANGE': L('signal'),
  'CTRL-EVENT-BEACON-LOSS': F('signal', { detail: 'beacon-loss' }),
  'CTRL-EVENT-REGDOM-CHANGE': L('radio', { detail: 'regdom' }),
  'CTRL-EVENT-REGDOM-BEACON-HINT': L('radio', { detail: 'regdom' }),
  'CTRL-EVENT-STARTED-CHANNEL-SWITCH': L('radio', { outcome: 'attempt', detail: 'channel-switch' }),
  'CTRL-EVENT-CHANNEL-SWITCH': L('radio', { outcome: 'success', detail: 'channel-switch' }),
  'CTRL-EVENT-STARTED-LINK-CHANNEL-SWITCH': L('radio', { outcome: 'attempt', detail: 'channel-switch' }),
  'CTRL-EVENT-LINK-CHANNEL-SWITCH': L('radio', { outcome: 'success', detail: 'channel-switch' }),
  'CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER': S('auth', { detail: 'sae-password-id' }),
  // beacon protection dropped a forged beacon: someone spoofs the AP
  'CTRL-EVENT-UNPROT-BEACON': S('mgmt', { detail: 'unprotected-beacon' }),
  'CTRL-EVENT-DO-ROAM': L('mgmt', { detail: 'roam-decision' }),
  'CTRL-EVENT-SKIP-ROAM': L('mgmt', { detail: 'roam-decision' }),
  'CTRL-EVENT-T2LM-UPDATE': L('mgmt'),
  'CTRL-EVENT-LINK-RECONFIG': L('mgmt'),
  'CTRL-EVENT-LINK-STA-REMOVED': L('mgmt'),
  'CTRL-EVENT-LINK-STA-ADDED': L('mgmt'),
  'CTRL-EVENT-SUBNET-STATUS-UPDATE': L('mgmt'),
  'IBSS-RSN-COMPLETED': L('handshake', { outcome: 'success', mac: 'station' }),
  'CTRL-EVENT-FREQ-CONFLICT': F('radio'),
  'CTRL-EVENT-AVOID-FREQ': L('radio'),
  'CTRL-EVENT-NETWORK-ADDED': L('config'),
  'CTRL-EVENT-NETWORK-REMOVED': L('config'),
  'CTRL-EVENT-MSCS-RESULT': L('mgmt'),
  'CTRL-EVENT-SCS-RESULT': L('mgmt'),
  'CTRL-EVENT-DSCP-POLICY': L('mgmt'),
  'ESS-DISASSOC-IMMINENT': L('mgmt', { level: 'warning' }),
  'HS20-DEAUTH-IMMINENT-NOTICE': L('mgmt', { level: 'warning' }),
  'HS20-T-C-ACCEPTANCE': L('mgmt'),
  'EXT-RADIO-WORK-START': L('radio'),
  'EXT-RADIO-WORK-TIMEOUT': F('radio', { outcome: 'timeout' }),
  'RRM-NEIGHBOR-REP-RECEIVED': L('mgmt'),
  'RRM-NEIGHBOR-REP-REQUEST-FAILED': F('mgmt'),
  'PMKSA-CACHE-ADDED': L('handshake', { detail: 'pmksa' }),
  'PMKSA-CACHE-REMOVED': L('handshake', { detail: 'pmksa' }),
  'FILS-HLP-RX': L('mgmt'),
  'TSPEC-ADDED': L('mgmt'),
  'TSPEC-REMOVED': L('mgmt'),
  'TSPEC-REQ-FAILED': F('mgmt'),
  'MESH-GROUP-STARTED': L('mgmt'),
  'MESH-GROUP-REMOVED': L('mgmt'),
  'MESH-PEER-CONNECTED': L('connected', { outcome: 'success', mac: 'station', detail: 'mesh' }),
  'MESH-PEER-DISCONNECTED': L('disconnected', { mac: 'station', detail: 'mesh' }),
  'MESH-SAE-AUTH-FAILURE': S('auth', { detail: 'mesh-sae' }),
  'MESH-SAE-AUTH-BLOCKED': S('auth', { detail: 'mesh-sae' }),
  'CTRL-REQ-IDENTITY': L('eap', { outcome: 'attempt' }),
  'CTRL-REQ-PASSWORD': L('eap', { outcome: 'attempt' }),
};

/** Families of event names wpa_ctrl.h defines many of (P2P, DPP, NAN, GAS/ANQP, Interworking …): one spec each. */
const EVENT_FAMILIES: ReadonlyArray<readonly [string, EventSpec]> = [
  ['WPS-', L('wps')],
  ['DFS-', L('radio', { detail: 'dfs' })],
  ['ACS-', L('radio', { detail: 'acs' })],
  ['CTRL-EVENT-EAP-', L('eap')],
  ['CTRL-REQ-', L('eap', { outcome: 'attempt' })],
  ['CTRL-RSP-', L('eap')],
  ['CTRL-EVENT-', L('state-change')],
  ['AP-STA-', L('mgmt', { mac: 'station' })],
  ['AP-', L('mgmt')],
  ['P2P-', L('mgmt', { detail: 'p2p' })],
  ['P2PS-', L('mgmt', { detail: 'p2p' })],
  ['DPP-', L('mgmt', { detail: 'dpp' })],
  ['NAN-', L('mgmt', { detail: 'nan' })],
  ['MESH-', L('mgmt', { detail: 'mesh' })],
  ['GAS-', L('mgmt', { detail: 'gas' })],
  ['ANQP-', L('mgmt', { detail: 'anqp' })],
  ['RX-', L('mgmt')],
  ['HS20-', L('mgmt', { detail: 'hs20' })],
  ['INTERWORKING-', L('mgmt', { detail: 'interworking' })],
  ['CRED-', L('config')],
  ['EAPOL-', L('handshake')],
  ['PMKSA-', L('handshake', { detail: 'pmksa' })],
  ['BSS-TM-', L('mgmt', { detail: 'bss-tm' })],
  ['STA-OPMODE-', L('mgmt')],
  ['PR-', L('mgmt')],
];

// An event name: capitals, digits and `_`, in at least two `-`-joined parts (`AP-STA-CONNECTED`, `AP-NO_IR`).
// Bounded length and one character class per part: no backtracking.
const EVENT_NAME = /^[A-Z][A-Z0-9_]{0,40}(?:-[A-Z0-9_]{1,40}){1,8}$/;

/** The MAC-like tokens the control events carry (`<mac>`, `sa=<mac>`, `bssid=<mac>`). */
function firstMac(rest: string): string | undefined {
  let from = 0;
  for (let i = 0; i < 12 && from < rest.length; i++) {
    let to = rest.indexOf(' ', from);
    if (to < 0) to = rest.length;
    let token = rest.slice(from, to);
    const eq = token.indexOf('=');
    if (eq >= 0) token = token.slice(eq + 1);
    const mac = normalizeMac(token);
    if (mac) return mac;
    from = to + 1;
  }
  return undefined;
}

/**
 * A wpa_ctrl.h control event (`AP-STA-POLL-OK 02:…`, `DFS-CAC-START freq=…`, `WPS-SUCCESS `): its spec from the
 * table, else from its family (`P2P-…`, `DPP-…`); null when the text does not start with an event name.
 */
export function parseControlEvent(text: string, program: 'hostapd' | 'wpa'): ParsedWifiMessage | null {
  const space = text.indexOf(' ');
  const name = space < 0 ? text : text.slice(0, space);
  if (name.length > 64 || !EVENT_NAME.test(name)) return null;
  // own keys only: a line naming `constructor` or `__proto__` must not reach Object.prototype
  let spec = Object.hasOwn(CONTROL_EVENTS, name) ? CONTROL_EVENTS[name] : undefined;
  if (!spec) {
    for (const [prefix, s] of EVENT_FAMILIES) {
      if (name.startsWith(prefix)) {
        spec = s;
        break;
      }
    }
  }
  if (!spec) return null;
  const rest = space < 0 ? '' : text.slice(space + 1);
  const mac = spec.mac ? firstMac(rest) : undefined;
  let outcome = spec.outcome;
  let meaning = spec.meaning;
  // `DFS-CAC-COMPLETED success=0`: the check was aborted (radar during CAC, or the radio went away)
  if (name === 'DFS-CAC-COMPLETED' && rest.startsWith('success=0')) {
    outcome = 'failure';
    meaning = 'failure';
  }
  return {
    key: `${program}.${name.toLowerCase()}`,
    type: spec.type,
    meaning,
    ...(outcome ? { outcome } : {}),
    ...(spec.level ? { level: spec.level } : {}),
    ...(spec.detail ? { detail: spec.detail } : {}),
    ...(mac && spec.mac === 'station' ? { station: mac } : {}),
    ...(mac && spec.mac === 'bssid' ? { bssid: mac } : {}),
  };
}

const FAILURE_WORDS = /\b(?:fail(?:ed|ure|s)?|error|could not|couldn't|unable|invalid|refused|denied|not permitted|no such|timed? ?out|timeout|lost|abort(?:ed|ing)?|no response|resending|retransmit(?:ting)?)\b/i;
const ERROR_WORDS = /\b(?:fail(?:ed|ure|s)?|error|could not|couldn't|unable|invalid)\b/i;
const SECURITY_WORDS = /\b(?:MIC failure|invalid MIC|replay|countermeasures|forged|unprotected|not allowed|blocked|SA Query timed out)\b/i;

/** `lifecycle`, `failure` or `security` read from the wording of a free-text line. */
export function meaningOfText(text: string): WifiMeaning {
  if (SECURITY_WORDS.test(text)) return 'security';
  return FAILURE_WORDS.test(text) ? 'failure' : 'lifecycle';
}

/**
 * wpa_printf() subsystems (the word before the first `: `, as hostap's sources write them) and the event type each
 * belongs to. A line in one of them is recognised even when its exact text is not: its meaning comes from its wording.
 */
const SUBSYSTEMS: Readonly<Record<string, WifiEventType>> = {
  nl80211: 'driver',
  'nl80211 driver initialization failed.': 'driver',
  l2_packet: 'driver',
  l2_packet_receive: 'driver',
  rfkill: 'driver',
  random: 'config',
  ELOOP: 'config',
  ctrl_iface: 'config',
  CTRL_IFACE: 'config',
  hostapd_free_hapd_data: 'driver',
  handle_auth_cb: 'auth',
  handle_assoc_cb: 'assoc',
  handle_probe_req: 'mgmt',
  hostapd_notif_assoc: 'assoc',
  hostapd_notif_auth: 'auth',
  ap_sta_deauthenticate: 'deauth',
  hostapd_setup_bss: 'config',
  hostapd_setup_interface_complete: 'config',
  RADIUS: 'radius',
  'RADIUS SRV': 'radius',
  Accounting: 'radius',
  WPA: 'handshake',
  RSN: 'handshake',
  FT: 'handshake',
  SAE: 'auth',
  OWE: 'auth',
  FILS: 'auth',
  PASN: 'auth',
  EAP: 'eap',
  'EAP-PEAP': 'eap',
  'EAP-TLS': 'eap',
  'EAP-TTLS': 'eap',
  'EAP-MSCHAPV2': 'eap',
  EAPOL: 'eap',
  'EAPOL-Key': 'handshake',
  'IEEE 802.1X': 'eap',
  'IEEE 802.11': 'mgmt',
  SME: 'auth',
  WNM: 'mgmt',
  RRM: 'mgmt',
  MBO: 'mgmt',
  OCE: 'mgmt',
  HS20: 'mgmt',
  ANQP: 'mgmt',
  GAS: 'mgmt',
  Interworking: 'mgmt',
  WMM: 'mgmt',
  TDLS: 'mgmt',
  P2P: 'mgmt',
  DPP: 'mgmt',
  NAN: 'mgmt',
  MESH: 'mgmt',
  WPS: 'wps',
  ACS: 'radio',
  DFS: 'radio',
  CSA: 'radio',
  HT: 'radio',
  VHT: 'radio',
  HE: 'radio',
  EHT: 'radio',
  '20/40 MHz operation not permitted on channel pri': 'radio',
  BSS: 'scan',
  Scan: 'scan',
  PMKSA: 'handshake',
  'PMKSA-CACHE': 'handshake',
  MLD: 'mgmt',
  'AP-MLD': 'mgmt',
  VLAN: 'config',
  'Using interface': 'config',
};

// Free-text lines of hostapd / wpa_supplicant that carry no subsystem word but are part of their normal vocabulary
// (start-up, interface set-up, the driver's view of the interface). Prefix → type; meaning comes from the wording.
const KNOWN_LINE_STARTS: ReadonlyArray<readonly [string, WifiEventType]> = [
  ['Could not read interface ', 'driver'],
  ['Could not set interface ', 'driver'],
  ['Could not connect to kernel driver', 'driver'],
  ['Failed to set beacon parameters', 'driver'],
  ['Failed to set TX queue parameters', 'driver'],
  ['Failed to create interface ', 'driver'],
  ['Failed to initialize ', 'driver'],
  ['Interface initialization failed', 'driver'],
  ['Unable to setup interface', 'driver'],
  ['Using existing control interface directory', 'config'],
  ['Successfully initialized wpa_supplicant', 'config'],
  ['Successfully initialized ', 'config'],
  ['Channel list update', 'radio'],
  ['Reject scan trigger', 'scan'],
  ['Added BSSID ', 'scan'],
  ['Removed BSSID ', 'scan'],
  ['BSSID ', 'scan'],
  ['Driver does not support ', 'driver'],
  ['Could not ', 'driver'],
  ['Failed to ', 'driver'],
];

// `<subsystem>: text` where the subsystem is a word (letters, digits, `_`, `-`, `/`, `.`, single spaces) of at most
// 48 characters: read by indexOf, not by a pattern.
function subsystemOf(text: string): string | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon > 48) return Object.hasOwn(SUBSYSTEMS, text) ? text : undefined;
  return text.slice(0, colon);
}

/** A wpa_printf() line of a known subsystem or a known free-text start; null for anything else. */
export function parseDaemonLine(text: string, program: 'hostapd' | 'wpa'): ParsedWifiMessage | null {
  const subsystem = subsystemOf(text);
  let type: WifiEventType | undefined = subsystem !== undefined && Object.hasOwn(SUBSYSTEMS, subsystem) ? SUBSYSTEMS[subsystem] : undefined;
  let key = subsystem === undefined ? undefined : `${program}.${subsystem.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  if (type === undefined) {
    for (const [start, t] of KNOWN_LINE_STARTS) {
      if (text.startsWith(start)) {
        type = t;
        key = `${program}.${start.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
        break;
      }
    }
  }
  if (type === undefined || key === undefined) return null;
  const meaning = meaningOfText(text);
  return {
    key: meaning === 'lifecycle' ? key : `${key}.${meaning}`,
    type,
    meaning,
    ...(meaning === 'lifecycle' ? {} : { outcome: 'failure' as const, level: ERROR_WORDS.test(text) ? ('error' as const) : ('warning' as const) }),
  };
}
