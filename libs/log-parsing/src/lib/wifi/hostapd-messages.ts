import { MAC_PATTERN, normalizeMac } from './wifi-event';
import { ParsedWifiMessage, intField } from './parsed-message';
import { meaningOfText } from './hostapd-vocabulary';

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
      if (/^authenticated\b/.test(text)) return { key: 'hostapd.auth-ok', type: 'auth', outcome: 'success' };
      // `authentication OK (open system|SAE|FT)` is the debug-level twin of `authenticated` (handle_auth vs its
      // callback): an attempt, so a debug-level log does not count each authentication twice
      if (/^authentication OK\b/.test(text)) return { key: 'hostapd.auth-request-ok', type: 'auth', outcome: 'attempt' };
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
      // a class 2/3 frame from a station that skipped a step: spoofing or a confused client (ieee802_11.c)
      if (/^Station tried to associate before authentication|^Class [23] frame/.test(text)) {
        return { key: 'hostapd.frame-before-auth', type: 'assoc', outcome: 'failure', meaning: 'security', level: 'warning' };
      }
      if (/^did not acknowledge/.test(text)) return { key: 'hostapd.no-ack', type: 'mgmt', outcome: 'failure', detail: 'no-ack' };
      if (/^SA Query timed out|^SA Query/.test(text)) {
        const timedOut = /timed out/.test(text);
        return { key: timedOut ? 'hostapd.sa-query-timeout' : 'hostapd.sa-query', type: 'mgmt', meaning: timedOut ? 'security' : 'lifecycle', ...(timedOut ? { outcome: 'timeout' as const } : {}) };
      }
      // binding to a VLAN/WDS interface, polling an idle station, the debug lines of each frame: normal bookkeeping
      return moduleFallback('ieee-802-11', 'mgmt', text);
    }
    case 'WPA': {
      if (/pairwise key handshake completed/.test(text)) {
        return { key: 'hostapd.handshake-ok', type: 'handshake', outcome: 'success', detail: 'pairwise' };
      }
      if (/group key handshake completed/.test(text)) {
        return { key: 'hostapd.group-handshake-ok', type: 'handshake', outcome: 'success', detail: 'group' };
      }
      if (/^FT authentication already completed/.test(text)) {
        return { key: 'hostapd.ft-complete', type: 'handshake', outcome: 'success', detail: 'ft' };
      }
      // the STA's Michael MIC report, replayed EAPOL-Key frames and TKIP countermeasures are attacks' signatures
      if (/Michael MIC|countermeasures|replay counter/i.test(text)) {
        return { key: 'hostapd.wpa-security', type: 'handshake', outcome: 'failure', meaning: 'security', level: 'warning' };
      }
      if (/EAPOL-Key timeout|Retry limit \d+ reached|[Hh]andshake timeout|timed? ?out/.test(text)) {
        return { key: 'hostapd.handshake-timeout', type: 'handshake', outcome: 'timeout', reasonCode: reasonCode ?? 15 };
      }
      if (/invalid MIC|MIC failure|PSK mismatch/i.test(text)) {
        return { key: 'hostapd.handshake-mic-failure', type: 'handshake', outcome: 'failure', detail: 'psk-mismatch', meaning: 'security' };
      }
      // `sending 1/4 msg of 4-Way Handshake`, `received EAPOL-Key frame (2/4 Pairwise)`, `PMK from PMKSA cache` …
      return moduleFallback('wpa', 'handshake', text);
    }
    case 'IEEE 802.1X': {
      if (/^authenticated\b/.test(text)) return { key: 'hostapd.eap-ok', type: 'eap', outcome: 'success' };
      if (/authentication failed|EAP-Failure|timed? ?out/i.test(text)) {
        return { key: 'hostapd.eap-failed', type: 'eap', outcome: 'failure' };
      }
      // `authorizing port`, `STA identity '…'`, `received EAPOL-Start from STA`, `Sending EAP Packet (identifier 7)` …
      return moduleFallback('ieee-802-1x', 'eap', text);
    }
    case 'RADIUS':
      // `starting accounting session 0123…`, `stopped accounting session …`; retransmissions and unanswered requests
      // mean the RADIUS server is not answering
      if (/accounting session/.test(text)) return { key: 'hostapd.radius-accounting', type: 'radius', outcome: 'success', detail: 'accounting' };
      return moduleFallback('radius', 'radius', text);
    case 'MLME':
      // MLME-*.indication: the 802.11 state machine's own trace of frames counted above
      if (/MICHAELMICFAILURE/.test(text)) return { key: 'hostapd.mlme-mic-failure', type: 'mgmt', outcome: 'failure', meaning: 'security', level: 'warning' };
      return { key: 'hostapd.mlme', type: 'mgmt' };
    case 'DRIVER':
      return moduleFallback('driver', 'driver', text);
  }
  return { key: `hostapd.sta-${module.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, type: 'other' };
}

/** A hostapd_logger line of a known module whose text no rule names: recognised, its meaning from its wording. */
function moduleFallback(module: string, type: ParsedWifiMessage['type'], text: string): Omit<ParsedWifiMessage, 'station'> {
  const meaning = meaningOfText(text);
  if (meaning === 'lifecycle') return { key: `hostapd.${module}`, type, meaning };
  return { key: `hostapd.${module}.${meaning}`, type, meaning, outcome: 'failure', level: 'warning' };
}

const EVENT_RULES: Array<[RegExp, Rule]> = [
  [new RegExp(`^AP-STA-CONNECTED ${MAC}`), (m) => ({ key: 'hostapd.sta-connected', type: 'connected', outcome: 'success', station: normalizeMac(m[1]) })],
  [
    new RegExp(`^AP-STA-DISCONNECTED ${MAC}(.*)$`),
    (m) => ({ key: 'hostapd.sta-disconnected', type: 'disconnected', station: normalizeMac(m[1]), reasonCode: intField(m[2], 'reason') }),
  ],
  [
    new RegExp(`^AP-STA-POSSIBLE-PSK-MISMATCH ${MAC}`),
    (m) => ({ key: 'hostapd.psk-mismatch', type: 'handshake', outcome: 'failure', detail: 'psk-mismatch', meaning: 'security', station: normalizeMac(m[1]) }),
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
    (m) => ({ key: 'hostapd.acl-deny', type: 'auth', outcome: 'failure', detail: 'acl-deny', meaning: 'security', station: normalizeMac(m[1]) }),
  ],
  [
    new RegExp(`^Using interface (\\S+) with hwaddr ${MAC} and ssid "(.*)"`),
    (m) => ({ key: 'hostapd.using-interface', type: 'config', interface: m[1], bssid: normalizeMac(m[2]), ssid: m[3] }),
  ],
  [/^Configuration file: /, () => ({ key: 'hostapd.configuration-file', type: 'config' })],
];
