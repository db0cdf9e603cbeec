import { LruMap } from '../lru-map';
import { maskVariables } from '../masking';
import { TemplateMiner } from '../template-miner';
import { parseCiscoWlcLine } from './cisco-wlc';
import { parseDhcpMessage } from './dhcp-messages';
import { parseHostapdMessage } from './hostapd-messages';
import { parseControlEvent, parseDaemonLine } from './hostapd-vocabulary';
import { parseLinePrefix } from './line-prefix';
import { ParsedWifiMessage, splitInterface } from './parsed-message';
import { reasonMeaning } from './reason-codes';
import { parseTelemetryRecord } from './telemetry-record';
import { MAC_PATTERN, WifiEvent, WifiLevel, WifiSource, normalizeMac } from './wifi-event';
import { parseWpaSupplicantMessage } from './wpa-supplicant-messages';

export interface WifiLogParserOptions {
  /**
   * Year for syslog times, which carry none. Default: the year that puts the time nearest the last fully dated time
   * this parser saw (epoch, ISO or OpenWrt stamps, telemetry records) or, before any, nearest now — so an old capture
   * with dated telemetry keeps its year, and a `Dec 31` line read on January 1st lands in the old year.
   */
  year?: number;
  /** the clock for that default before any dated line (tests) */
  now?: () => number;
  /** Miner for lines no rule recognises; share one to keep template ids stable across parsers. */
  miner?: TemplateMiner;
  /**
   * A station associating with another AP within this long after leaving one (or while still associated to it)
   * has roamed. Default 15 s: break-before-make clients leave a few seconds between the two.
   */
  roamWindowMs?: number;
  /** Stations and client interfaces remembered for roam detection; the oldest are forgotten beyond this. */
  maxTracked?: number;
}

interface Presence {
  ap: string;
  connected: boolean;
  since: number | null;
}

const HOSTAPD_PROGRAMS = /^hostapd/;
const WPA_PROGRAMS = /^wpa_supplicant/;
const DHCP_PROGRAMS = /^(?:dnsmasq|udhcpc|dhclient|odhcpd)/;
const ERROR_TEXT = /\b(?:fail(?:ed|ure|s)?|error|could not|couldn't|unable|invalid|refused|denied)\b/i;
const WARNING_TEXT = /\b(?:timeout|timed out|retry|retrying|warning|lost)\b/i;
const STATION_IN_TEXT = new RegExp(`\\b(?:STA|Station|sta|client)[= ]+(${MAC_PATTERN})`);

/**
 * Turns WiFi log lines of any supported dialect into {@link WifiEvent}s: hostapd (plain, `-t` epoch, syslog or
 * OpenWrt prefix), wpa_supplicant, dnsmasq/udhcpc/dhclient DHCP, Cisco AireOS/9800 syslog and JSON telemetry records.
 * Stateful only where a single line cannot say enough: the BSSID an interface announced, a client's current AP
 * and each station's last AP (roams). Lines no rule knows become `other` events with their mined template.
 */
export class WifiLogParser {
  readonly miner: TemplateMiner;
  private readonly year: number | null;
  private readonly now: () => number;
  /** the last time read with its year (the reference for yearless syslog times) */
  private lastDated: number | null = null;
  private readonly roamWindowMs: number;
  private readonly maxTracked: number;
  // every per-key table is capped at maxTracked, least recently used forgotten first (see evictions())
  private readonly bssidOfInterface: LruMap<string, string>;
  private readonly apOfBssid: LruMap<string, string>;
  private readonly stations: LruMap<string, Presence>;
  private readonly clients: LruMap<string, Presence>;
  private readonly interfaceOfHost: LruMap<string, string>;
  // a recognised line's template is its rule's message with values masked; masking costs ~20 regex passes, so it is
  // done once per rule and interface rather than per line
  private readonly templateOfRule = new LruMap<string, string>(10_000);

  constructor(opts: WifiLogParserOptions = {}) {
    this.year = opts.year ?? null;
    this.now = opts.now ?? Date.now;
    this.miner = opts.miner ?? new TemplateMiner();
    this.roamWindowMs = opts.roamWindowMs ?? 15_000;
    this.maxTracked = opts.maxTracked ?? 100_000;
    this.bssidOfInterface = new LruMap(this.maxTracked);
    this.apOfBssid = new LruMap(this.maxTracked);
    this.stations = new LruMap(this.maxTracked);
    this.clients = new LruMap(this.maxTracked);
    this.interfaceOfHost = new LruMap(this.maxTracked);
  }

  /** The year a yearless stamp is first read in (then moved by `dated`): the configured one, or the reference's. */
  private assumedYear(): number {
    return this.year ?? new Date(this.lastDated ?? this.now()).getUTCFullYear();
  }

  /**
   * A line's time, in the right year: a dated time becomes the reference; a yearless one (unless a year was
   * configured) moves to whichever of the reference's year, the one before or the one after puts it nearest.
   */
  private dated(time: number | null, yearless: boolean | undefined): number | null {
    if (time === null || !Number.isFinite(time)) return time;
    if (!yearless) {
      this.lastDated = time;
      return time;
    }
    if (this.year !== null) return time;
    const reference = this.lastDated ?? this.now();
    const d = new Date(time);
    const year = d.getUTCFullYear();
    let best = time;
    for (const candidate of [year - 1, year + 1]) {
      d.setTime(time);
      d.setUTCFullYear(candidate);
      if (Math.abs(d.getTime() - reference) < Math.abs(best - reference)) best = d.getTime();
    }
    return best;
  }

  /** Parses one line (a JSON object line is read as a telemetry record). Never throws, never drops a line. */
  parse(line: string): WifiEvent {
    const raw = line.replace(/\r?\n$/, '');
    const trimmed = raw.trim();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      const record = tryJson(trimmed);
      if (record) return this.parseRecord(record, raw);
    }
    const cisco = parseCiscoWlcLine(raw, this.assumedYear());
    if (cisco) {
      const message = `%${cisco.mnemonic}: ${cisco.body}`;
      const time = this.dated(cisco.time, cisco.yearless);
      if (cisco.type === 'other') return this.other(raw, message, 'cisco-wlc', time, cisco.host, cisco.level, cisco);
      return this.finish(cisco, { raw, message, source: 'cisco-wlc', time, host: cisco.host, ap: cisco.ap });
    }
    const parsedPrefix = parseLinePrefix(raw, this.assumedYear());
    const prefix = { ...parsedPrefix, time: this.dated(parsedPrefix.time, parsedPrefix.yearless) };
    const { iface, text } = splitInterface(prefix.body);
    const program = prefix.program ?? '';
    const attempts: Array<[WifiSource, (t: string) => ParsedWifiMessage | null]> = HOSTAPD_PROGRAMS.test(program)
      ? [['hostapd', parseHostapdMessage]]
      : WPA_PROGRAMS.test(program)
        ? [['wpa_supplicant', parseWpaSupplicantMessage]]
        : DHCP_PROGRAMS.test(program)
          ? [['dhcp', parseDhcpMessage]]
          : [
              ['hostapd', parseHostapdMessage],
              ['wpa_supplicant', parseWpaSupplicantMessage],
              ['dhcp', parseDhcpMessage],
            ];
    for (const [source, parseMessage] of attempts) {
      const parsed = parseMessage(text);
      if (!parsed) continue;
      if (parsed.type === 'other') {
        return this.other(raw, prefix.body, source, prefix.time, prefix.host, prefix.level, { ...parsed, interface: iface });
      }
      return this.finish(
        { ...parsed, interface: parsed.interface ?? iface, level: prefix.level ?? parsed.level },
        { raw, message: prefix.body, source, time: prefix.time, host: prefix.host },
      );
    }
    const source: WifiSource = HOSTAPD_PROGRAMS.test(program)
      ? 'hostapd'
      : WPA_PROGRAMS.test(program)
        ? 'wpa_supplicant'
        : DHCP_PROGRAMS.test(program)
          ? 'dhcp'
          : 'unknown';
    // the rest of the hostapd / wpa_supplicant vocabulary: wpa_ctrl.h events and wpa_printf subsystems
    if (source !== 'dhcp') {
      const side = source === 'wpa_supplicant' ? 'wpa' : 'hostapd';
      const known = parseControlEvent(text, side) ?? parseDaemonLine(text, side);
      if (known) {
        // without a program name, client-side events (they name a BSSID, or scan and signal) are wpa_supplicant's
        const guessed: WifiSource =
          source !== 'unknown' ? source : known.bssid || known.type === 'scan' || known.type === 'signal' ? 'wpa_supplicant' : 'hostapd';
        return this.finish(
          { ...known, interface: known.interface ?? iface, level: prefix.level ?? known.level },
          { raw, message: prefix.body, source: guessed, time: prefix.time, host: prefix.host },
        );
      }
    }
    return this.other(raw, prefix.body, source, prefix.time, prefix.host, prefix.level, { interface: iface });
  }

  /** Reads a structured telemetry record; one without radio/link figures becomes an `other` event. */
  parseRecord(record: Readonly<Record<string, unknown>>, raw = JSON.stringify(record)): WifiEvent {
    const reading = parseTelemetryRecord(record);
    if (reading) this.dated(reading.time, false);
    if (!reading) {
      const keys = Object.keys(record).sort().join(' ');
      return this.other(raw, `{${keys}}`, 'telemetry', null, undefined, undefined, {});
    }
    return {
      time: reading.time,
      source: 'telemetry',
      type: 'telemetry',
      meaning: 'lifecycle',
      level: 'info',
      ...defined({
        ap: reading.ap ?? (reading.bssid === undefined ? undefined : (this.apOfBssid.get(reading.bssid) ?? reading.bssid)),
        bssid: reading.bssid,
        station: reading.station,
        interface: reading.interface,
        ssid: reading.ssid,
      }),
      signal: reading.signal,
      templateId: 'telemetry.record',
      template: 'telemetry record',
      message: raw,
      raw,
    };
  }

  private finish(
    parsed: ParsedWifiMessage,
    ctx: { raw: string; message: string; source: WifiSource; time: number | null; host?: string; ap?: string },
  ): WifiEvent {
    const hostIface = parsed.interface ? `${ctx.host ?? 'local'}/${parsed.interface}` : undefined;
    if (parsed.type === 'config' && parsed.bssid && hostIface) {
      this.bssidOfInterface.set(hostIface, parsed.bssid);
      // clients and telemetry name the AP by BSSID; mapping it to the AP's own name puts both views in one window
      this.apOfBssid.set(parsed.bssid, ctx.host ? hostIface : parsed.interface ?? hostIface);
    }
    let ap = ctx.ap;
    let bssid = parsed.bssid;
    let roamFrom: string | undefined;
    if (ctx.source === 'hostapd') {
      // hostapd's start-up lines (`Configuration file: …`) name no interface: they belong to the host's radio
      if (parsed.interface && ctx.host) this.interfaceOfHost.set(ctx.host, parsed.interface);
      const iface = parsed.interface ?? (ctx.host ? this.interfaceOfHost.get(ctx.host) : undefined);
      ap = iface ? (ctx.host ? `${ctx.host}/${iface}` : iface) : ctx.host;
      bssid ??= hostIface ? this.bssidOfInterface.get(hostIface) : undefined;
    }
    if (ctx.source === 'wpa_supplicant' && hostIface) {
      const client = this.clients.get(hostIface);
      bssid ??= client?.connected ? client.ap : undefined;
      ap = bssid === undefined ? undefined : (this.apOfBssid.get(bssid) ?? bssid);
      const left = this.trackClient(hostIface, parsed, bssid, ctx.time);
      roamFrom = left === undefined ? undefined : (this.apOfBssid.get(left) ?? left);
    }
    // a DHCP server (or a controller line without an AP name) does not say which AP the station is on; where it
    // is associated now does, so per-AP windows see their stations' DHCP trouble
    if (!ap && parsed.station) {
      const at = this.stations.get(parsed.station);
      if (at?.connected) ap = at.ap;
    } else if (parsed.station && ap && ctx.source !== 'wpa_supplicant') {
      roamFrom = this.trackStation(parsed.station, ap, parsed, ctx.time);
    }
    const level: WifiLevel =
      parsed.level ?? (parsed.outcome === 'failure' || parsed.outcome === 'timeout' ? 'warning' : 'info');
    const meaning = parsed.meaning ?? (parsed.outcome === 'failure' || parsed.outcome === 'timeout' ? 'failure' : 'lifecycle');
    return {
      time: ctx.time,
      source: ctx.source,
      type: parsed.type,
      meaning,
      level,
      ...defined({
        outcome: parsed.outcome,
        host: ctx.host,
        ap,
        bssid,
        ssid: parsed.ssid,
        interface: parsed.interface,
        station: parsed.station,
        reasonCode: parsed.reasonCode,
        reason: reasonMeaning(parsed.reasonCode),
        statusCode: parsed.statusCode,
        detail: parsed.detail,
        state: parsed.state,
        roamFrom,
        signal: parsed.signal,
      }),
      templateId: parsed.key,
      template: this.ruleTemplate(parsed, ctx.message),
      message: ctx.message,
      raw: ctx.raw,
    };
  }

  private other(
    raw: string,
    message: string,
    source: WifiSource,
    time: number | null,
    host: string | undefined,
    prefixLevel: WifiLevel | undefined,
    known: Partial<ParsedWifiMessage>,
  ): WifiEvent {
    const mined = this.miner.add(message);
    const level: WifiLevel =
      prefixLevel ?? known.level ?? (ERROR_TEXT.test(message) ? 'error' : WARNING_TEXT.test(message) ? 'warning' : 'info');
    const iface = known.interface;
    const station = known.station ?? normalizeMac(STATION_IN_TEXT.exec(message)?.[1]);
    const ap = known.ap ?? (iface ? (host ? `${host}/${iface}` : iface) : host);
    return {
      time,
      source,
      type: 'other',
      meaning: 'unknown',
      level,
      ...defined({ host, ap, interface: iface, station, detail: known.detail, reasonCode: known.reasonCode }),
      templateId: mined.templateId,
      template: mined.template,
      message,
      raw,
    };
  }

  private ruleTemplate(parsed: ParsedWifiMessage, message: string): string {
    const cacheKey = `${parsed.key}\u0000${parsed.interface ?? ''}`;
    let template = this.templateOfRule.get(cacheKey);
    if (template === undefined) {
      template = maskVariables(message);
      this.templateOfRule.set(cacheKey, template);
    }
    return template;
  }

  /** Updates where a station is; returns the AP it roamed from when this association is the second half of a roam. */
  private trackStation(station: string, ap: string, parsed: ParsedWifiMessage, time: number | null): string | undefined {
    const arriving =
      (parsed.type === 'assoc' && parsed.outcome === 'success') || (parsed.type === 'connected' && parsed.outcome === 'success');
    const leaving = parsed.type === 'deauth' || parsed.type === 'disassoc' || parsed.type === 'disconnected';
    const prev = this.stations.get(station);
    if (arriving) {
      const roamed = prev !== undefined && prev.ap !== ap && (prev.connected || this.recent(prev.since, time));
      // the AP-STA-CONNECTED that follows the association is the same arrival, not a second roam
      if (!(prev && prev.ap === ap && prev.connected)) this.remember(this.stations, station, { ap, connected: true, since: time });
      return roamed ? prev.ap : undefined;
    }
    if (leaving && prev && prev.ap === ap && prev.connected) this.remember(this.stations, station, { ap, connected: false, since: time });
    return undefined;
  }

  private trackClient(
    hostIface: string,
    parsed: ParsedWifiMessage,
    bssid: string | undefined,
    time: number | null,
  ): string | undefined {
    const prev = this.clients.get(hostIface);
    if (parsed.type === 'connected' && bssid) {
      const roamed = prev !== undefined && prev.ap !== bssid && (prev.connected || this.recent(prev.since, time));
      this.remember(this.clients, hostIface, { ap: bssid, connected: true, since: time });
      return roamed ? prev.ap : undefined;
    }
    if (parsed.type === 'disconnected' && prev) this.remember(this.clients, hostIface, { ...prev, connected: false, since: time });
    return undefined;
  }

  private recent(since: number | null, now: number | null): boolean {
    return since !== null && now !== null && now - since <= this.roamWindowMs;
  }

  private remember(map: LruMap<string, Presence>, key: string, value: Presence): void {
    map.set(key, value);
  }

  /** Entries each per-key table dropped to stay within maxTracked, and how many it holds now. */
  stateSize(): { tracked: number; evictions: number } {
    const tables = [this.bssidOfInterface, this.apOfBssid, this.stations, this.clients, this.interfaceOfHost, this.templateOfRule];
    return { tracked: tables.reduce((n, t) => n + t.size, 0), evictions: tables.reduce((n, t) => n + t.evictions, 0) };
  }
}

function tryJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
