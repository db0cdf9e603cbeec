import type { WindowResultDto } from '@loglens/contracts';
import {
  SOURCE_NAME,
  emptyResultsText,
  isoToLocal,
  localToIso,
  matchesFilters,
  resultsQueryParams,
  sourcesOf,
} from './results-filters';

function result(extra: Partial<WindowResultDto> = {}): WindowResultDto {
  return {
    id: 'x',
    agent: 'wifi',
    source: 'site1',
    key: 'ap-x',
    start: '2024-06-03T03:00:00Z',
    end: '2024-06-03T03:05:00Z',
    recordCount: 5,
    recordIds: ['11'],
    anomalyScore: 0.9,
    isAnomaly: true,
    threshold: 0.5,
    modelVersion: 'wifi-anomaly@1',
    topFeatures: [],
    analyzedAt: '2024-06-03T03:05:02Z',
    ...extra,
  };
}

describe('results filters', () => {
  it('round-trips datetime-local values and ISO times', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('2024-06-03T03:00')).toBe(new Date('2024-06-03T03:00').toISOString());
    expect(isoToLocal(new Date('2024-06-03T03:00').toISOString())).toBe('2024-06-03T03:00');
    expect(isoToLocal('nonsense')).toBe('');
    expect(isoToLocal(undefined)).toBe('');
  });

  it('matches a live anomaly against source, agent and time range', () => {
    const w = result();
    expect(matchesFilters(w, {})).toBe(true);
    expect(matchesFilters(w, { source: 'site1', agent: 'wifi' })).toBe(true);
    expect(matchesFilters(w, { source: 'site2' })).toBe(false);
    expect(matchesFilters(w, { agent: 'base' })).toBe(false);
    expect(matchesFilters(w, { from: '2024-06-03T04:00:00Z' })).toBe(false);
    expect(matchesFilters(w, { to: '2024-06-03T02:00:00Z' })).toBe(false);
  });

  it('takes letters, digits, _ and - as a source name', () => {
    expect(SOURCE_NAME.test('site_1-a')).toBe(true);
    expect(SOURCE_NAME.test('site 1')).toBe(false);
    expect(SOURCE_NAME.test('')).toBe(false);
  });

  it('says whether the filters or the store are why the table is empty', () => {
    expect(emptyResultsText({ limit: 100 })).toContain('No stored results yet');
    expect(emptyResultsText({ anomalous: true, limit: 100 })).toBe('No stored windows match these filters.');
  });

  it('keeps the filters but not the limit in the address', () => {
    expect(resultsQueryParams({ source: 'site1', anomalous: true, limit: 500 })).toEqual({
      source: 'site1',
      agent: null,
      anomalous: 'true',
      from: null,
      to: null,
    });
  });

  it('offers each stored source once, sorted', () => {
    expect(sourcesOf([{ source: 'b' }, { source: 'a' }, { source: 'b' }])).toEqual(['a', 'b']);
  });
});
