export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type SyslogSeverity = (typeof SEVERITIES)[number];

/** A syslog message's envelope and body. Every field but `message` is absent when the sender left it out. */
export interface SyslogMessage {
  format: 'rfc5424' | 'rfc3164' | 'unframed';
  facility?: number;
  severity?: SyslogSeverity;
  /** ISO 8601 (ms, UTC) */
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** RFC 5424 STRUCTURED-DATA as sent (`[id k="v"]…`) */
  structuredData?: string;
  message: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// every pattern below is anchored and free of nested quantifiers: linear in the line's length
const PRI = /^<(\d{1,3})>/;
const RFC5424_HEAD = /^<(\d{1,3})>([1-9]\d?) /;
const BSD_DATE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? /;
const ISO_DATE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) /;
const TAG = /^([^\s[\]:]{1,64})(?:\[([^\]\s]{1,32})\])?: ?/;

/** Reads one syslog message (RFC 5424, RFC 3164 and its common variants, or a bare line). `now` places yearless dates. */
export function parseSyslog(text: string, now = Date.now()): SyslogMessage {
  const head = RFC5424_HEAD.exec(text);
  if (head) {
    const parsed = parse5424(text, head[0].length, Number(head[1]));
    if (parsed) return parsed;
  }
  return parse3164(text, now);
}

function priority(pri: number): { facility?: number; severity?: SyslogSeverity } {
  if (!(pri >= 0 && pri <= 191)) return {};
  return { facility: pri >> 3, severity: SEVERITIES[pri & 7] };
}

function nil(token: string): string | undefined {
  return token === '-' || token === '' ? undefined : token;
}

function parse5424(text: string, start: number, pri: number): SyslogMessage | null {
  // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID: five space-separated tokens
  const tokens: string[] = [];
  let i = start;
  for (let t = 0; t < 5; t++) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) {
      if (t < 4) return null;
      tokens.push(text.slice(i));
      i = text.length;
      break;
    }
    tokens.push(text.slice(i, sp));
    i = sp + 1;
  }
  const stamp = nil(tokens[0]);
  const timestamp = stamp ? isoTimestamp(stamp) : undefined;
  if (stamp && !timestamp) return null;
  let structuredData: string | undefined;
  if (text[i] === '-') i++;
  else if (text[i] === '[') {
    const end = structuredDataEnd(text, i);
    if (end < 0) return null;
    structuredData = text.slice(i, end);
    i = end;
  }
  if (text[i] === ' ') i++;
  let message = text.slice(i);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const out: SyslogMessage = { format: 'rfc5424', ...priority(pri), message };
  if (timestamp) out.timestamp = timestamp;
  const hostname = nil(tokens[1] ?? '');
  if (hostname) out.hostname = hostname;
  const appName = nil(tokens[2] ?? '');
  if (appName) out.appName = appName;
  const procId = nil(tokens[3] ?? '');
  if (procId) out.procId = procId;
  const msgId = nil(tokens[4] ?? '');
  if (msgId) out.msgId = msgId;
  if (structuredData) out.structuredData = structuredData;
  return out;
}

/** Index after the last SD-ELEMENT starting at `i` (`[id k="v" …][…]`), or -1; quotes and `\` escapes honoured. */
function structuredDataEnd(text: string, i: number): number {
  while (text[i] === '[') {
    let quoted = false;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quoted) {
        if (c === '\\') j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === ']') break;
    }
    if (j >= text.length) return -1;
    i = j + 1;
  }
  return i;
}

function isoTimestamp(stamp: string): string | undefined {
  // JS dates keep milliseconds: RFC 5424 allows up to 6 fraction digits
  const ms = Date.parse(stamp.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function parse3164(text: string, now: number): SyslogMessage {
  let rest = text;
  const out: SyslogMessage = { format: 'unframed', message: text };
  const pri = PRI.exec(rest);
  if (pri) {
    Object.assign(out, priority(Number(pri[1])));
    rest = rest.slice(pri[0].length);
  }
  let dated = false;
  const bsd = BSD_DATE.exec(rest);
  if (bsd && MONTHS.includes(bsd[1])) {
    const frac = bsd[7] ? Number(bsd[7].padEnd(3, '0').slice(0, 3)) : 0;
    const parts = [MONTHS.indexOf(bsd[1]), Number(bsd[2]), Number(bsd[4]), Number(bsd[5]), Number(bsd[6]), frac] as const;
    const ms = bsd[3] ? Date.UTC(Number(bsd[3]), ...parts) : placeYearless(parts, now);
    if (Number.isFinite(ms)) out.timestamp = new Date(ms).toISOString();
    rest = rest.slice(bsd[0].length);
    dated = true;
  } else {
    const iso = ISO_DATE.exec(rest);
    if (iso) {
      out.timestamp = isoTimestamp(iso[1]);
      rest = rest.slice(iso[0].length);
      dated = true;
    }
  }
  if (!dated && !pri) return out;
  out.format = 'rfc3164';
  // HOSTNAME, unless the next token is already the tag (`sshd[42]:`) as in locally written lines
  const sp = rest.indexOf(' ');
  const first = sp < 0 ? rest : rest.slice(0, sp);
  if (dated && sp > 0 && !first.endsWith(':') && !first.includes('[')) {
    out.hostname = first;
    rest = rest.slice(sp + 1);
  }
  const tag = TAG.exec(rest);
  if (tag) {
    out.appName = tag[1];
    if (tag[2]) out.procId = tag[2];
    rest = rest.slice(tag[0].length);
  }
  out.message = rest;
  return out;
}

/**
 * RFC 3164 dates have no year: take the latest year that does not put the line more than a day ahead of `now`
 * (a `Dec 31` line read on 1 January is last year's; a `Jun  3` line read in December is this year's).
 */
export function placeYearless(parts: readonly [number, number, number, number, number, number], now: number): number {
  const year = new Date(now).getUTCFullYear();
  for (const y of [year + 1, year, year - 1]) {
    const ms = Date.UTC(y, ...parts);
    if (ms <= now + DAY_MS) return ms;
  }
  return Date.UTC(year - 1, ...parts);
}
