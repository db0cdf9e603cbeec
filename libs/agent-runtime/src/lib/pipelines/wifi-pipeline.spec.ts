import { WIFI_FEATURE_SCHEMA, WIFI_FEATURE_SCHEMA_V1 } from '@loglens/features';
import { WifiPipeline } from './wifi-pipeline';

const T0 = Date.UTC(2024, 8, 4, 8);
const line = (s: number, text: string) => `${((T0 + s * 1000) / 1000).toFixed(6)}: wlan0: ${text}`;

describe('WifiPipeline feature columns', () => {
  it('serves the current schema by default and a v1 model its own 38 columns', () => {
    const lines = [line(1, 'AP-STA-CONNECTED 02:00:00:00:00:01'), line(2, 'vendor_ie: refreshed 3 elements'), line(3, 'vendor_ie: refreshed 4 elements')];
    const current = new WifiPipeline();
    const v1Names = WIFI_FEATURE_SCHEMA_V1.features.map((f) => f.name);
    const v1 = new WifiPipeline(undefined, { featureNames: v1Names });
    lines.forEach((l, i) => {
      current.add(i, { message: l, time: null, source: 's' });
      v1.add(i, { message: l, time: null, source: 's' });
    });
    const [a] = current.flushAll();
    const [b] = v1.flushAll();
    expect(current.featureNames).toEqual(WIFI_FEATURE_SCHEMA.features.map((f) => f.name));
    expect(a.features).toHaveLength(WIFI_FEATURE_SCHEMA.features.length);
    expect(a.features[current.featureNames.indexOf('unrecognised_log2')]).toBe(1);
    expect(v1.featureNames).toEqual(v1Names);
    expect(b.features).toHaveLength(38);
    expect(b.features[v1Names.indexOf('other_events')]).toBe(2);
  });

  it('falls back to the current schema when a model names a column it cannot compute', () => {
    const p = new WifiPipeline(undefined, { featureNames: ['events_per_minute', 'no_such_column'] });
    expect(p.featureNames).toEqual(WIFI_FEATURE_SCHEMA.features.map((f) => f.name));
  });
});
