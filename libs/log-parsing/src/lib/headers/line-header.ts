// Raw-line headers: the timestamp, host, program, pid and level a log line carries before its message. Only the
// message body goes to the template miner (a header is data about the event, not the event), and the time places
// the line in its window.
//
// Every pattern is anchored at the line start, matches a bounded header (no quantified group inside another
// quantified group, no two adjacent quantifiers over overlapping classes), and never scans the body: the body is
// what is left after the match. So the cost of a line is linear in its header, whatever the body holds.

/** What a line's header says. Fields the format does not carry are absent. */
export interface LineHeader {
  /** epoch ms (UTC unless the line names its offset), null when the header has no time */
  time: number | null;
  host?: string;
  /** program, component or logger name */
  program?: string;
  pid?: string;
  /** the level as the line writes it (`INFO`, `W`, `notice`, `err` …); see {@link normalizeLevel} */
  level?: string;
  /** the message after the header */
  body: string;
  /** the format that read it; `none` when no format fitted */
  format: string;
}

/** A line layout: an anchored header pattern and how to read its groups. */
export interface LineFormat {
  name: string;
  /** what it covers, for people */
  description: string;
  pattern: RegExp;
  read(m: RegExpExecArray, ctx: HeaderContext): Omit<LineHeader, 'body' | 'format'> | null;
}

export interface HeaderContext {
  /** "now" for stamps without a year: such a stamp is dated no more than a day ahead of it */
  now: number;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const DAY_MS = 86_400_000;

const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const HMS = String.raw`(\d\d):(\d\d):(\d\d)`;
// a syslog tag: program name, an optional `(pam_unix)`-style qualifier, an optional `[pid]`
const TAG = String.raw`([A-Za-z0-9_./-]{1,64}(?:\([\w.-]{1,32}\))?)(?:\[(\d{1,10})\])?`;
// what files on disk also hold: a tag of up to three words (`syslogd 1.4.1:`, `BezelServices 255.10[94]:`)
const WORDY_TAG = String.raw`([^\s:\[\]]{1,48}(?: [^\s:\[\]]{1,24}){0,2})(?:\[(\d{1,10})\])?`;

function fraction(s: string | undefined): number {
  return s ? Number(s.slice(0, 3).padEnd(3, '0')) : 0;
}

/** The UTC time of a yearless stamp: this year's, unless that lies more than a day ahead of `now` (then last year's). */
export function yearlessTime(now: number, month: number, day: number, h: number, mi: number, s: number, ms = 0): number {
  const year = new Date(now).getUTCFullYear();
  const t = Date.UTC(year, month, day, h, mi, s, ms);
  return t > now + DAY_MS ? Date.UTC(year - 1, month, day, h, mi, s, ms) : t;
}

function valid(t: number): number | null {
  return Number.isFinite(t) ? t : null;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return valid(Date.UTC(y, mo, d, h, mi, s, ms));
}

/** `Z`, `+02:00`, `-0500` → minutes east of UTC; absent → 0 (read as UTC). */
function offsetMinutes(z: string | undefined): number {
  if (!z || z === 'Z' || z === 'z') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function isoTime(y: string, mo: string, d: string, h: string, mi: string, s: string | undefined, frac: string | undefined, z: string | undefined): number | null {
  const t = utc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'), fraction(frac));
  return t === null ? null : t - offsetMinutes(z) * 60_000;
}

function syslogPriorityLevel(pri: string | undefined): string | undefined {
  if (pri === undefined) return undefined;
  return ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'][Number(pri) % 8];
}

function monthIndex(name: string): number {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? -1;
}

function nilless(v: string | undefined): string | undefined {
  return v === undefined || v === '-' ? undefined : v;
}

/**
 * The known layouts, most specific first. Detection tries all of them on a source's first lines and keeps the one
 * that fits most (ties go to the earlier one), so a general layout listed late never shadows a specific one.
 */
export const LINE_FORMATS: readonly LineFormat[] = [
  {
    name: 'rfc5424',
    description: 'RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`',
    pattern: new RegExp(
      String.raw`^<(\d{1,3})>1 (?:-|(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) (?:-|(?:\[[^\]]{0,2048}\]){1,16})(?: |$)(?:\uFEFF)?`,
    ),
    read: (m) => ({
      time: m[2] ? isoTime(m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9]) : null,
      host: nilless(m[10]),
      program: nilless(m[11]),
      pid: nilless(m[12]),
      level: syslogPriorityLevel(m[1]),
    }),
  },
  {
    // BGL: `- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO …`
    name: 'bgl',
    description: 'Blue Gene/L RAS: label, epoch, date, node, `yyyy-MM-dd-HH.mm.ss.SSSSSS`, node, type, component, level',
    pattern: /^(\S{1,32}) (\d{9,10}) \d{4}\.\d\d\.\d\d (\S{1,64}) (\d{4})-(\d\d)-(\d\d)-(\d\d)\.(\d\d)\.(\d\d)\.(\d{1,6}) \S{1,64} (\S{1,16}) (\S{1,32}) ([A-Z]{1,10}) /,
    read: (m) => ({ time: utc(+m[4], +m[5] - 1, +m[6], +m[7], +m[8], +m[9], fraction(m[10])), host: m[3], program: m[12], level: m[13] }),
  },
  {
    // Thunderbird: `- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: …`
    name: 'thunderbird',
    description: 'Thunderbird: label, epoch, date, user, syslog stamp, location, `component[pid]:`',
    pattern: new RegExp(String.raw`^(\S{1,32}) (\d{9,10}) \d{4}\.\d\d\.\d\d (\S{1,64}) ${MON} {1,2}(\d{1,2}) ${HMS} (\S{1,128}) ${WORDY_TAG}: ?`),
    read: (m) => ({ time: Number(m[2]) * 1000, host: m[3], program: m[9], pid: m[10] }),
  },
  {
    // HPC: `134681 node-246 unix.hw state_change.unavailable 1077804742 1 …`
    name: 'hpc',
    description: 'HPC: log id, node, component, state, epoch seconds, flag',
    pattern: /^\d{1,12} (\S{1,64}) (\S{1,64}) (\S{1,64}) (\d{9,10}) -?\d{1,3} /,
    read: (m) => ({ time: Number(m[4]) * 1000, host: m[1], program: m[2] }),
  },
  {
    // OpenStack: `nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-… - - -] …`
    name: 'openstack',
    description: 'OpenStack: log file, `yyyy-MM-dd HH:mm:ss.SSS`, pid, level, component, `[request context]`',
    pattern: /^(\S{1,128}) (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{1,10}) ([A-Z]{1,10}) (\S{1,128}) (?:\[[^\]]{0,512}\] )?/,
    read: (m) => ({ time: isoTime(m[2], m[3], m[4], m[5], m[6], m[7], m[8], undefined), pid: m[9], level: m[10], program: m[11] }),
  },
  {
    // Zookeeper: `2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - …`
    name: 'log4j-dash',
    description: 'log4j with dashes (ZooKeeper): `yyyy-MM-dd HH:mm:ss,SSS - LEVEL [thread:Class@line] - `',
    pattern: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)[,.](\d{1,6}) - ([A-Z]{1,10}) {1,3}\[([^\]]{0,256}(?:\][^\]]{0,256}){0,4})\] - /,
    read: (m) => ({ time: isoTime(m[1], m[2], m[3], m[4], m[5], m[6], m[7], undefined), level: m[8], program: m[9].slice(m[9].lastIndexOf(':') + 1) }),
  },
  {
    // Hadoop: `2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: …`
    name: 'log4j-thread',
    description: 'log4j with a thread (Hadoop): `yyyy-MM-dd HH:mm:ss,SSS LEVEL [thread] logger: `',
    pattern: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)[,.](\d{1,6}) ([A-Z]{1,10}) \[([^\]]{0,256})\] (\S{1,256}): /,
    read: (m) => ({ time: isoTime(m[1], m[2], m[3], m[4], m[5], m[6], m[7], undefined), level: m[8], program: m[10] }),
  },
  {
    // Windows CBS: `2016-09-28 04:30:30, Info                  CBS    …`
    name: 'windows-cbs',
    description: 'Windows CBS: `yyyy-MM-dd HH:mm:ss, Level  Component  `',
    pattern: /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d), ([A-Za-z]{1,16}) {1,32}(\S{1,64}) {1,32}/,
    read: (m) => ({ time: isoTime(m[1], m[2], m[3], m[4], m[5], m[6], undefined, undefined), level: m[7], program: m[8] }),
  },
  {
    // HDFS: `081109 203615 148 INFO dfs.DataNode$PacketResponder: …`
    name: 'hdfs',
    description: 'HDFS: `yyMMdd HHmmss pid LEVEL component: `',
    pattern: /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) (\d{1,10}) ([A-Z]{1,10}) (\S{1,256}): /,
    read: (m) => ({ time: utc(2000 + +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]), pid: m[7], level: m[8], program: m[9] }),
  },
  {
    // Spark: `17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: …`
    name: 'spark',
    description: 'Spark/log4j short: `yy/MM/dd HH:mm:ss LEVEL logger: `',
    pattern: /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) ([A-Z]{1,10}) (\S{1,256}): /,
    read: (m) => ({ time: utc(2000 + +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]), level: m[7], program: m[8] }),
  },
  {
    // Android logcat threadtime: `03-17 16:13:38.811  1702  2395 D WindowManager: …`
    name: 'logcat',
    description: 'Android logcat (threadtime): `MM-dd HH:mm:ss.SSS pid tid L tag: `',
    pattern: /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) {1,8}(\d{1,10}) {1,8}(\d{1,10}) ([VDIWEFA]) ([^:]{0,128}?): ?/,
    read: (m, ctx) => ({ time: yearlessTime(ctx.now, +m[1] - 1, +m[2], +m[3], +m[4], +m[5], +m[6]), pid: m[7], level: m[9], program: m[10].trim() }),
  },
  {
    // HealthApp: `20171223-22:15:29:606|Step_LSC|30002312|…`
    name: 'healthapp',
    description: 'HealthApp: `yyyyMMdd-HH:mm:ss:SSS|component|pid|`',
    pattern: /^(\d{4})(\d\d)(\d\d)-(\d{1,2}):(\d{1,2}):(\d{1,2}):(\d{1,3})\|([^|]{1,128})\|(\d{1,12})\|/,
    read: (m) => ({ time: utc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]), program: m[8], pid: m[9] }),
  },
  {
    // Apache error log: `[Sun Dec 04 04:47:44 2005] [notice] …`
    name: 'apache-error',
    description: 'Apache error log: `[Www Mmm dd HH:mm:ss yyyy] [level] `',
    pattern: new RegExp(String.raw`^\[${WDAY} ${MON} (\d\d) ${HMS}(?:\.(\d{1,6}))? (\d{4})\] \[([a-z:]{1,32})\](?: \[pid (\d{1,10})(?::[^\]]{0,64})?\])? `),
    read: (m) => ({ time: utc(+m[7], monthIndex(m[1]), +m[2], +m[3], +m[4], +m[5], fraction(m[6])), level: m[8].slice(m[8].lastIndexOf(':') + 1), pid: m[9] }),
  },
  {
    // Proxifier: `[10.30 16:49:06] chrome.exe - …` (the program may hold spaces: `chrome.exe *64 - `)
    name: 'proxifier',
    description: 'Proxifier: `[MM.dd HH:mm:ss] program - `',
    pattern: /^\[(\d\d)\.(\d\d) (\d\d):(\d\d):(\d\d)\] (\S[^[\]]{0,127}?) - /,
    read: (m, ctx) => ({ time: yearlessTime(ctx.now, +m[1] - 1, +m[2], +m[3], +m[4], +m[5]), program: m[6] }),
  },
  {
    // RFC 3164 / BSD syslog and what most files on disk hold (Linux, OpenSSH, Mac):
    // `<13>Jun 14 15:16:01 combo sshd(pam_unix)[19939]: …`, `Jul  1 09:00:55 host kernel[0]: …`, `… secd[276]:  …`
    name: 'rfc3164',
    description: 'RFC 3164 / BSD syslog: `<PRI>Mmm dd HH:mm:ss host tag[pid]: ` (PRI optional; the year is inferred)',
    pattern: new RegExp(String.raw`^(?:<(\d{1,3})>)?${MON} {1,2}(\d{1,2}) ${HMS}(?:\.(\d{1,6}))? (?:(\S{1,255}) )?${WORDY_TAG}(?: \([^)]{0,256}\))?: {0,2}`),
    read: (m, ctx) => ({
      time: yearlessTime(ctx.now, monthIndex(m[2]), +m[3], +m[4], +m[5], +m[6], fraction(m[7])),
      host: m[8],
      program: m[9],
      pid: m[10],
      level: syslogPriorityLevel(m[1]),
    }),
  },
  {
    // OpenWrt logread: `Mon Jun 14 15:16:01 2021 daemon.info hostapd: …`
    name: 'logread',
    description: 'OpenWrt logread: `Www Mmm dd HH:mm:ss yyyy facility.level tag[pid]: `',
    pattern: new RegExp(String.raw`^${WDAY} ${MON} {1,2}(\d{1,2}) ${HMS} (\d{4}) [a-z0-9]{1,16}\.([a-z]{1,8}) ${TAG}: `),
    read: (m) => ({ time: utc(+m[6], monthIndex(m[1]), +m[2], +m[3], +m[4], +m[5]), level: m[7], program: m[8], pid: m[9] }),
  },
  {
    // ISO 8601 / RFC 3339 stamp, then optional level, optional `[thread]`, optional `logger:` or `host program[pid]:`
    name: 'iso8601',
    description: 'ISO 8601 / RFC 3339 stamp, then optionally a level, a `[thread]` and a `logger:` / `host tag[pid]:`',
    pattern: new RegExp(
      String.raw`^\[?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?\]?,?(?: {1,4}(?:\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?))?(?: {1,4}\[[^\]]{0,128}\])?(?: {1,4}(?:(\S{1,255}) )?${TAG}:(?= ))? {0,4}(?:- )?`,
    ),
    read: (m) => ({ time: isoTime(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]), level: m[9], host: m[10], program: m[11], pid: m[12] }),
  },
  {
    // epoch seconds or milliseconds first, with an optional fraction: `1539711583.521358: …`, `1700000000123 …`
    name: 'epoch',
    description: 'epoch seconds (10 digits, optional fraction) or milliseconds (13 digits) first',
    pattern: /^(\d{10}|\d{13})(?:\.(\d{1,9}))?:? /,
    read: (m) => ({ time: m[1].length === 13 ? Number(m[1]) : Number(m[1]) * 1000 + fraction(m[2]) }),
  },
];

const BY_NAME = new Map(LINE_FORMATS.map((f) => [f.name, f]));

/** Reads a line with one format; null when it does not fit. */
export function readHeader(line: string, format: LineFormat, ctx: HeaderContext): LineHeader | null {
  const m = format.pattern.exec(line);
  if (!m) return null;
  const read = format.read(m, ctx);
  if (!read || (read.time !== null && !Number.isFinite(read.time))) return null;
  const header: LineHeader = { time: read.time, body: line.slice(m[0].length), format: format.name };
  if (read.host) header.host = read.host;
  if (read.program) header.program = read.program;
  if (read.pid) header.pid = read.pid;
  if (read.level) header.level = read.level;
  return header;
}

/** The header of a line under the first format (in {@link LINE_FORMATS} order) that fits, or none. */
export function parseHeader(line: string, ctx: HeaderContext = { now: Date.now() }): LineHeader {
  for (const f of LINE_FORMATS) {
    const h = readHeader(line, f, ctx);
    if (h) return h;
  }
  return { time: null, body: line, format: 'none' };
}

/** Levels as the featurizers count them: `error`, `warning`, `info`, `debug`, or undefined when unknown. */
export function normalizeLevel(level: string | undefined): 'error' | 'warning' | 'info' | 'debug' | undefined {
  if (!level) return undefined;
  switch (level.toLowerCase()) {
    case 'e':
    case 'f':
    case 'a':
    case 'error':
    case 'err':
    case 'fatal':
    case 'severe':
    case 'crit':
    case 'critical':
    case 'alert':
    case 'emerg':
    case 'failure':
    case 'panic':
      return 'error';
    case 'w':
    case 'warn':
    case 'warning':
      return 'warning';
    case 'i':
    case 'info':
    case 'notice':
      return 'info';
    case 'd':
    case 'v':
    case 'debug':
    case 'trace':
    case 'verbose':
      return 'debug';
    default:
      return undefined;
  }
}

export interface HeaderDetectorState {
  /** the format this source's lines were found to have, or null while undecided / none fitted */
  format: string | null;
  /** lines seen while deciding */
  sampled: number;
}

export interface HeaderDetectorOptions {
  /** lines looked at before the format is fixed */
  sampleLines?: number;
  /** consecutive lines the fixed format does not fit before detection starts over (the source changed) */
  redetectAfter?: number;
  now?: () => number;
}

/**
 * One source's header reader: the format is learned from the source's first lines (the one that fits most of them)
 * and kept, so a stream does not guess per line. A line the format does not fit is still analysed, with no header;
 * after `redetectAfter` such lines in a row the source is assumed to have changed and detection starts over.
 */
export class HeaderDetector {
  private format: LineFormat | null = null;
  private decided = false;
  private readonly sample: string[] = [];
  private misses = 0;
  private readonly sampleLines: number;
  private readonly redetectAfter: number;
  private readonly now: () => number;

  constructor(state?: HeaderDetectorState | null, options: HeaderDetectorOptions = {}) {
    this.sampleLines = options.sampleLines ?? 20;
    this.redetectAfter = options.redetectAfter ?? 200;
    this.now = options.now ?? Date.now;
    if (state && state.format !== null) {
      this.format = BY_NAME.get(state.format) ?? null;
      this.decided = this.format !== null || state.format === 'none';
    }
  }

  /** The header of one line of this source. */
  read(line: string): LineHeader {
    const ctx = { now: this.now() };
    if (!this.decided) {
      this.sample.push(line.length > 4096 ? line.slice(0, 4096) : line);
      if (this.sample.length >= this.sampleLines) this.decide(ctx);
      // until decided, each line gets the best reading on its own
      if (!this.decided) return parseHeader(line, ctx);
    }
    if (!this.format) return { time: null, body: line, format: 'none' };
    const h = readHeader(line, this.format, ctx);
    if (h) {
      this.misses = 0;
      return h;
    }
    if (++this.misses >= this.redetectAfter) {
      this.decided = false;
      this.format = null;
      this.sample.length = 0;
      this.misses = 0;
    }
    return parseHeader(line, ctx);
  }

  /** Fixes the format now from what was sampled (end of a request with fewer lines than the sample). */
  settle(): void {
    if (!this.decided && this.sample.length > 0) this.decide({ now: this.now() });
  }

  toJSON(): HeaderDetectorState {
    return { format: this.decided ? (this.format?.name ?? 'none') : null, sampled: this.sample.length };
  }

  private decide(ctx: HeaderContext): void {
    let best: LineFormat | null = null;
    let bestHits = 0;
    for (const f of LINE_FORMATS) {
      let hits = 0;
      for (const line of this.sample) if (readHeader(line, f, ctx)) hits++;
      if (hits > bestHits) {
        best = f;
        bestHits = hits;
      }
    }
    // a format must fit at least half of the sample to be the source's
    this.format = bestHits * 2 >= this.sample.length ? best : null;
    this.decided = true;
    this.sample.length = 0;
  }
}
