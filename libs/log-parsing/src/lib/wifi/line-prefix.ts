import { WifiLevel } from './wifi-event';

/** What a line's prefix says before the program's own message. */
export interface LinePrefix {
  /** Epoch ms (UTC), null when there is no time. */
  time: number | null;
  /** the time came from a syslog stamp without a year: `year` was assumed (the caller may place it better) */
  yearless?: boolean;
  host?: string;
  program?: string;
  level?: WifiLevel;
  body: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PROGRAM = String.raw`([A-Za-z][\w./-]*)(?:\[\d+\])?:\s`;

// hostapd / wpa_supplicant -t: `1539711583.521358: <message>`
const EPOCH = /^(\d{9,11})\.(\d{1,9}):\s(.*)$/s;
// RFC 3164 syslog (also what busybox and most forwarders write): `<30>Jun 14 15:16:01 ap-1 hostapd[42]: …`
const RFC3164 = new RegExp(
  String.raw`^(?:<(\d{1,3})>)?([A-Z][a-z]{2})\s+(\d{1,2})\s(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\s(\S+)\s${PROGRAM}(.*)$`,
  's',
);
// OpenWrt logread: `Mon Jun 14 15:16:01 2021 daemon.info hostapd: …` (no host; facility.level instead)
const OPENWRT = new RegExp(
  String.raw`^[A-Z][a-z]{2}\s([A-Z][a-z]{2})\s+(\d{1,2})\s(\d\d):(\d\d):(\d\d)\s(\d{4})\s([a-z0-9]+)\.([a-z]+)\s${PROGRAM}(.*)$`,
  's',
);
// RFC 5424 / ISO-stamped syslog: `<165>1 2024-03-01T10:00:00.123Z ap-1 hostapd[42]: …` or without the priority
const ISO = new RegExp(
  String.raw`^(?:<(\d{1,3})>(?:1\s)?)?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s(\S+)\s${PROGRAM}(.*)$`,
  's',
);

/**
 * Splits the time/host/program prefix off a line: hostapd `-t` epoch, RFC 3164 syslog, OpenWrt logread, RFC 5424/ISO
 * syslog, or none (plain stdout). Syslog times lack a year; `year` supplies it and the time is read as UTC.
 */
export function parseLinePrefix(line: string, year: number): LinePrefix {
  let m = EPOCH.exec(line);
  if (m) {
    const frac = m[2].padEnd(3, '0').slice(0, 3);
    return { time: Number(m[1]) * 1000 + Number(frac), body: m[3] };
  }
  m = RFC3164.exec(line);
  if (m && MONTHS.includes(m[2])) {
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    const time = Date.UTC(year, MONTHS.indexOf(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
    return { time, yearless: true, host: m[8], program: m[9], level: priorityLevel(m[1]), body: m[10] };
  }
  m = OPENWRT.exec(line);
  if (m && MONTHS.includes(m[1])) {
    const time = Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    return { time, program: m[9], level: severityNameLevel(m[8]), body: m[10] };
  }
  m = ISO.exec(line);
  if (m) {
    const iso = m[2].replace(' ', 'T').replace(',', '.');
    const time = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
    if (Number.isFinite(time)) return { time, host: m[3], program: m[4], level: priorityLevel(m[1]), body: m[5] };
  }
  return { time: null, body: line };
}

/** Syslog severity (0 emerg … 7 debug) as a level. */
export function severityLevel(severity: number): WifiLevel {
  if (severity <= 3) return 'error';
  if (severity === 4) return 'warning';
  if (severity <= 6) return 'info';
  return 'debug';
}

function priorityLevel(pri: string | undefined): WifiLevel | undefined {
  return pri === undefined ? undefined : severityLevel(Number(pri) % 8);
}

function severityNameLevel(name: string): WifiLevel | undefined {
  const severities: Record<string, number> = {
    emerg: 0,
    alert: 1,
    crit: 2,
    err: 3,
    error: 3,
    warn: 4,
    warning: 4,
    notice: 5,
    info: 6,
    debug: 7,
  };
  return Object.hasOwn(severities, name) ? severityLevel(severities[name]) : undefined;
}
