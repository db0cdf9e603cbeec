import { logSubject, subjectToken } from '@loglens/contracts';
import type { IngestRecord } from './record';

export type AgentKindInput = IngestRecord['agent'];

/**
 * Which records go to the WiFi agent (`logs.wifi.<site>`) rather than the base one (`logs.generic.<source>`).
 * A sender may ask explicitly (`?agent=wifi`, OTLP resource attribute `loglens.agent`); otherwise these rules decide.
 */
export interface InputRouting {
  /** syslog APP-NAME / OTLP `service.name` values whose lines are WiFi logs (default hostapd, wpa_supplicant) */
  wifiPrograms: ReadonlySet<string>;
  /** source-name patterns (`*` wildcard) routed to the WiFi agent, e.g. `ap-*` */
  wifiSources: readonly RegExp[];
}

export const DEFAULT_WIFI_PROGRAMS = 'hostapd,wpa_supplicant';

/** Parses the comma-separated lists of the INGEST_WIFI_PROGRAMS / INGEST_WIFI_SOURCES variables. */
export function parseRouting(wifiPrograms = DEFAULT_WIFI_PROGRAMS, wifiSources = ''): InputRouting {
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    wifiPrograms: new Set(list(wifiPrograms).map((p) => p.toLowerCase())),
    wifiSources: list(wifiSources).map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i')),
  };
}

/** A sender-given name as a subject token (letters, digits, `_`, `-`; at most 64): the agents' source name. */
export function sourceToken(name: string | undefined | null, fallback: string): string {
  const trimmed = (name ?? '').trim();
  return trimmed ? subjectToken(trimmed) : subjectToken(fallback);
}

export function chooseAgent(routing: InputRouting, source: string, program: string | undefined, requested?: AgentKindInput): AgentKindInput {
  if (requested) return requested;
  if (program && routing.wifiPrograms.has(program.toLowerCase())) return 'wifi';
  return routing.wifiSources.some((re) => re.test(source)) ? 'wifi' : 'base';
}

/** The LOGS stream subject a record is published on (with its source's partition when LOGLENS_LOG_PARTITIONS > 1). */
export function subjectOf(record: Pick<IngestRecord, 'agent' | 'source'>): string {
  return logSubject(record.agent === 'wifi' ? 'wifi' : 'base', record.source);
}
