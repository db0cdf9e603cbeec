import { MAC_PATTERN, normalizeMac } from './wifi-event';
import { ParsedWifiMessage, intField } from './parsed-message';

type Rule = (m: RegExpExecArray) => ParsedWifiMessage;

const MAC = `(${MAC_PATTERN})`;

// Event names are wpa_supplicant's control-interface events (src/common/wpa_ctrl.h) and its wpa_msg INFO lines
// (SME, association, WPA key negotiation); the client is the station, so events name the BSSID, not a station MAC.
const RULES: Array<[RegExp, Rule]> = [
  [
    new RegExp(`^CTRL-EVENT-CONNECTED - Connection to ${MAC} completed`),
    (m) => ({ key: 'wpa.connected', type: 'connected', outcome: 'success', bssid: normalizeMac(m[1]) }),
  ],
  [
    new RegExp(`^CTRL-EVENT-DISCONNECTED bssid=${MAC}(.*)$`),
    (m) => ({
      key: 'wpa.disconnected',
      type: 'disconnected',
      bssid: normalizeMac(m[1]),
      reasonCode: intField(m[2], 'reason'),
      detail: /locally_generated=1/.test(m[2]) ? 'local' : undefined,
    }),
  ],
  [
    new RegExp(`^CTRL-EVENT-ASSOC-REJECT (?:bssid=)?${MAC}?(.*)$`),
    (m) => ({
      key: 'wpa.assoc-reject',
      type: 'assoc',
      outcome: /timeout=1/.test(m[2]) ? 'timeout' : 'failure',
      bssid: normalizeMac(m[1]),
      statusCode: intField(m[2], 'status_code'),
    }),
  ],
  [
    new RegExp(`^CTRL-EVENT-AUTH-REJECT ${MAC}(.*)$`),
    (m) => ({ key: 'wpa.auth-reject', type: 'auth', outcome: 'failure', bssid: normalizeMac(m[1]), statusCode: intField(m[2], 'status_code') }),
  ],
  [
    // `id=0 ssid="corp" auth_failures=1 duration=10 reason=WRONG_KEY`: fields read by indexOf (no backtracking)
    /^CTRL-EVENT-SSID-TEMP-DISABLED /,
    (m) => {
      const rest = m.input.slice(m[0].length);
      const q = rest.indexOf('ssid="');
      const end = q < 0 ? -1 : rest.indexOf('"', q + 6);
      const r = rest.indexOf('reason=');
      const reason = r < 0 ? undefined : /^\w+/.exec(rest.slice(r + 7, r + 71))?.[0];
      return {
        key: 'wpa.ssid-temp-disabled',
        type: 'auth',
        outcome: 'failure',
        ssid: end < 0 ? undefined : rest.slice(q + 6, end),
        detail: reason,
        meaning: reason === 'WRONG_KEY' ? 'security' : 'failure',
        level: 'warning',
      };
    },
  ],
  [/^CTRL-EVENT-SSID-REENABLED/, () => ({ key: 'wpa.ssid-reenabled', type: 'config' })],
  [/^CTRL-EVENT-EAP-STARTED/, () => ({ key: 'wpa.eap-started', type: 'eap', outcome: 'attempt' })],
  [/^CTRL-EVENT-EAP-SUCCESS/, () => ({ key: 'wpa.eap-success', type: 'eap', outcome: 'success' })],
  [/^CTRL-EVENT-EAP-(?:TIMEOUT-)?FAILURE/, () => ({ key: 'wpa.eap-failure', type: 'eap', outcome: 'failure' })],
  [
    /^CTRL-EVENT-EAP-STATUS status='(\w+)' parameter='(\w*)'/,
    (m) => ({ key: 'wpa.eap-status', type: 'eap', outcome: m[2] === 'failure' ? 'failure' : undefined, detail: m[1] }),
  ],
  [/^CTRL-EVENT-SCAN-(?:STARTED|RESULTS)|^CTRL-EVENT-BSS-(?:ADDED|REMOVED)/, () => ({ key: 'wpa.scan', type: 'scan' })],
  [/^CTRL-EVENT-NETWORK-NOT-FOUND/, () => ({ key: 'wpa.network-not-found', type: 'scan', outcome: 'failure', level: 'warning' })],
  [
    /^CTRL-EVENT-SIGNAL-CHANGE (.*)$/,
    (m) => ({
      key: 'wpa.signal-change',
      type: 'signal',
      signal: dropUndefined({ rssi: intField(m[1], 'signal'), noise: intField(m[1], 'noise'), txRateMbps: txRate(m[1]) }),
    }),
  ],
  [/^CTRL-EVENT-BEACON-LOSS/, () => ({ key: 'wpa.beacon-loss', type: 'signal', outcome: 'failure', detail: 'beacon-loss', level: 'warning' })],
  [/^CTRL-EVENT-REGDOM-CHANGE/, () => ({ key: 'wpa.regdom-change', type: 'config' })],
  [/^CTRL-EVENT-TERMINATING/, () => ({ key: 'wpa.terminating', type: 'state-change', state: { from: 'RUNNING', to: 'TERMINATED' } })],
  [/^State: (\S+) -> (\S+)/, (m) => ({ key: 'wpa.state', type: 'state-change', state: { from: m[1], to: m[2] } })],
  [
    new RegExp(`^SME: Trying to authenticate with ${MAC}(?: \\(SSID='(.*?)')?`),
    (m) => ({ key: 'wpa.auth-attempt', type: 'auth', outcome: 'attempt', bssid: normalizeMac(m[1]), ssid: m[2] }),
  ],
  [
    new RegExp(`^Authentication with ${MAC} timed out`),
    (m) => ({ key: 'wpa.auth-timeout', type: 'auth', outcome: 'timeout', bssid: normalizeMac(m[1]), level: 'warning' }),
  ],
  [
    new RegExp(`^Trying to associate with (?:SSID '(.*?)'|${MAC}(?: \\(SSID='(.*?)')?)`),
    (m) => ({ key: 'wpa.assoc-attempt', type: 'assoc', outcome: 'attempt', bssid: normalizeMac(m[2]), ssid: m[1] ?? m[3] }),
  ],
  [new RegExp(`^Associated with ${MAC}`), (m) => ({ key: 'wpa.assoc-ok', type: 'assoc', outcome: 'success', bssid: normalizeMac(m[1]) })],
  [
    new RegExp(`^WPA: Key negotiation completed with ${MAC}`),
    (m) => ({ key: 'wpa.handshake-ok', type: 'handshake', outcome: 'success', detail: 'pairwise', bssid: normalizeMac(m[1]) }),
  ],
  [
    new RegExp(`^WPA: Group rekeying completed with ${MAC}`),
    (m) => ({ key: 'wpa.group-handshake-ok', type: 'handshake', outcome: 'success', detail: 'group', bssid: normalizeMac(m[1]) }),
  ],
  [
    /^WPA: 4-Way Handshake failed - pre-shared key may be incorrect/,
    () => ({ key: 'wpa.psk-incorrect', type: 'handshake', outcome: 'failure', detail: 'psk-mismatch', meaning: 'security', level: 'warning' }),
  ],
  [/^WPA: .*(?:timed? ?out|timeout)/i, () => ({ key: 'wpa.handshake-timeout', type: 'handshake', outcome: 'timeout', reasonCode: 15, level: 'warning' })],
];

/** Recognises a wpa_supplicant message (after the interface lead-in); null when no rule applies. */
export function parseWpaSupplicantMessage(text: string): ParsedWifiMessage | null {
  for (const [pattern, rule] of RULES) {
    const m = pattern.exec(text);
    if (m) return rule(m);
  }
  return null;
}

function txRate(text: string): number | undefined {
  // wpa_supplicant reports txrate in kbit/s
  const kbps = intField(text, 'txrate');
  return kbps === undefined ? undefined : kbps / 1000;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
