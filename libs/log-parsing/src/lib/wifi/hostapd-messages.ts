import { MAC_PATTERN, normalizeMac } from './wifi-event';
import { ParsedWifiMessage, intField } from './parsed-message';

type Rule = (m: RegExpExecArray) => ParsedWifiMessage;

const MAC = `(${MAC_PATTERN})`;

// hostapd's hostapd_logger writes `STA <mac> <module>: <text>` (modules: IEEE 802.11, IEEE 802.1X, WPA, RADIUS,
// DRIVER, MLME); the other lines are wpa_msg control events (`AP-STA-CONNECTED <mac>`) or free text.
const STA_LINE = new RegExp(`^STA ${MAC} ([A-Za-z][\\w .]*?): (.*)$`, 's');

/** Recognises a hostapd message (after the interface lead-in); null when no rule applies. */
export function parseHostapdMessage(text: string): ParsedWifiMessage | null {
  const sta = STA_LINE.exec(text);
  if (sta) {
    const station = normalizeMac(sta[1]);
    const parsed = staModuleMessage(sta[2], sta[3]);
    return { ...parsed, station };
  }
  for (const [pattern, rule] of EVENT_RULES) {
    const m = pattern.exec(text);
    if (m) return rule(m);
  }
  return null;
}

function staModuleMessage(module: string, text: string): Omit<ParsedWifiMessage, 'station'> {
  const reasonCode = intField(text, 'reason(?:_code)?');
  switch (module) {
    case 'IEEE 802.11': {
      if (/^authenticated\b|^authentication OK/.test(text)) return { key: 'hostapd.auth-ok', type: 'auth', outcome: 'success' };
      if (/^auth\w* (?:failed|rejected|denied)/i.test(text)) {
        return { key: 'hostapd.auth-failed', type: 'auth', outcome: 'failure', statusCode: intField(text, 'status(?:_code)?') };
      }
      // hostapd logs `associated (aid N)` for reassociations too (handle_assoc_cb); `association OK` is the debug twin
      if (/^(?:re)?associated\b/.test(text)) return { key: 'hostapd.assoc-ok', type: 'assoc', outcome: 'success' };
      if (/^association OK/.test(text)) return { key: 'hostapd.assoc-request-ok', type: 'assoc', outcome: 'attempt' };
      if (/^(?:re)?assoc\w* (?:failed|rejected|denied)|^Could not (?:add|set) STA/i.test(text)) {
        return { key: 'hostapd.assoc-failed', type: 'assoc', outcome: 'failure', statusCode: intField(text, 'status(?:_code)?') };
      }
      if (/^deauthenticat/.test(text)) {
        return {
          key: 'hostapd.deauth',
          type: 'deauth',
          reasonCode: reasonCode ?? (/inactivity/.test(text) ? 4 : undefined),
          detail: /local deauth request/.test(text) ? 'local' : /inactivity/.test(text) ? 'inactivity' : undefined,
        };
      }
      if (/^disassociat/.test(text)) {
        return {
          key: 'hostapd.disassoc',
          type: 'disassoc',
          reasonCode: reasonCode ?? (/inactivity/.test(text) ? 4 : undefined),
          detail: /inactivity/.test(text) ? 'inactivity' : undefined,
        };
      }
      break;
    }
    case 'WPA': {
      if (/pairwise key handshake completed/.test(text)) {
        return { key: 'hostapd.handshake-ok', type: 'handshake', outcome: 'success', detail: 'pairwise' };
      }
      if (/group key handshake completed/.test(text)) {
        return { key: 'hostapd.group-handshake-ok', type: 'handshake', outcome: 'success', detail: 'group' };
      }
      if (/EAPOL-Key timeout|Retry limit \d+ reached|[Hh]andshake timeout|timed? ?out/.test(text)) {
        return { key: 'hostapd.handshake-timeout', type: 'handshake', outcome: 'timeout', reasonCode: reasonCode ?? 15 };
      }
      if (/invalid MIC|MIC failure|PSK mismatch/i.test(text)) {
        return { key: 'hostapd.handshake-mic-failure', type: 'handshake', outcome: 'failure', detail: 'psk-mismatch' };
      }
      break;
    }
    case 'IEEE 802.1X': {
      if (/^authenticated\b/.test(text)) return { key: 'hostapd.eap-ok', type: 'eap', outcome: 'success' };
      if (/authentication failed|EAP-Failure|timed? ?out/i.test(text)) {
        return { key: 'hostapd.eap-failed', type: 'eap', outcome: 'failure' };
      }
      break;
    }
  }
  return { key: `hostapd.sta-${module.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, type: 'other' };
}

const EVENT_RULES: Array<[RegExp, Rule]> = [
  [new RegExp(`^AP-STA-CONNECTED ${MAC}`), (m) => ({ key: 'hostapd.sta-connected', type: 'connected', outcome: 'success', station: normalizeMac(m[1]) })],
  [
    new RegExp(`^AP-STA-DISCONNECTED ${MAC}(.*)$`),
    (m) => ({ key: 'hostapd.sta-disconnected', type: 'disconnected', station: normalizeMac(m[1]), reasonCode: intField(m[2], 'reason') }),
  ],
  [
    new RegExp(`^AP-STA-POSSIBLE-PSK-MISMATCH ${MAC}`),
    (m) => ({ key: 'hostapd.psk-mismatch', type: 'handshake', outcome: 'failure', detail: 'psk-mismatch', station: normalizeMac(m[1]) }),
  ],
  [/^AP-ENABLED\b/, () => ({ key: 'hostapd.ap-enabled', type: 'ap-up' })],
  [/^AP-DISABLED\b/, () => ({ key: 'hostapd.ap-disabled', type: 'ap-down', level: 'warning' })],
  [/^INTERFACE-ENABLED\b/, () => ({ key: 'hostapd.interface-enabled', type: 'ap-up', detail: 'interface' })],
  [/^INTERFACE-DISABLED\b/, () => ({ key: 'hostapd.interface-disabled', type: 'ap-down', detail: 'interface', level: 'warning' })],
  [/^CTRL-EVENT-TERMINATING\b/, () => ({ key: 'hostapd.terminating', type: 'ap-down', detail: 'terminating', level: 'warning' })],
  [/^interface state (\w+)->(\w+)/, (m) => ({ key: 'hostapd.interface-state', type: 'state-change', state: { from: m[1], to: m[2] } })],
  [
    new RegExp(`^CTRL-EVENT-EAP-(STARTED|SUCCESS|SUCCESS2|FAILURE|FAILURE2|TIMEOUT-FAILURE|TIMEOUT-FAILURE2) ${MAC}`),
    (m) => ({
      key: `hostapd.eap-${m[1].toLowerCase()}`,
      type: 'eap',
      outcome: m[1].startsWith('STARTED') ? 'attempt' : m[1].startsWith('SUCCESS') ? 'success' : 'failure',
      station: normalizeMac(m[2]),
    }),
  ],
  [
    new RegExp(`^Station ${MAC} not allowed to authenticate`),
    (m) => ({ key: 'hostapd.acl-deny', type: 'auth', outcome: 'failure', detail: 'acl-deny', station: normalizeMac(m[1]) }),
  ],
  [
    new RegExp(`^Using interface (\\S+) with hwaddr ${MAC} and ssid "(.*)"`),
    (m) => ({ key: 'hostapd.using-interface', type: 'config', interface: m[1], bssid: normalizeMac(m[2]), ssid: m[3] }),
  ],
  [/^Configuration file: /, () => ({ key: 'hostapd.configuration-file', type: 'config' })],
];
