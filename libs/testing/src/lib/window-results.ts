// Window results for specs: a WindowResultDto as an agent publishes it, with every field a spec does not care about
// filled in — so a spec states only what it is about (a malformed id, a source, a time) instead of the whole record.
import type { WindowResultDto } from '@loglens/contracts';

/**
 * A scored, non-anomalous one-record window of agent `base` on source `src`, key `k`, starting 2026-01-01T00:00:00Z
 * and one minute long, analysed at its end; `overrides` replace any field. `end` defaults to a minute after `start`
 * and `id` to one built from source, key and start, so overriding `start` alone moves the whole window.
 */
export function windowResult(overrides: Partial<WindowResultDto> = {}): WindowResultDto {
  const start = overrides.start ?? '2026-01-01T00:00:00.000Z';
  const end = overrides.end ?? new Date(Date.parse(start) + 60_000).toISOString();
  const source = overrides.source ?? 'src';
  const key = overrides.key ?? 'k';
  return {
    id: `${source}-${key}-${Date.parse(start)}`,
    agent: 'base',
    source,
    key,
    start,
    end,
    recordCount: 1,
    recordIds: ['1'],
    anomalyScore: 0.1,
    isAnomaly: false,
    threshold: 0.5,
    modelVersion: null,
    topFeatures: [],
    analyzedAt: end,
    ...overrides,
  };
}
