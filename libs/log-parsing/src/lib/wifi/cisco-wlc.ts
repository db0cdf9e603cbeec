import { severityLevel } from './line-prefix';
import { MAC_PATTERN, normalizeMac } from './wifi-event';
import { ParsedWifiMessage, intField } from './parsed-message';

/** A Cisco controller line: the prefix fields plus what its mnemonic and text say. */
export interface CiscoWlcMessage extends ParsedWifiMessage {
  time: number | null;
  /** the time is a syslog stamp without a year (the caller's year was assumed) */
  yearless?: boolean;
  host?: string;
  /** `FACILITY-SEVERITY-MNEMONIC` */
  mnemonic: string;
  /** The text after the mnemonic. */
  body: string;
}

// Cisco syslog: `%FACILITY-SEVERITY-MNEMONIC: text` (AireOS and IOS-XE/9800 alike), after any of:
//   `*apfMsConnTask_6: Jun 15 14:23:45.123: `                      AireOS console/syslog
//   `<134>Mar 10 12:00:00 WLC-9800 `                                 relayed syslog with host
//   `Sep 25 12:42:02.000 UTC: ` / `2023/09/19 15:49:47.171126851 {wncd_x_R0-0}{1}: [errmsg] [17435]: (debug): `
const MNEMONIC = /%([A-Z][A-Z0-9_]*)-([0-7])-([A-Z0-9_]+):\s*(.*)$/s;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SYSLOG_TIME = /([A-Z][a-z]{2})\s+(\d{1,2})\s(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const SLASH_TIME = /(\d{4})\/(\d\d)\/(\d\d)\s(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const MAC = `(${MAC_PATTERN})`;

/** Parses a Cisco AireOS / Catalyst 9800 syslog line; null when it has no `%FAC-SEV-MNEMONIC:`. */
export function parseCiscoWlcLine(line: string, year: number): CiscoWlcMessage | null {
  const m = MNEMONIC.exec(line);
  if (!m) return null;
  const [facility, severity, name, body] = [m[1], Number(m[2]), m[3], m[4]];
  const head = line.slice(0, m.index);
  const { time, yearless, rest } = prefixTime(head, year);
  // what remains between the time and the mnemonic is a host name when it is one bare token
  // (trimmed first: two `\s*` around an optional colon would backtrack quadratically on a run of spaces)
  const hostMatch = /^(?:<\d+>)?\s*([A-Za-z0-9][\w.-]*)(?:\s*:)?$/.exec(rest.trim());
  const host = hostMatch && !/^(?:UTC|GMT|[A-Z]{3,4}T)$/.test(hostMatch[1]) ? hostMatch[1] : undefined;
  const mnemonic = `${facility}-${severity}-${name}`;
  return {
    ...classify(facility, name, body),
    level: severityLevel(severity),
    ...fields(body),
    time,
    ...(yearless ? { yearless } : {}),
    host,
    mnemonic,
    body,
  };
}

function prefixTime(head: string, year: number): { time: number | null; yearless?: boolean; rest: string } {
  let t = SLASH_TIME.exec(head);
  if (t) {
    const ms = t[7] ? Number(t[7].padEnd(3, '0').slice(0, 3)) : 0;
    return {
      time: Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6]), ms),
      rest: '',
    };
  }
  t = SYSLOG_TIME.exec(head);
  if (t && MONTHS.includes(t[1])) {
    const ms = t[6] ? Number(t[6].padEnd(3, '0').slice(0, 3)) : 0;
    const time = Date.UTC(year, MONTHS.indexOf(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]), ms);
    return { time, yearless: true, rest: head.slice(t.index + t[0].length).replace(/^\s*(?:UTC|GMT)?:?/, '') };
  }
  return { time: null, rest: head };
}

function classify(facility: string, name: string, body: string): Omit<ParsedWifiMessage, 'station'> {
  const tag = `${facility}-${name}`;
  const key = `cisco.${tag.toLowerCase()}`;
  const failed = /fail|reject|denied|exclu|timeout|timed out|exceeded/i.test(`${name} ${body}`);
  if (/ROAM/.test(name) || /\broam(?:ed|ing)?\b/i.test(body)) return { key, type: 'roam', outcome: failed ? 'failure' : 'success', detail: tag };
  // AP join/leave: `%LWAPP-3-AP_DEL`, `%CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: … Disjoined`
  if (/AP_(?:JOIN|DEL|DISASSOC|DISJOIN|ADD|DOWN|UP)|AP_JOIN_DISJOIN|LRAD_(?:ASSOCIATED|DISASSOCIATED)/.test(name)) {
    const down = /disjoin|disassociat|delet|down|lost|disconnect/i.test(`${name} ${body}`);
    return { key, type: down ? 'ap-down' : 'ap-up', detail: tag };
  }
  if (/EAPOL.?KEY|M1|M3/i.test(`${name} ${body}`) && failed) {
    return { key, type: 'handshake', outcome: 'timeout', reasonCode: 15, detail: tag };
  }
  if (/DOT1X|EAP|RADIUS|AAA/.test(tag) || /802\.1X|EAP/.test(body)) {
    return { key, type: 'eap', outcome: failed ? 'failure' : /success|authenticated/i.test(body) ? 'success' : undefined, detail: tag };
  }
  if (/EXCLUSION|AUTHENTICATION|AUTH_FAIL|WEBAUTH/.test(name) || /authenticat/i.test(body)) {
    return { key, type: 'auth', outcome: failed ? 'failure' : 'success', detail: tag };
  }
  if (/DHCP/.test(tag) || /DHCP/.test(body)) {
    return { key, type: 'dhcp', outcome: failed ? 'failure' : /success|learn|bound|ack/i.test(body) ? 'success' : 'attempt', detail: tag };
  }
  if (/DEAUTH/.test(name) || /deauth/i.test(body)) return { key, type: 'deauth', detail: tag };
  if (/DISASSOC/.test(name) || /disassociat/i.test(body)) return { key, type: 'disassoc', detail: tag };
  if (/DELETE|DELETED|REMOVED/.test(name)) return { key, type: 'disconnected', detail: tag };
  if (/RUN_STATE|CLIENT_ADDED|ASSOC/.test(name)) {
    return { key, type: failed ? 'assoc' : 'connected', outcome: failed ? 'failure' : 'success', detail: tag };
  }
  return { key, type: 'other', detail: tag };
}

function fields(body: string): Partial<ParsedWifiMessage> {
  const out: Partial<ParsedWifiMessage> = {};
  const station = new RegExp(
    `(?:client(?: MAC)?|MAC(?:\\s?Address)?|mobile(?: station)?|device with MAC|STA|Username entry)\\s*(?:[:=]\\s*)?\\(?${MAC}`,
    'i',
  ).exec(body);
  const apMac = new RegExp(`(?:AP mac|AP MAC|Base Radio MAC|radio MAC)\\s*(?:[:=]\\s*)?\\(?${MAC}`).exec(body);
  if (station && (!apMac || station[1] !== apMac[1])) out.station = normalizeMac(station[1]);
  const apName = /\bAP(?: [Nn]ame)?\s*(?:[:=]\s*)?\(([^)]{1,256})\)|\bAP [Nn]ame\s*[:=]\s*([\w.-]+)|\bAP:\s*([\w.-]+)/.exec(body);
  if (apName) out.ap = apName[1] ?? apName[2] ?? apName[3];
  else if (apMac) out.ap = normalizeMac(apMac[1]);
  if (apMac) out.bssid = normalizeMac(apMac[1]);
  const ssid = /\bSSID\s*(?:[:=]\s*)?\(([^)]{0,256})\)|\bSSID\s*[:=]\s*([^\s,]+)/i.exec(body);
  if (ssid) out.ssid = ssid[1] ?? ssid[2];
  const reasonCode = intField(body, 'reason(?: code)?');
  if (reasonCode !== undefined) out.reasonCode = reasonCode;
  const rssi = intField(body, 'rssi');
  if (rssi !== undefined) out.signal = { rssi };
  return out;
}
