import type { WindowResultDto } from '@loglens/contracts';
import {
  type WindowView,
  byTime,
  featureText,
  formatRange,
  fromAnalyzeWindow,
  fromStoredWindow,
  predictionOf,
  sortWindows,
} from './windows';

type W = Pick<WindowView, 'isAnomaly' | 'anomalyScore'> & { id: string };
const w = (id: string, isAnomaly: boolean, anomalyScore: number | null): W => ({ id, isAnomaly, anomalyScore });

describe('sortWindows', () => {
  const windows = [w('n1', false, 0.1), w('a1', true, 0.7), w('n2', false, 0.3), w('a2', true, 0.9), w('a3', true, null)];

  it('puts anomalous windows first, highest score first, and keeps the normal ones in their order', () => {
    expect(sortWindows(windows, true).map((x) => x.id)).toEqual(['a2', 'a1', 'a3', 'n1', 'n2']);
  });

  it('keeps the given order when the toggle is off, and never changes its input', () => {
    const before = windows.map((x) => x.id);
    expect(sortWindows(windows, false).map((x) => x.id)).toEqual(before);
    sortWindows(windows, true);
    expect(windows.map((x) => x.id)).toEqual(before);
  });
});

describe('byTime', () => {
  it('orders by start, then by key', () => {
    const a = { start: '2024-06-03T03:05:00Z', key: 'ap-1' };
    const b = { start: '2024-06-03T03:00:00Z', key: 'ap-2' };
    const c = { start: '2024-06-03T03:00:00Z', key: 'ap-1' };
    expect([a, b, c].sort(byTime)).toEqual([c, b, a]);
  });
});

describe('predictionOf', () => {
  it('tells anomalous, normal and unscored windows apart', () => {
    expect(predictionOf(w('x', true, 0.9))).toBe('anomalous');
    expect(predictionOf(w('x', false, 0.1))).toBe('normal');
    expect(predictionOf(w('x', false, null))).toBe('not scored');
  });
});

describe('formatRange', () => {
  it('shows the end’s date only when it differs from the start’s (local time)', () => {
    const start = new Date(2024, 5, 3, 3, 0, 0).toISOString();
    const end = new Date(2024, 5, 3, 3, 5, 9).toISOString();
    const nextDay = new Date(2024, 5, 4, 0, 0, 1).toISOString();
    expect(formatRange(start, end)).toBe('2024-06-03 03:00:00 – 03:05:09');
    expect(formatRange(start, nextDay)).toBe('2024-06-03 03:00:00 – 2024-06-04 00:00:01');
    expect(formatRange('bad', end)).toContain('bad');
  });
});

describe('featureText', () => {
  it('says the attribution: the value, the reference where there is one, and the signed contribution', () => {
    expect(featureText({ name: 'E5', value: 12, reference: null, contribution: 2.5123, template: 'Receiving block <*>' })).toBe('E5 "Receiving block <*>" = 12 (+2.512)');
    expect(featureText({ name: 'errors', value: 10, reference: 1, contribution: -0.25 })).toBe('errors = 10 (reference 1, −0.25)');
  });

  it('says the value, the training baseline and how far off it is', () => {
    expect(featureText({ name: 'deauth_rate', value: 42, baseline: 0.5, deviation: 8.123 })).toBe(
      'deauth_rate = 42 (usual 0.5, deviation 8.1)',
    );
    expect(featureText({ name: 'x', value: 1, baseline: null, deviation: 0 })).toBe('x = 1 (deviation 0)');
  });

  it('shows the agent’s note when the feature never varied in training', () => {
    expect(featureText({ name: 'other_events', value: 3, baseline: 0, deviation: 3, note: 'new: never seen in training (deviation = the count)' })).toBe(
      'other_events = 3 (usual 0, new: never seen in training (deviation = the count))',
    );
  });
});

describe('window views', () => {
  it('maps an analyze window (counting its records) and a stored one to the same shape', () => {
    const analyzed = fromAnalyzeWindow(
      {
        id: 'w1',
        key: 'ap-2f-a',
        start: '2024-06-03T03:00:00Z',
        end: '2024-06-03T03:05:00Z',
        recordIndexes: [0, 4, 9],
        anomalyScore: 0.8,
        isAnomaly: true,
        threshold: 0.5,
        modelVersion: 'wifi-anomaly@1',
        topFeatures: [],
      },
      'wifi',
      'site1',
    );
    expect(analyzed).toMatchObject({ recordCount: 3, agent: 'wifi', source: 'site1', receivedAt: null });

    const stored: WindowResultDto = {
      id: 'w2',
      agent: 'base',
      source: 'hdfs',
      key: 'blk_1',
      start: '2024-06-03T03:00:00Z',
      end: '2024-06-03T03:05:00Z',
      recordCount: 2,
      recordIds: ['7', '8'],
      anomalyScore: null,
      isAnomaly: false,
      threshold: null,
      modelVersion: null,
      topFeatures: [],
      analyzedAt: '2024-06-03T03:06:00Z',
    };
    expect(fromStoredWindow(stored, '2026-11-26T08:00:00Z')).toMatchObject({
      recordCount: 2,
      agent: 'base',
      source: 'hdfs',
      receivedAt: '2026-11-26T08:00:00Z',
    });
  });
});
